/*
 * The scan builder's estimate: the fields turned into libtact's
 * estimate, each problem marked at its field, the verdict in the
 * builder's terms, and no hostname looked up while the user types.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "profile.h"
#include "scan-opts.h"
#include "tui.h"

static struct profile
estimate_profile(void)
{
	struct profile	p;

	memset(&p, 0, sizeof p);
	p.name = (char *)"polite";
	p.scan_type = PROFILE_SCAN_SYN;
	p.max_rate = 100;
	p.host_max_rate = 10;
	p.host_max_outstanding = 4;
	p.max_parallel_hosts = 32;
	p.max_retries = 2;
	p.top_ports = 1000;
	p.service_probes = 7;
	return (p);
}

static void
estimate_run(struct tui_estimate *e, const struct profile *p,
    const char *targets, const char *ports, const char *purpose, int flags)
{
	char	*f[FIELD_MAX];

	f[FIELD_PROFILE] = (char *)"";
	f[FIELD_TARGETS] = (char *)targets;
	f[FIELD_PORTS] = (char *)ports;
	f[FIELD_SCOPE] = (char *)"";
	f[FIELD_PURPOSE] = (char *)purpose;
	tui_estimate(e, p->name, p, f, flags);
}

static void
test_tui_estimate_counts_hosts_ports_and_probes(void)
{
	struct profile		p = estimate_profile();
	struct tui_estimate	e;

	memset(&e, 0, sizeof e);
	estimate_run(&e, &p, "127.0.0.0/30 127.0.0.9", "22,80,8000-8009",
	    "", TUI_ESTIMATE_RAW);
	CU_ASSERT_FATAL(e.valid);
	CU_ASSERT_EQUAL(e.est.hosts, 5);
	CU_ASSERT_EQUAL(e.est.loopback, 5);
	CU_ASSERT_EQUAL(e.est.ports, 12);
	CU_ASSERT_EQUAL(e.est.probes, 60);
	CU_ASSERT_EQUAL(e.est.probes_worst, 180);
	/* 12 probes a host at 10/s, all 5 hosts in parallel. */
	CU_ASSERT_DOUBLE_EQUAL(e.est.seconds, 1.2, 0.001);
	CU_ASSERT_DOUBLE_EQUAL(e.est.host_rate, 10, 0.001);
	CU_ASSERT_EQUAL(e.verdict, VERDICT_OK);
	CU_ASSERT_STRING_EQUAL(e.verdict_text, "loopback: always in scope");
	tui_estimate_clear(&e);
}

static void
test_tui_estimate_bounds_time_by_the_global_rate(void)
{
	struct profile		p = estimate_profile();
	struct tui_estimate	e;

	memset(&e, 0, sizeof e);
	p.host_max_rate = 0;
	estimate_run(&e, &p, "127.0.0.0/24", "1-100", "", TUI_ESTIMATE_RAW);
	CU_ASSERT_EQUAL(e.est.probes, 25600);
	CU_ASSERT_DOUBLE_EQUAL(e.est.seconds, 256, 0.001);
	tui_estimate_clear(&e);
}

static void
test_tui_estimate_syn_needs_raw_sockets(void)
{
	struct profile		p = estimate_profile();
	struct tui_estimate	e;

	memset(&e, 0, sizeof e);
	estimate_run(&e, &p, "127.0.0.1", "22", "", TUI_ESTIMATE_RAW);
	CU_ASSERT_EQUAL(e.est.techniques, SCAN_OPTS_SYN);
	estimate_run(&e, &p, "127.0.0.1", "22", "", 0);
	CU_ASSERT_EQUAL(e.est.techniques, SCAN_OPTS_CONNECT);
	tui_estimate_clear(&e);
}

static void
test_tui_estimate_marks_the_bad_field(void)
{
	struct profile		p = estimate_profile();
	struct tui_estimate	e;

	memset(&e, 0, sizeof e);
	estimate_run(&e, &p, "127.0.0.1", "70000", "", 0);
	CU_ASSERT(!e.valid);
	CU_ASSERT_PTR_NOT_NULL(e.error[FIELD_PORTS]);
	CU_ASSERT_PTR_NULL(e.error[FIELD_TARGETS]);
	CU_ASSERT_EQUAL(e.verdict, VERDICT_REFUSED);
	estimate_run(&e, &p, "127.0.0.300", "", "", 0);
	CU_ASSERT(!e.valid);
	CU_ASSERT_PTR_NOT_NULL(e.error[FIELD_TARGETS]);
	estimate_run(&e, &p, "   ", "", "", 0);
	CU_ASSERT_PTR_NOT_NULL(e.error[FIELD_TARGETS]);
	tui_estimate_clear(&e);
}

