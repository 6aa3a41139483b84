/*
 * Tests of the estimate and the gate before a scan: exact probe counts
 * and time bounds for hand-made profiles, each warning and each refusal,
 * and that only the gate charges the ledger.
 */
#include <sys/socket.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "estimate.h"
#include "ledger.h"
#include "port-spec.h"
#include "profile.h"
#include "scan-def.h"
#include "scan-opts.h"
#include "scan-plan.h"
#include "scope.h"
#include "target.h"
#include "unit.h"
#include "xmalloc.h"

/* 2026-09-15 12:00 UTC. */
#define NOW	((time_t)1789473600)

static const char scope_yaml[] =
    "reference: SOW-7\n"
    "authorized_by: the owner\n"
    "valid_from: 2026-09-01\n"
    "valid_until: 2026-10-01\n"
    "networks:\n"
    "  - 198.18.0.0/24\n";

/* One estimate's inputs, all owned here. */
struct fixture {
	struct profile		 p;
	struct scan_opts	 opts;
	struct scan_def		*def;
	struct scan_plan_input	 in;
	const struct target_addr *scanme;
	size_t			 nscanme;
	struct scan_plan	 plan;
	bool			 planned;
	struct estimate		 e;
};

static void	setup(struct fixture *, const char *, const char *,
		    unsigned);
static void	setup_limited(struct fixture *);
static void	plan(struct fixture *);
static void	run(struct fixture *);
static void	run_discovery(struct fixture *, const char *);
static enum scope_verdict enforce(struct fixture *, char **);
static void	done(struct fixture *);
static int	warned(const struct estimate *, enum estimate_warn);
static char	*ledger_path(void);
static void	ledger_remove(char *);

/*
 * Targets (space-separated), ports (NULL: the profile's) and -s
 * techniques; a SYN profile with no limits, retries or discovery, run
 * with raw sockets allowed.
 */
static void
setup(struct fixture *f, const char *targets, const char *ports,
    unsigned techniques)
{
	char	*copy, *item, *last, *cause = NULL;

	memset(f, 0, sizeof *f);
	f->p.name = (char *)"test";
	f->p.scan_type = PROFILE_SCAN_SYN;
	f->p.top_ports = 1000;
	f->p.service_probes = 7;

	f->def = xcalloc(1, sizeof *f->def);
	f->def->targets = target_set_create(TARGET_NO_DNS);
	copy = xstrdup(targets);
	for (item = strtok_r(copy, " ", &last); item != NULL;
	    item = strtok_r(NULL, " ", &last))
		CU_ASSERT_FATAL(target_set_add(f->def->targets, item, NULL,
		    &cause) == 0);
	free(copy);
	CU_ASSERT_FATAL(target_set_finish(f->def->targets, &cause) == 0);
	f->def->techniques = techniques;
	if (ports != NULL)
		f->def->ports = xstrdup(ports);
	f->def->shard_count = 1;

	f->in.opts = &f->opts;
	f->in.def = f->def;
	f->in.profile = &f->p;
	f->in.now = NOW;
	f->in.raw_allowed = true;
}

/*
 * 4 hosts of 10 ports, 2 at a time, 2 probes/s a host and 4/s in all,
 * 1 retry, 1 outstanding, 1 s timeout (0.1-2 s).
 */
static void
setup_limited(struct fixture *f)
{
	setup(f, "198.18.0.0/30", "1-10", 0);
	f->p.max_rate = 4;
	f->p.host_max_rate = 2;
	f->p.max_parallel_hosts = 2;
	f->p.max_retries = 1;
	f->p.host_max_outstanding = 1;
	f->p.initial_rtt_timeout = 1000;
	f->p.min_rtt_timeout = 100;
	f->p.max_rtt_timeout = 2000;
}

/* The plan of the fixture as it is now. */
static void
plan(struct fixture *f)
{
	char	*cause = NULL;

	if (f->planned)
		scan_plan_free(&f->plan);
	CU_ASSERT_FATAL(scan_plan_create(&f->plan, &f->in, &cause) == 0);
	f->plan.policy.scanme = f->scanme;
	f->plan.policy.nscanme = f->nscanme;
	f->planned = true;
}

static void
run(struct fixture *f)
{
	plan(f);
	estimate_compute(&f->e, &f->plan);
}

/* The gate, charging the ledger. */
static enum scope_verdict
enforce(struct fixture *f, char **cause)
{
	plan(f);
	return (estimate_enforce(&f->plan, true, cause));
}

static void
done(struct fixture *f)
{
	estimate_free(&f->e);
	if (f->planned)
		scan_plan_free(&f->plan);
	scan_def_free(f->def);
}

static int
warned(const struct estimate *e, enum estimate_warn code)
{
	size_t	i;

	for (i = 0; i < e->nwarn; i++) {
		if (e->warn[i].code == code)
			return (1);
	}
	return (0);
}

/* A ledger path in a fresh directory; the caller removes it. */
static char *
ledger_path(void)
{
	char	dir[] = "/tmp/tact-unit-ledger-XXXXXX", *path;

	CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
	xasprintf(&path, "%s/ledger", dir);
	return (path);
}

static void
ledger_remove(char *path)
{
	char	*other;

	xasprintf(&other, "%s.lock", path);
	unlink(other);
	free(other);
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
	free(path);
}

/*
 * Ports 1-10 of the targets, 2 retries, discovery by ICMP echo and
 * timestamp and SYNs to 80 and 443.
 */
static void
run_discovery(struct fixture *f, const char *targets)
{
	setup(f, targets, "1-10", 0);
	f->p.discovery = PROFILE_DISCOVER_ICMP_ECHO |
	    PROFILE_DISCOVER_ICMP_TSTAMP | PROFILE_DISCOVER_TCP_SYN;
	f->p.discovery_ports = (char *)"80,443";
	f->p.max_retries = 2;
	run(f);
}

static void
test_estimate_counts_probes_at_best_and_at_worst(void)
{
	struct fixture	f;

	run_discovery(&f, "198.18.0.0/30");
	CU_ASSERT_EQUAL(f.e.hosts, 4);
	CU_ASSERT_EQUAL(f.e.ports, 10);
	CU_ASSERT_EQUAL(f.e.discovery, 4);
	/* One discovery answer a host; unanswered, discovery goes twice. */
	CU_ASSERT_EQUAL(f.e.probes, 4 * (10 + 1));
	CU_ASSERT_EQUAL(f.e.probes_worst, 4 * (10 * 3 + 4 * 2));
	CU_ASSERT_EQUAL(f.e.techniques, SCAN_OPTS_SYN);
	done(&f);
}

/* An IPv6 host gets no timestamp request: one discovery probe fewer. */
static void
test_estimate_counts_no_ipv4_discovery_for_ipv6_hosts(void)
{
	struct fixture	f;

	run_discovery(&f, "198.18.0.0/31 2001:2::/126 ::1");
	CU_ASSERT_EQUAL(f.e.hosts, 7);
	CU_ASSERT_EQUAL(f.e.loopback, 1);
	CU_ASSERT_EQUAL(f.e.remote6, 4);
	CU_ASSERT_EQUAL(f.e.discovery, 4);
	CU_ASSERT_EQUAL(f.e.discovery6, 3);
	CU_ASSERT_EQUAL(f.e.probes, 7 * 10 + 6);
	CU_ASSERT_EQUAL(f.e.probes_worst, 7 * 10 * 3 + (2 * 4 + 4 * 3) * 2);
	done(&f);
}

static void
test_estimate_sends_no_discovery_to_loopback_or_with_no_ping(void)
{
	struct fixture	f;

	setup(&f, "127.0.0.1 198.18.0.1 ::1", "1-10", SCAN_OPTS_SYN);
	f.p.discovery = PROFILE_DISCOVER_ICMP_ECHO | PROFILE_DISCOVER_TCP_ACK;
	run(&f);
	CU_ASSERT_EQUAL(f.e.hosts, 3);
	CU_ASSERT_EQUAL(f.e.loopback, 2);
	CU_ASSERT_EQUAL(f.e.discovery, 2);
	CU_ASSERT_EQUAL(f.e.probes, 3 * 10 + 1);
	estimate_free(&f.e);
	f.opts.no_ping = true;
	run(&f);
	CU_ASSERT_EQUAL(f.e.discovery, 0);
	CU_ASSERT_EQUAL(f.e.probes, 30);
	done(&f);
}

static void
test_estimate_ping_scan_sends_discovery_only(void)
{
	struct fixture	f;

	setup(&f, "198.18.0.0/29", NULL, 0);
	f.def->ping_only = true;
	f.p.discovery = PROFILE_DISCOVER_ICMP_ECHO | PROFILE_DISCOVER_TCP_SYN;
	f.p.discovery_ports = (char *)"22,80,443";
	f.p.max_retries = 1;
	run(&f);
	CU_ASSERT_EQUAL(f.e.techniques, 0);
	CU_ASSERT_EQUAL(f.e.ports, 0);
	CU_ASSERT_EQUAL(f.e.probes, 8);
	CU_ASSERT_EQUAL(f.e.probes_worst, 8 * 4 * 2);
	done(&f);
}

static void
test_estimate_without_raw_sockets_connects_to_discovery_ports(void)
{
	struct fixture	f;

	setup(&f, "198.18.0.1", "22", 0);
	f.p.discovery = PROFILE_DISCOVER_ICMP_ECHO | PROFILE_DISCOVER_TCP_ACK;
	f.p.discovery_ports = (char *)"80,443,8080";
	f.in.raw_allowed = false;
	run(&f);
	CU_ASSERT_EQUAL(f.e.techniques, SCAN_OPTS_CONNECT);
	CU_ASSERT_EQUAL(f.e.discovery, 3);
	CU_ASSERT(!warned(&f.e, ESTIMATE_WARN_CONNECT));
	done(&f);
}