static void
test_tui_estimate_refuses_more_hosts_than_the_profile_allows(void)
{
	struct profile		p = estimate_profile();
	struct tui_estimate	e;

	memset(&e, 0, sizeof e);
	p.max_hosts = 256;
	estimate_run(&e, &p, "127.0.0.0/16", "22", "", 0);
	CU_ASSERT_EQUAL(e.verdict, VERDICT_REFUSED);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e.error[FIELD_TARGETS]);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.error[FIELD_TARGETS], "256"));
	CU_ASSERT_PTR_NULL(e.error[FIELD_PORTS]);
	tui_estimate_clear(&e);
}

static void
test_tui_estimate_refuses_what_the_profile_forbids(void)
{
	struct profile		p = estimate_profile();
	struct tui_estimate	e;

	memset(&e, 0, sizeof e);
	p.scan_type = PROFILE_SCAN_CONNECT;
	p.service_probes = PROFILE_SERVICE_NONE;
	estimate_run(&e, &p, "127.0.0.1", "22", "", TUI_ESTIMATE_RAW);
	CU_ASSERT(e.valid);
	CU_ASSERT_EQUAL(e.verdict, VERDICT_REFUSED);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.verdict_text, "-sT"));
	tui_estimate_clear(&e);
}

static void
test_tui_estimate_needs_purpose_and_confirmation_off_loopback(void)
{
	struct profile		p = estimate_profile();
	struct tui_estimate	e;

	memset(&e, 0, sizeof e);
	estimate_run(&e, &p, "198.18.0.1", "22", "", 0);
	CU_ASSERT(e.valid);
	CU_ASSERT_EQUAL(e.verdict, VERDICT_REFUSED);
	CU_ASSERT_PTR_NOT_NULL(e.error[FIELD_PURPOSE]);
	estimate_run(&e, &p, "198.18.0.1", "22", "lab test", 0);
	CU_ASSERT_EQUAL(e.verdict, VERDICT_CONFIRM);
	CU_ASSERT_PTR_NULL(e.error[FIELD_PURPOSE]);
	/* Loopback alone needs neither. */
	estimate_run(&e, &p, "127.0.0.1 127.255.255.254", "22", "", 0);
	CU_ASSERT_EQUAL(e.verdict, VERDICT_OK);
	tui_estimate_clear(&e);
}

static void
test_tui_estimate_looks_names_up_only_when_asked(void)
{
	struct profile		p = estimate_profile();
	struct tui_estimate	e;

	memset(&e, 0, sizeof e);
	/* localhost is in /etc/hosts: no query leaves the machine. */
	estimate_run(&e, &p, "127.0.0.2 localhost", "22", "", 0);
	CU_ASSERT_FATAL(e.valid);
	CU_ASSERT_EQUAL(e.names, 1);
	CU_ASSERT_EQUAL(e.est.hosts, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.verdict_text, "checked at Start"));
	estimate_run(&e, &p, "127.0.0.2 localhost", "22", "",
	    TUI_ESTIMATE_RESOLVE);
	CU_ASSERT_FATAL(e.valid);
	CU_ASSERT_EQUAL(e.names, 0);
	CU_ASSERT_EQUAL(e.est.hosts, 2);
	CU_ASSERT_EQUAL(e.verdict, VERDICT_OK);
	tui_estimate_clear(&e);
}

static const struct unit_test tests[] = {
	TEST(test_tui_estimate_counts_hosts_ports_and_probes),
	TEST(test_tui_estimate_bounds_time_by_the_global_rate),
	TEST(test_tui_estimate_syn_needs_raw_sockets),
	TEST(test_tui_estimate_marks_the_bad_field),
	TEST(test_tui_estimate_refuses_more_hosts_than_the_profile_allows),
	TEST(test_tui_estimate_refuses_what_the_profile_forbids),
	TEST(test_tui_estimate_needs_purpose_and_confirmation_off_loopback),
	TEST(test_tui_estimate_looks_names_up_only_when_asked),
	TEST_END
};

UNIT_MAIN("tui-estimate", tests)