static void
test_estimate_takes_the_profile_ports_when_none_are_given(void)
{
	struct fixture		f;

	setup(&f, "127.0.0.1", NULL, 0);
	f.p.ports = (char *)"22,80,8000-8009";
	run(&f);
	CU_ASSERT_EQUAL(f.e.ports, 12);
	estimate_free(&f.e);

	f.p.ports = NULL;
	f.p.top_ports = 100;
	run(&f);
	CU_ASSERT_EQUAL(f.e.ports, 100);
	estimate_free(&f.e);

	f.def->ports = xstrdup("1-5");
	run(&f);
	CU_ASSERT_EQUAL(f.e.ports, 5);
	done(&f);
}

static void
test_estimate_rejects_a_profile_with_bad_ports(void)
{
	struct fixture	f;
	char		*cause = NULL;

	setup(&f, "127.0.0.1", NULL, 0);
	f.p.ports = (char *)"80-22";
	CU_ASSERT(scan_plan_create(&f.plan, &f.in, &cause) == -1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cause);
	CU_ASSERT(strstr(cause, "profile test: ports:") == cause);
	free(cause);
	done(&f);
}

/*
 * 4 hosts of 10 probes, 2 at a time, 2/s a host, 4/s in all: a group
 * needs max(2 * 10 / 4, 10 / 2) = 5s, two groups 10s. Unanswered, with
 * 1 retry: 20 tries a host, 1 outstanding, 1s timeout: 20s a host, and
 * max(2 * 20 / 4, 20) = 20s a group.
 */
static void
test_estimate_bounds_the_time_by_the_limits(void)
{
	struct fixture	f;

	setup_limited(&f);
	run(&f);
	CU_ASSERT_DOUBLE_EQUAL(f.e.seconds, 10.0, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(f.e.seconds_worst, 40.0, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(f.e.host_rate, 2.0, 1e-9);
	CU_ASSERT_EQUAL(f.e.outstanding, 1);
	estimate_free(&f.e);

	/* --max-rate 1: the global rate rules, 2 * 10 / 1 a group. */
	f.opts.max_rate = 1;
	run(&f);
	CU_ASSERT_DOUBLE_EQUAL(f.e.seconds, 40.0, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(f.e.host_rate, 1.0, 1e-9);
	estimate_free(&f.e);

	/* A scan delay of 1s over 2/s: 10 probes take 10s a group. */
	f.opts.max_rate = 0;
	f.p.scan_delay = 1000;
	run(&f);
	CU_ASSERT_DOUBLE_EQUAL(f.e.seconds, 20.0, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(f.e.host_rate, 1.0, 1e-9);
	estimate_free(&f.e);

	/* A host timeout of 3s caps each group. */
	f.p.host_timeout = 3000;
	run(&f);
	CU_ASSERT_DOUBLE_EQUAL(f.e.seconds, 6.0, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(f.e.seconds_worst, 6.0, 1e-9);
	estimate_free(&f.e);

	/* A timeout below the minimum is raised to it: 20 * 1.5s. */
	f.p.host_timeout = 0;
	f.p.scan_delay = 0;
	f.p.initial_rtt_timeout = 50;
	f.p.min_rtt_timeout = 1500;
	run(&f);
	CU_ASSERT_DOUBLE_EQUAL(f.e.seconds_worst, 2 * 30.0, 1e-9);
	done(&f);
}

/*
 * State entries: 4 hosts x 10 ports in groups of 2 at 4 probes/s, 10 s
 * at best (40 probes) and 40 s at worst (80, one retry each).
 */
static void
test_estimate_counts_state_entries_and_the_time_a_cap_adds(void)
{
	struct fixture	f;

	setup_limited(&f);
	f.p.state_entry_lifetime = 1000;
	f.p.state_close_lifetime = 1000;
	run(&f);
	CU_ASSERT_EQUAL(f.e.state_max, 0);
	/* 40 entry-seconds over 10 s; 80 over 40 s. */
	CU_ASSERT_EQUAL(f.e.state_peak, 4);
	CU_ASSERT_EQUAL(f.e.state_peak_worst, 2);
	estimate_free(&f.e);

	/* Entries that outlive the scan are all alive at its end. */
	f.p.state_entry_lifetime = 120000;
	f.p.state_close_lifetime = 10000;
	run(&f);
	CU_ASSERT_EQUAL(f.e.state_peak, 40);
	CU_ASSERT_EQUAL(f.e.state_peak_worst, 80);
	CU_ASSERT_DOUBLE_EQUAL(f.e.seconds, 10.0, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(f.e.seconds_worst, 40.0, 1e-9);
	estimate_free(&f.e);

	/*
	 * A cap of 16: 400 entry-seconds at best take 400 / 16 - 10 s,
	 * 9600 at worst 9600 / 16 - 120 s.
	 */
	f.opts.max_state = 16;
	run(&f);
	CU_ASSERT_EQUAL(f.e.state_max, 16);
	CU_ASSERT_DOUBLE_EQUAL(f.e.seconds, 15.0, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(f.e.state_wait, 5.0, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(f.e.seconds_worst, 480.0, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(f.e.state_wait_worst, 440.0, 1e-9);
	estimate_free(&f.e);

	/* The option only lowers the profile's cap. */
	f.p.max_state_entries = 16;
	f.opts.max_state = 1000;
	run(&f);
	CU_ASSERT_EQUAL(f.e.state_max, 16);
	estimate_free(&f.e);
	f.p.max_state_entries = 2000;
	run(&f);
	CU_ASSERT_EQUAL(f.e.state_max, 1000);
	estimate_free(&f.e);

	/*
	 * With -g a port's two tries are one entry: 40 at worst, 4800
	 * entry-seconds, which a cap of 16 stretches to 4800 / 16 - 120 s.
	 */
	f.opts.source_port = 53;
	run(&f);
	CU_ASSERT_EQUAL(f.e.probes_worst, 80);
	CU_ASSERT_EQUAL(f.e.state_peak_worst, 40);
	CU_ASSERT_DOUBLE_EQUAL(f.e.seconds_worst, 40.0, 1e-9);
	estimate_free(&f.e);
	f.opts.max_state = 16;
	run(&f);
	CU_ASSERT_DOUBLE_EQUAL(f.e.seconds_worst, 180.0, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(f.e.state_wait_worst, 140.0, 1e-9);
	done(&f);
}

static void
test_estimate_without_limits_takes_no_time_and_has_no_cap(void)
{
	struct fixture	f;

	setup(&f, "127.0.0.1", "1-100", 0);
	run(&f);
	CU_ASSERT_DOUBLE_EQUAL(f.e.seconds, 0.0, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(f.e.host_rate, 0.0, 1e-9);
	CU_ASSERT_EQUAL(f.e.verdict, SCOPE_OK);
	CU_ASSERT_PTR_NULL(f.e.reason);
	done(&f);
}

static void
test_estimate_saturates_instead_of_overflowing(void)
{
	struct fixture	f;

	setup(&f, "2001:2::/80", "1-65535", 0);
	f.p.discovery = PROFILE_DISCOVER_ICMP_ECHO | PROFILE_DISCOVER_TCP_SYN;
	run(&f);
	CU_ASSERT_EQUAL(f.e.hosts, (uint64_t)1 << 48);
	CU_ASSERT_EQUAL(f.e.probes, UINT64_MAX);
	CU_ASSERT_EQUAL(f.e.probes_worst, UINT64_MAX);
	done(&f);
}

static void
test_estimate_refuses_more_hosts_than_max_hosts(void)
{
	struct fixture	f;

	setup(&f, "198.18.0.0/16", "80", 0);
	f.p.max_hosts = 256;
	run(&f);
	CU_ASSERT_EQUAL(f.e.verdict, SCOPE_REFUSED);
	CU_ASSERT_STRING_EQUAL(f.e.reason, "65536 targets: more than "
	    "profile test allows (max_hosts 256)");
	CU_ASSERT(warned(&f.e, ESTIMATE_WARN_HOSTS));
	CU_ASSERT(!warned(&f.e, ESTIMATE_WARN_MANY_HOSTS));
	done(&f);
}

static void
test_estimate_refuses_more_ports_than_max_ports_per_host(void)
{
	struct fixture	f;

	setup(&f, "127.0.0.1", "1-5", 0);
	f.p.max_ports_per_host = 4;
	run(&f);
	CU_ASSERT_EQUAL(f.e.verdict, SCOPE_REFUSED);
	CU_ASSERT(strstr(f.e.reason, "5 ports a host") == f.e.reason);
	CU_ASSERT(warned(&f.e, ESTIMATE_WARN_PORTS));
	estimate_free(&f.e);
	f.p.max_ports_per_host = 5;
	run(&f);
	CU_ASSERT_EQUAL(f.e.verdict, SCOPE_OK);
	done(&f);
}

/* gentle: no service probes, so nothing but SYN. */
static void
test_estimate_refuses_connect_and_udp_when_service_probes_are_off(void)
{
	struct fixture	f;

	setup(&f, "127.0.0.1", "80", SCAN_OPTS_CONNECT);
	f.p.service_probes = PROFILE_SERVICE_NONE;
	run(&f);
	CU_ASSERT_EQUAL(f.e.verdict, SCOPE_REFUSED);
	CU_ASSERT(strstr(f.e.reason, "-sT: profile test allows no scan") ==
	    f.e.reason);
	CU_ASSERT(warned(&f.e, ESTIMATE_WARN_TECHNIQUE));
	done(&f);

	setup(&f, "127.0.0.1", "80", SCAN_OPTS_SYN | SCAN_OPTS_UDP);
	f.p.service_probes = PROFILE_SERVICE_NONE;
	run(&f);
	CU_ASSERT_EQUAL(f.e.verdict, SCOPE_REFUSED);
	CU_ASSERT(strstr(f.e.reason, "-sU:") == f.e.reason);
	done(&f);

	setup(&f, "127.0.0.1", "80", 0);
	f.p.service_probes = PROFILE_SERVICE_NONE;
	run(&f);
	CU_ASSERT_EQUAL(f.e.verdict, SCOPE_OK);
	estimate_free(&f.e);
	/* Without raw sockets SYN would become a connect scan. */
	f.in.raw_allowed = false;
	run(&f);
	CU_ASSERT_EQUAL(f.e.verdict, SCOPE_REFUSED);
	CU_ASSERT(strstr(f.e.reason, "needs root or CAP_NET_RAW") != NULL);
	done(&f);
}

static void
test_estimate_refuses_a_port_scan_with_a_ping_profile(void)
{
	struct fixture	f;

	setup(&f, "127.0.0.1", "80", SCAN_OPTS_SYN);
	f.p.scan_type = PROFILE_SCAN_PING;
	run(&f);
	CU_ASSERT_EQUAL(f.e.verdict, SCOPE_REFUSED);
	CU_ASSERT(strstr(f.e.reason, "-sS: profile test scans no ports") ==
	    f.e.reason);
	done(&f);

	setup(&f, "127.0.0.1", NULL, 0);
	f.p.scan_type = PROFILE_SCAN_PING;
	run(&f);
	CU_ASSERT_EQUAL(f.e.verdict, SCOPE_OK);
	CU_ASSERT_EQUAL(f.e.ports, 0);
	done(&f);
}

static void
test_estimate_refuses_the_first_target_out_of_scope(void)
{
	struct fixture	 f;
	struct scope	*s;
	char		*path, *cause = NULL, *want;

	path = unit_tmpfile(scope_yaml, strlen(scope_yaml));
	s = scope_load(path, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	setup(&f, "198.18.0.1 198.18.1.1 198.18.2.1", "80", 0);
	f.in.scope = s;
	run(&f);
	CU_ASSERT_EQUAL(f.e.verdict, SCOPE_REFUSED);
	xasprintf(&want, "198.18.1.1: not in scope file %s (SOW-7)", path);
	CU_ASSERT_STRING_EQUAL(f.e.reason, want);
	free(want);
	done(&f);

	setup(&f, "198.18.0.0/24 127.0.0.1", "80", 0);
	f.in.scope = s;
	run(&f);
	CU_ASSERT_EQUAL(f.e.verdict, SCOPE_OK);
	done(&f);
	scope_free(s);
	unlink(path);
	free(path);
}

static void
test_estimate_refuses_an_expired_scope(void)
{
	struct fixture	 f;
	struct scope	*s;
	char		*path, *cause = NULL;

	path = unit_tmpfile(scope_yaml, strlen(scope_yaml));
	s = scope_load(path, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	setup(&f, "198.18.0.1", "80", 0);
	f.in.scope = s;
	f.in.now = NOW + 30 * 86400;
	run(&f);
	CU_ASSERT_EQUAL(f.e.verdict, SCOPE_REFUSED);
	CU_ASSERT_STRING_EQUAL(f.e.reason, "scope SOW-7 expired 2026-10-01");
	done(&f);
	scope_free(s);
	unlink(path);
	free(path);
}

static void
test_estimate_without_scope_needs_purpose_and_permission(void)
{
	struct fixture	f;

	setup(&f, "198.18.0.1", "80", 0);
	run(&f);
	CU_ASSERT_EQUAL(f.e.verdict, SCOPE_NEED_PERMISSION);
	CU_ASSERT_STRING_EQUAL(f.e.reason, "198.18.0.1: no scope file "
	    "covers it");
	CU_ASSERT(warned(&f.e, ESTIMATE_WARN_PURPOSE));
	estimate_free(&f.e);

	f.opts.purpose = (char *)"audit";
	run(&f);
	CU_ASSERT_EQUAL(f.e.verdict, SCOPE_NEED_PERMISSION);
	CU_ASSERT(!warned(&f.e, ESTIMATE_WARN_PURPOSE));
	estimate_free(&f.e);

	f.opts.have_permission = true;
	run(&f);
	CU_ASSERT_EQUAL(f.e.verdict, SCOPE_OK);
	done(&f);

	setup(&f, "127.0.0.0/24 ::1", "80", 0);
	run(&f);
	CU_ASSERT_EQUAL(f.e.verdict, SCOPE_OK);
	CU_ASSERT(!warned(&f.e, ESTIMATE_WARN_PURPOSE));
	done(&f);
}

static void
test_estimate_refuses_over_quota_and_charges_nothing(void)
{
	struct fixture		f;
	struct ledger_charge	c;
	char			*ledger = ledger_path(), *cause = NULL;
	uint32_t		count;

	setup(&f, "127.0.0.1 127.0.0.2", "80", 0);
	f.p.daily_quota = 2;
	f.in.ledger = ledger;
	run(&f);
	CU_ASSERT_EQUAL(f.e.verdict, SCOPE_OK);
	CU_ASSERT_EQUAL(f.e.quota_targets, 2);
	CU_ASSERT(!warned(&f.e, ESTIMATE_WARN_QUOTA));
	estimate_free(&f.e);

	memset(&c, 0, sizeof c);
	target_set_get(f.def->targets, 1, &c.addr);
	c.quota = 2;
	CU_ASSERT(ledger_charge(ledger, &c, 1, NOW, &cause) == LEDGER_OK);
	run(&f);
	CU_ASSERT_EQUAL(f.e.verdict, SCOPE_OK);
	CU_ASSERT(warned(&f.e, ESTIMATE_WARN_QUOTA));
	estimate_free(&f.e);

	CU_ASSERT(ledger_charge(ledger, &c, 1, NOW, &cause) == LEDGER_OK);
	run(&f);
	CU_ASSERT_EQUAL(f.e.verdict, SCOPE_REFUSED);
	CU_ASSERT_STRING_EQUAL(f.e.reason, "127.0.0.2: 2 scans today, its "
	    "daily quota; the next is allowed at 2026-09-16 00:00 UTC");
	done(&f);

	CU_ASSERT(ledger_count(ledger, &c.addr, NOW, &count, &cause) ==
	    LEDGER_OK);
	CU_ASSERT_EQUAL(count, 2);
	ledger_remove(ledger);
}

static void
test_estimate_counts_scanme_addresses_under_its_quota(void)
{
	struct fixture		f;
	struct target_addr	scanme;

	setup(&f, "198.18.0.6 198.18.0.7", "80", 0);
	target_set_get(f.def->targets, 1, &scanme);
	f.scanme = &scanme;
	f.nscanme = 1;
	f.opts.purpose = (char *)"audit";
	f.opts.have_permission = true;
	run(&f);
	CU_ASSERT_EQUAL(f.e.verdict, SCOPE_OK);
	CU_ASSERT_EQUAL(f.e.quota_targets, 1);
	done(&f);
}

static void
test_estimate_enforce_charges_the_ledger_only_when_allowed(void)
{
	struct fixture		f;
	struct target_addr	a;
	char			*ledger = ledger_path(), *cause = NULL;
	uint32_t		count;

	setup(&f, "127.0.0.1", "80", 0);
	f.p.daily_quota = 1;
	f.in.ledger = ledger;
	target_set_get(f.def->targets, 0, &a);

	run(&f);
	estimate_free(&f.e);
	CU_ASSERT(ledger_count(ledger, &a, NOW, &count, &cause) == LEDGER_OK);
	CU_ASSERT_EQUAL(count, 0);

	CU_ASSERT(enforce(&f, &cause) == SCOPE_OK);
	CU_ASSERT(ledger_count(ledger, &a, NOW, &count, &cause) == LEDGER_OK);
	CU_ASSERT_EQUAL(count, 1);

	CU_ASSERT(enforce(&f, &cause) == SCOPE_REFUSED);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cause);
	CU_ASSERT(strstr(cause, "127.0.0.1: 1 scans today") == cause);
	free(cause);
	CU_ASSERT(ledger_count(ledger, &a, NOW, &count, &cause) == LEDGER_OK);
	CU_ASSERT_EQUAL(count, 1);

	/* A refusal by the profile charges nothing either. */
	f.p.daily_quota = 5;
	f.p.service_probes = PROFILE_SERVICE_NONE;
	f.def->techniques = SCAN_OPTS_CONNECT;
	cause = NULL;
	CU_ASSERT(enforce(&f, &cause) == SCOPE_REFUSED);
	free(cause);
	CU_ASSERT(ledger_count(ledger, &a, NOW, &count, &cause) == LEDGER_OK);
	CU_ASSERT_EQUAL(count, 1);
	done(&f);
	ledger_remove(ledger);
}

/* A resumed scan: the gate's verdict, and no ledger read or charged. */
static void
test_estimate_enforce_without_charge_leaves_the_ledger_alone(void)
{
	struct fixture		f;
	struct target_addr	a;
	char			*ledger = ledger_path(), *cause = NULL;
	uint32_t		count;

	setup(&f, "127.0.0.1", "80", 0);
	f.p.daily_quota = 1;
	f.in.ledger = ledger;
	target_set_get(f.def->targets, 0, &a);
	plan(&f);
	CU_ASSERT(estimate_enforce(&f.plan, false, &cause) == SCOPE_OK);
	CU_ASSERT(estimate_enforce(&f.plan, false, &cause) == SCOPE_OK);
	CU_ASSERT(ledger_count(ledger, &a, NOW, &count, &cause) == LEDGER_OK);
	CU_ASSERT_EQUAL(count, 0);
	/* Nor is a ledger needed for the quota. */
	f.in.ledger = NULL;
	plan(&f);
	CU_ASSERT(estimate_enforce(&f.plan, false, &cause) == SCOPE_OK);
	/* What the profile refuses, it refuses all the same. */
	f.p.service_probes = PROFILE_SERVICE_NONE;
	f.def->techniques = SCAN_OPTS_CONNECT;
	plan(&f);
	CU_ASSERT(estimate_enforce(&f.plan, false, &cause) == SCOPE_REFUSED);
	free(cause);
	done(&f);
	ledger_remove(ledger);
}

static void
test_estimate_enforce_needs_a_ledger_for_quotas(void)
{
	struct fixture	f;
	char		*cause = NULL;

	setup(&f, "127.0.0.1", "80", 0);
	f.p.daily_quota = 3;
	CU_ASSERT(enforce(&f, &cause) == SCOPE_FAILED);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cause);
	CU_ASSERT(strstr(cause, "no ledger") != NULL);
	free(cause);
	done(&f);
}

static void
test_estimate_enforce_refuses_what_the_estimate_refuses(void)
{
	struct fixture	f;
	char		*cause = NULL;

	setup(&f, "198.18.0.1", "80", 0);
	CU_ASSERT(enforce(&f, &cause) == SCOPE_NEED_PERMISSION);
	CU_ASSERT_STRING_EQUAL(cause, "198.18.0.1: no scope file covers it");
	free(cause);
	cause = NULL;
	f.opts.purpose = (char *)"audit";
	f.opts.have_permission = true;
	CU_ASSERT(enforce(&f, &cause) == SCOPE_OK);
	done(&f);
}

static void
test_estimate_warns_about_every_port_where_top_ports_would_do(void)
{
	struct fixture	f;

	setup(&f, "127.0.0.1", "-", 0);
	run(&f);
	CU_ASSERT_EQUAL(f.e.ports, 65535);
	CU_ASSERT(warned(&f.e, ESTIMATE_WARN_ALL_PORTS));
	done(&f);
	setup(&f, "127.0.0.1", "1-65534", 0);
	run(&f);
	CU_ASSERT(!warned(&f.e, ESTIMATE_WARN_ALL_PORTS));
	done(&f);
}

static void
test_estimate_warns_about_a_slash_16_without_a_host_limit(void)
{
	struct fixture	f;

	setup(&f, "198.18.0.0/16", "80", 0);
	run(&f);
	CU_ASSERT(warned(&f.e, ESTIMATE_WARN_MANY_HOSTS));
	done(&f);
	setup(&f, "198.18.0.0/17", "80", 0);
	run(&f);
	CU_ASSERT(!warned(&f.e, ESTIMATE_WARN_MANY_HOSTS));
	done(&f);
}

static void
test_estimate_warns_about_service_probes_on_a_gentle_scan(void)
{
	struct fixture	f;

	setup(&f, "127.0.0.1", "80", 0);
	f.p.host_max_outstanding = 1;
	run(&f);
	CU_ASSERT(!warned(&f.e, ESTIMATE_WARN_SERVICE));	/* no -sV */
	estimate_free(&f.e);
	f.opts.version = true;
	f.opts.version_intensity = -1;
	run(&f);
	CU_ASSERT(warned(&f.e, ESTIMATE_WARN_SERVICE));
	estimate_free(&f.e);
	f.p.service_probes = PROFILE_SERVICE_NONE;
	run(&f);
	CU_ASSERT(!warned(&f.e, ESTIMATE_WARN_SERVICE));
	estimate_free(&f.e);
	f.p.service_probes = 7;
	f.p.host_max_outstanding = 4;
	run(&f);
	CU_ASSERT(!warned(&f.e, ESTIMATE_WARN_SERVICE));
	done(&f);
}

/* -sV: refused where the profile allows none, capped, counted. */
static void
test_estimate_refuses_and_counts_service_probes(void)
{
	struct fixture	f;
	uint64_t	worst;

	setup(&f, "127.0.0.1 127.0.0.2", "22,80", 0);
	f.opts.version = true;
	f.opts.version_intensity = -1;
	f.opts.datadir = (char *)"/nonexistent";	/* tact's own table */
	f.p.service_probes = PROFILE_SERVICE_NONE;
	run(&f);
	CU_ASSERT_EQUAL(f.e.verdict, SCOPE_REFUSED);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f.e.reason);
	CU_ASSERT(strstr(f.e.reason, "-sV: profile test sends no service "
	    "probes") == f.e.reason);
	CU_ASSERT(strstr(f.e.reason, "fragile devices") != NULL);
	CU_ASSERT(strstr(f.e.reason, "extends it with service_probes") !=
	    NULL);
	CU_ASSERT_EQUAL(f.e.service_worst, 0);
	estimate_free(&f.e);
	f.p.service_probes = 2;
	f.opts.version_intensity = 9;
	run(&f);
	CU_ASSERT_EQUAL(f.e.verdict, SCOPE_REFUSED);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f.e.reason);
	CU_ASSERT(strstr(f.e.reason, "--version-intensity 9: profile test "
	    "allows at most 2") == f.e.reason);
	estimate_free(&f.e);
	f.opts.version_intensity = -1;
	run(&f);
	CU_ASSERT_EQUAL(f.e.verdict, SCOPE_OK);
	CU_ASSERT_EQUAL(f.plan.service_intensity, 2);
	/* 22: the greeting, HTTP and TLS; 80 the same; twice for TLS. */
	CU_ASSERT_EQUAL(f.plan.service_worst, 12);
	CU_ASSERT_EQUAL(f.e.service_worst, 24);
	worst = f.e.probes_worst;
	estimate_free(&f.e);
	f.opts.version = false;
	run(&f);
	CU_ASSERT_EQUAL(f.e.probes_worst + 24, worst);
	done(&f);

	/* With -sU, a UDP port costs tact's one UDP probe, never TLS. */
	setup(&f, "127.0.0.1", "T:22,U:53", SCAN_OPTS_SYN | SCAN_OPTS_UDP);
	f.opts.version = true;
	f.opts.version_intensity = -1;
	f.opts.datadir = (char *)"/nonexistent";
	f.p.service_probes = 2;
	run(&f);
	CU_ASSERT_EQUAL(f.e.verdict, SCOPE_OK);
	CU_ASSERT_EQUAL(f.plan.service_worst, 7);
	estimate_free(&f.e);
	done(&f);
}

static void
test_estimate_warns_about_connect_where_syn_is_possible(void)
{
	struct fixture	f;

	setup(&f, "127.0.0.1", "80", SCAN_OPTS_CONNECT);
	run(&f);
	CU_ASSERT(warned(&f.e, ESTIMATE_WARN_CONNECT));
	estimate_free(&f.e);
	f.in.raw_allowed = false;
	run(&f);
	CU_ASSERT(!warned(&f.e, ESTIMATE_WARN_CONNECT));
	done(&f);
	setup(&f, "127.0.0.1", "80", SCAN_OPTS_SYN);
	run(&f);
	CU_ASSERT(!warned(&f.e, ESTIMATE_WARN_CONNECT));
	done(&f);
}

static void
test_estimate_warns_about_a_scan_longer_than_a_day(void)
{
	struct fixture	f;

	/* 1000 ports at 0.01/s: 100000s. */
	setup(&f, "127.0.0.1", "1-1000", 0);
	f.p.host_max_rate = 0.01;
	run(&f);
	CU_ASSERT_DOUBLE_EQUAL(f.e.seconds, 100000.0, 1e-6);
	CU_ASSERT(warned(&f.e, ESTIMATE_WARN_LONG));
	estimate_free(&f.e);
	f.p.host_max_rate = 0.1;
	run(&f);
	CU_ASSERT(!warned(&f.e, ESTIMATE_WARN_LONG));
	done(&f);
}

static const struct unit_test tests[] = {
	TEST(test_estimate_counts_probes_at_best_and_at_worst),
	TEST(test_estimate_counts_no_ipv4_discovery_for_ipv6_hosts),
	TEST(test_estimate_sends_no_discovery_to_loopback_or_with_no_ping),
	TEST(test_estimate_ping_scan_sends_discovery_only),
	TEST(test_estimate_without_raw_sockets_connects_to_discovery_ports),
	TEST(test_estimate_takes_the_profile_ports_when_none_are_given),
	TEST(test_estimate_rejects_a_profile_with_bad_ports),
	TEST(test_estimate_bounds_the_time_by_the_limits),
	TEST(test_estimate_counts_state_entries_and_the_time_a_cap_adds),
	TEST(test_estimate_without_limits_takes_no_time_and_has_no_cap),
	TEST(test_estimate_saturates_instead_of_overflowing),
	TEST(test_estimate_refuses_more_hosts_than_max_hosts),
	TEST(test_estimate_refuses_more_ports_than_max_ports_per_host),
	TEST(test_estimate_refuses_connect_and_udp_when_service_probes_are_off),
	TEST(test_estimate_refuses_a_port_scan_with_a_ping_profile),
	TEST(test_estimate_refuses_the_first_target_out_of_scope),
	TEST(test_estimate_refuses_an_expired_scope),
	TEST(test_estimate_without_scope_needs_purpose_and_permission),
	TEST(test_estimate_refuses_over_quota_and_charges_nothing),
	TEST(test_estimate_counts_scanme_addresses_under_its_quota),
	TEST(test_estimate_enforce_charges_the_ledger_only_when_allowed),
	TEST(test_estimate_enforce_without_charge_leaves_the_ledger_alone),
	TEST(test_estimate_enforce_needs_a_ledger_for_quotas),
	TEST(test_estimate_enforce_refuses_what_the_estimate_refuses),
	TEST(test_estimate_warns_about_every_port_where_top_ports_would_do),
	TEST(test_estimate_warns_about_a_slash_16_without_a_host_limit),
	TEST(test_estimate_warns_about_service_probes_on_a_gentle_scan),
	TEST(test_estimate_refuses_and_counts_service_probes),
	TEST(test_estimate_warns_about_connect_where_syn_is_possible),
	TEST(test_estimate_warns_about_a_scan_longer_than_a_day),
	TEST_END
};

UNIT_MAIN("estimate", tests)
