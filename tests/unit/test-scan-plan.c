/*
 * The scan plan: what it decides (the technique without raw sockets, a
 * UDP scan's discovery, ICMPv6's missing timestamp, the ports of a UDP
 * profile, the defaults), and that the estimate of a plan brackets what
 * the engine sends for it. For a table of option sets (IPv4 and IPv6,
 * raw sockets or not, -sS -sT -sU -sn -Pn, every shipped profile) the
 * engine runs the plan: raw plans over the simulated network, connect
 * plans against loopback (the only place connect() may go). With every
 * host up, the probes sent lie between the estimate's best and worst;
 * with no host there, discovery is all that is sent, and exactly the
 * estimate's discovery at worst.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "unit.h"

#include "estimate.h"
#include "event.h"
#include "plan-fixture.h"
#include "port-spec.h"
#include "profile.h"
#include "scan-opts.h"
#include "scan.h"
#include "target.h"
#include "transport.h"
#include "transport-sim.h"
#include "xmalloc.h"

/* One option set of the table. */
struct row {
	const char	*profile;
	const char	*args;		/* before the targets */
	int		 family;	/* 4 or 6 */
	bool		 raw;		/* raw sockets allowed */
};

static const struct row rows[] = {
	{ "gentle", "-p 1-3", 4, true },
	{ "polite", "-p 1-3", 4, true },
	{ "standard", "-p 1-3", 4, true },
	{ "brisk", "-p 1-3", 4, true },
	{ "ping-sweep", "", 4, true },
	{ "web", "", 4, true },
	{ "scanme", "-p 1-3", 4, true },
	{ "polite", "-sS -p 1-3", 6, true },
	{ "polite", "-sU -p 1-3", 4, true },
	{ "polite", "-sU -p 1-3", 6, true },
	{ "standard", "-sS -sU -p 1-3", 4, true },
	{ "polite", "-sn", 4, true },
	{ "polite", "-sn", 6, true },
	{ "ping-sweep", "", 6, true },
	{ "polite", "-Pn -p 1-3", 4, true },
	{ "polite", "-Pn -p 1-3", 6, true },
	{ "polite", "-sT -p 1-3", 4, true },
	{ "polite", "-sS -p 1-3", 4, false },
	{ "polite", "-sS -p 1-3", 6, false },
	{ "polite", "-sT -p 1-3", 6, false },
	{ "polite", "-sn", 4, false },
	{ "standard", "-Pn -p 1-3", 4, false },
	{ "gentle", "-p 1-3", 6, false },
};

/* What the engine did, from its records. */
struct seen {
	uint64_t	up;
	uint64_t	down;
	uint64_t	ports;
	uint32_t	end;
};

static struct profile *profile_get(const char *);
static void	seen_sink(void *, const struct event_header *, const void *);
static uint64_t	engine_run(const struct scan_plan *, struct transport_sim *,
		    struct seen *);
static struct transport_sim *sim_make(int, bool);
static void	row_run(const struct row *, bool);

/* A shipped profile, from the source tree's profiles/. */
static struct profile *
profile_get(const char *name)
{
	const char	*dirs[2];
	struct profile	*p;
	char		*dir, *cause = NULL;

	CU_ASSERT_FATAL(getenv("TACT_DATADIR") != NULL);
	xasprintf(&dir, "%s/profiles", getenv("TACT_DATADIR"));
	dirs[0] = dir;
	dirs[1] = NULL;
	p = profile_load(name, dirs, &cause);
	if (p == NULL)
		fprintf(stderr, "%s\n", cause);
	CU_ASSERT_FATAL(p != NULL);
	free(dir);
	return (p);
}

static void
seen_sink(void *arg, const struct event_header *h, const void *payload)
{
	struct seen			*seen = arg;
	const struct event_host		*eh = payload;
	const struct event_scan_end	*end = payload;

	switch (h->type) {
	case EVENT_HOST_STATE:
		if (eh->state == EVENT_HOST_UP)
			seen->up++;
		if (eh->state == EVENT_HOST_DOWN)
			seen->down++;
		break;
	case EVENT_PORT_STATE:
		seen->ports++;
		break;
	case EVENT_PORT_RUN:
		seen->ports += ((const struct event_port_run *)payload)->count;
		break;
	case EVENT_SCAN_END:
		seen->end = end->status;
		break;
	}
}

/* Run the plan (over sim if given); the probes the engine sent. */
static uint64_t
engine_run(const struct scan_plan *pl, struct transport_sim *sim,
    struct seen *seen)
{
	struct scan_config	 cfg;
	struct event_stream	*es;
	struct scan		*s;
	char			*cause = NULL;
	uint64_t		 probes;

	memset(seen, 0, sizeof *seen);
	memset(&cfg, 0, sizeof cfg);
	cfg.plan = pl;
	cfg.stop_fd = -1;
	if (sim != NULL) {
		cfg.transport = &transport_sim_ops;
		cfg.transport_arg = sim;
	}
	es = event_stream_create();
	event_stream_add_sink(es, seen_sink, seen);
	s = scan_create(&cfg, es, &cause);
	if (s == NULL)
		fprintf(stderr, "scan_create: %s\n", cause);
	CU_ASSERT_FATAL(s != NULL);
	CU_ASSERT(scan_run(s, &cause) == 0);
	CU_ASSERT(seen->end == EVENT_END_DONE);
	probes = scan_stats(s)->probes;
	scan_free(s);
	event_stream_free(es);
	return (probes);
}

/* Four simulated hosts of the family at the table's targets, or none. */
static struct transport_sim *
sim_make(int family, bool up)
{
	struct transport_sim_hosts	 h;
	struct transport_sim_config	 sc;
	struct target_spec		 ts;
	struct transport_sim		*sim;
	char				*cause = NULL;

	memset(&h, 0, sizeof h);
	CU_ASSERT_FATAL(target_parse_spec(&ts, family == 4 ?
	    (up ? "198.18.1.4/30" : "198.18.9.4/30") :
	    (up ? "2001:2::4/126" : "2001:2::9:4/126"), TARGET_NO_DNS,
	    &cause) == 0);
	h.first = ts.v[0].first;
	h.last = ts.v[0].last;
	target_parse_free(&ts);
	h.open_pm = 300;
	h.filtered_pm = 200;
	h.rtt_us = 1000;
	memset(&sc, 0, sizeof sc);
	sc.seed = 9;
	CU_ASSERT_FATAL(target_parse_spec(&ts, family == 4 ? "198.18.0.2" :
	    "2001:2::2", TARGET_NO_DNS, &cause) == 0);
	sc.src = ts.v[0].first;
	target_parse_free(&ts);
	sc.hosts = &h;
	sc.nhosts = 1;
	sim = transport_sim_create(&sc, &cause);
	CU_ASSERT_FATAL(sim != NULL);
	return (sim);
}

/*
 * One row: the plan, its estimate, and the engine's probes. A raw plan
 * scans four simulated hosts (down: with no host at those addresses);
 * a connect plan scans loopback, which needs no discovery. Timeouts are
 * shortened, and for hosts that are down rates too: they decide when a
 * probe goes, not how many.
 */
static void
row_run(const struct row *r, bool down)
{
	struct profile		*p = profile_get(r->profile);
	struct plan_fixture	 pf;
	struct transport_sim	*sim = NULL;
	struct estimate		 e;
	struct seen		 seen;
	const char		*targets;
	char			*args, *cause = NULL;
	uint64_t		 sent, hosts;
	unsigned		 failures = CU_get_number_of_failures();

	p->initial_rtt_timeout = 50;
	p->min_rtt_timeout = 20;
	if (p->max_rtt_timeout < 200)
		p->max_rtt_timeout = 200;
	if (down) {
		p->max_rate = p->host_max_rate = 0;
		p->scan_delay = 0;
	}
	if (r->raw && !strstr(r->args, "-sT"))
		targets = r->family == 4 ? "198.18.1.4/30" : "2001:2::4/126";
	else
		targets = r->family == 4 ? "127.0.0.1" : "::1";
	xasprintf(&args, "%s --seed 5 %s", r->args, targets);
	if (plan_fixture_make(&pf, args, p, r->raw, &cause) != 0)
		fprintf(stderr, "%s: %s\n", args, cause);
	CU_ASSERT_FATAL(pf.made);
	estimate_compute(&e, &pf.plan);
	hosts = target_set_count(pf.plan.targets);
	if (pf.plan.raw)
		sim = sim_make(r->family, !down);
	sent = engine_run(&pf.plan, sim, &seen);
	if (down) {
		CU_ASSERT_EQUAL(seen.down, hosts);
		CU_ASSERT_EQUAL(sent, hosts * e.discovery *
		    (1 + pf.plan.disc_retries));
	} else {
		CU_ASSERT_EQUAL(seen.up, hosts);
		CU_ASSERT_EQUAL(seen.ports, hosts * pf.plan.ports.n);
		CU_ASSERT(e.probes <= sent);
		CU_ASSERT(sent <= e.probes_worst);
	}
	if (sim != NULL && !pf.plan.connect)
		CU_ASSERT_EQUAL(transport_sim_stats(sim)->probes, sent);
	if (CU_get_number_of_failures() != failures)
		fprintf(stderr, "%s %s (%s): sent %llu, estimate %llu-%llu, "
		    "discovery %llu\n", r->profile, args, down ? "down" : "up",
		    (unsigned long long)sent, (unsigned long long)e.probes,
		    (unsigned long long)e.probes_worst,
		    (unsigned long long)e.discovery);
	estimate_free(&e);
	transport_sim_free(sim);
	plan_fixture_free(&pf);
	profile_free(p);
	free(args);
}

static void
test_scan_plan_estimate_brackets_what_the_engine_sends(void)
{
	size_t	i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
		row_run(&rows[i], false);
}

static void
test_scan_plan_estimate_counts_the_discovery_of_hosts_that_are_down(void)
{
	size_t	i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		if (rows[i].raw && strstr(rows[i].args, "-Pn") == NULL &&
		    strstr(rows[i].args, "-sT") == NULL)
			row_run(&rows[i], true);
	}
}

/* A plan made here from args with profile p. */
static void
plan_make(struct plan_fixture *pf, const char *args,
    const struct profile *p, bool raw)
{
	char	*cause = NULL;

	if (plan_fixture_make(pf, args, p, raw, &cause) != 0)
		fprintf(stderr, "%s: %s\n", args, cause);
	CU_ASSERT_FATAL(pf->made);
}

static bool
has_probe(const struct scan_plan *pl, enum scan_plan_probe probe)
{
	size_t	i;

	for (i = 0; i < pl->ndisc; i++) {
		if (pl->disc[i].probe == probe)
			return (true);
	}
	return (false);
}

static void
test_scan_plan_sends_no_icmp_timestamp_to_ipv6(void)
{
	struct profile		*p = profile_get("polite");
	struct plan_fixture	 pf;
	struct estimate		 e;

	plan_make(&pf, "-sS -p 80 198.18.0.1", p, true);
	CU_ASSERT(has_probe(&pf.plan, SCAN_PLAN_ICMP_TSTAMP));
	CU_ASSERT_EQUAL(pf.plan.ndisc, 7);
	plan_fixture_free(&pf);
	plan_make(&pf, "-sS -p 80 2001:2::1", p, true);
	CU_ASSERT(!has_probe(&pf.plan, SCAN_PLAN_ICMP_TSTAMP));
	CU_ASSERT(has_probe(&pf.plan, SCAN_PLAN_ICMP_ECHO));
	CU_ASSERT_EQUAL(pf.plan.ndisc, 6);
	estimate_compute(&e, &pf.plan);
	CU_ASSERT_EQUAL(e.discovery, 6);
	estimate_free(&e);
	plan_fixture_free(&pf);
	profile_free(p);
}

static void
test_scan_plan_connects_without_raw_sockets(void)
{
	struct profile		*p = profile_get("polite");
	struct plan_fixture	 pf;
	size_t			 i;

	plan_make(&pf, "-sS -p 80 198.18.0.1", p, false);
	CU_ASSERT(pf.plan.connect);
	CU_ASSERT(pf.plan.fallback);
	CU_ASSERT(!pf.plan.raw);
	CU_ASSERT_EQUAL(pf.plan.techniques, SCAN_OPTS_CONNECT);
	CU_ASSERT_EQUAL(pf.plan.ndisc, 4);
	for (i = 0; i < pf.plan.ndisc; i++)
		CU_ASSERT_EQUAL(pf.plan.disc[i].probe, SCAN_PLAN_TCP_CONNECT);
	CU_ASSERT_STRING_EQUAL(scan_plan_technique(&pf.plan), "connect");
	plan_fixture_free(&pf);

	plan_make(&pf, "-sU -p 53 198.18.0.1", p, false);
	CU_ASSERT_PTR_NOT_NULL(pf.plan.blocked);
	plan_fixture_free(&pf);
	profile_free(p);
}

/* -sU alone with raw sockets: raw discovery, as the engine sends it. */
static void
test_scan_plan_discovers_raw_for_a_udp_scan(void)
{
	struct profile		*p = profile_get("polite");
	struct plan_fixture	 pf;

	plan_make(&pf, "-sU -p 53 198.18.0.1", p, true);
	CU_ASSERT(!pf.plan.connect);
	CU_ASSERT(pf.plan.raw);
	CU_ASSERT(has_probe(&pf.plan, SCAN_PLAN_ICMP_ECHO));
	CU_ASSERT(has_probe(&pf.plan, SCAN_PLAN_TCP_SYN));
	CU_ASSERT_EQUAL(pf.plan.techniques, SCAN_OPTS_UDP);
	CU_ASSERT_EQUAL(pf.plan.ports.n, 1);
	CU_ASSERT_EQUAL(pf.plan.ports.v[0].proto, PORT_UDP);
	CU_ASSERT_STRING_EQUAL(scan_plan_technique(&pf.plan), "udp");
	plan_fixture_free(&pf);
	profile_free(p);
}

/* A profile of scan_type udp scans UDP ports, -p's included. */
static void
test_scan_plan_takes_the_technique_and_ports_of_a_udp_profile(void)
{
	struct profile		*p = profile_get("polite");
	struct plan_fixture	 pf;

	p->scan_type = PROFILE_SCAN_UDP;
	plan_make(&pf, "-p 53,161 198.18.0.1", p, true);
	CU_ASSERT_EQUAL(pf.plan.techniques, SCAN_OPTS_UDP);
	CU_ASSERT_EQUAL(port_list_count(&pf.plan.ports, PORT_UDP), 2);
	CU_ASSERT_EQUAL(port_list_count(&pf.plan.ports, PORT_TCP), 0);
	plan_fixture_free(&pf);
	profile_free(p);
}

static void
test_scan_plan_applies_every_default_once(void)
{
	struct profile		 p;
	struct plan_fixture	 pf;
	char			*cause = NULL;

	memset(&p, 0, sizeof p);
	p.name = (char *)"zero";
	p.max_rate = 50;
	p.max_retries = 5;
	plan_make(&pf, "--max-rate 20 198.18.0.1", &p, true);
	CU_ASSERT_EQUAL(pf.plan.ports.n, 1000);
	CU_ASSERT_EQUAL(pf.plan.host_max_outstanding, 1000);
	CU_ASSERT_EQUAL(pf.plan.group_size, 256);
	CU_ASSERT_EQUAL(pf.plan.disc_retries, 1);
	CU_ASSERT_EQUAL(pf.plan.max_retries, 5);
	CU_ASSERT_DOUBLE_EQUAL(pf.plan.max_rate, 20, 1e-9);
	/* The discovery ports of a profile that names none. */
	CU_ASSERT_EQUAL(pf.plan.ndisc, 0);
	plan_fixture_free(&pf);
	p.discovery = PROFILE_DISCOVER_TCP_SYN;
	plan_make(&pf, "-F 198.18.0.1", &p, true);
	CU_ASSERT_EQUAL(pf.plan.ndisc, 4);
	CU_ASSERT_EQUAL(pf.plan.disc[0].port, 22);
	CU_ASSERT_EQUAL(pf.plan.ports.n, 100);
	CU_ASSERT_DOUBLE_EQUAL(pf.plan.max_rate, 50, 1e-9);
	plan_fixture_free(&pf);

	/* -p that the profile's technique cannot take. */
	p.scan_type = PROFILE_SCAN_UDP;
	CU_ASSERT(plan_fixture_make(&pf, "-p T:80 198.18.0.1", &p, true,
	    &cause) == -1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cause);
	CU_ASSERT(strncmp(cause, "ports: ", 7) == 0);
	free(cause);
	plan_fixture_free(&pf);
}

/* Plan args with p; the cause it is refused with (allocated), or NULL. */
static char *
plan_refused(const char *args, const struct profile *p)
{
	struct plan_fixture	 pf;
	char			*cause = NULL;

	if (plan_fixture_make(&pf, args, p, true, &cause) == 0)
		CU_ASSERT_PTR_NULL(cause);
	plan_fixture_free(&pf);
	return (cause);
}

static void
test_scan_plan_applies_timing_options_only_gentler(void)
{
	struct profile		 p;
	struct plan_fixture	 pf;
	char			*cause;

	memset(&p, 0, sizeof p);
	p.name = (char *)"locked";
	p.max_rate = 50;
	p.max_retries = 5;
	p.scan_delay = 100;
	p.max_rtt_timeout = 2000;
	p.max_parallel_hosts = 8;
	plan_make(&pf, "--max-rate 20 --max-retries 2 --scan-delay 1s "
	    "--max-rtt-timeout 5s --max-hostgroup 4 198.18.0.1", &p, true);
	CU_ASSERT_DOUBLE_EQUAL(pf.plan.max_rate, 20, 1e-9);
	CU_ASSERT_EQUAL(pf.plan.max_retries, 2);
	CU_ASSERT_EQUAL(pf.plan.scan_delay, 1000);
	CU_ASSERT_EQUAL(pf.plan.group_size, 4);
	CU_ASSERT_EQUAL(pf.plan.profile->max_rtt_timeout, 5000);
	/* The profile given is left as it was. */
	CU_ASSERT_EQUAL(p.max_retries, 5);
	plan_fixture_free(&pf);

	cause = plan_refused("--max-rate 90 198.18.0.1", &p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cause);
	CU_ASSERT_STRING_EQUAL(cause, "--max-rate: max_rate: 90/s raises the "
	    "limit of profile locked (50/s), which is not unlocked");
	free(cause);
	cause = plan_refused("--scan-delay 10ms 198.18.0.1", &p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cause);
	CU_ASSERT_PTR_NOT_NULL(strstr(cause, "scan_delay"));
	free(cause);
	cause = plan_refused("--min-rate 5 198.18.0.1", &p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cause);
	CU_ASSERT_PTR_NOT_NULL(strstr(cause, "not unlocked"));
	free(cause);

	/* An unlocked profile may be raised, and take a minimum rate. */
	p.unlocked = true;
	plan_make(&pf, "--max-rate 90 --max-retries 9 --min-rate 30 "
	    "198.18.0.1", &p, true);
	CU_ASSERT_DOUBLE_EQUAL(pf.plan.max_rate, 90, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(pf.plan.min_rate, 30, 1e-9);
	CU_ASSERT_EQUAL(pf.plan.max_retries, 9);
	plan_fixture_free(&pf);
}

static void
test_scan_plan_takes_discovery_from_p_options(void)
{
	struct profile		 p;
	struct plan_fixture	 pf;
	char			*cause;

	memset(&p, 0, sizeof p);
	p.name = (char *)"disc";
	p.discovery = PROFILE_DISCOVER_ICMP_ECHO | PROFILE_DISCOVER_TCP_ACK;
	plan_make(&pf, "-PS22,443 -PU -PP 198.18.0.1", &p, true);
	CU_ASSERT_EQUAL(pf.plan.ndisc, 4);
	CU_ASSERT(has_probe(&pf.plan, SCAN_PLAN_ICMP_TSTAMP));
	CU_ASSERT(has_probe(&pf.plan, SCAN_PLAN_UDP));
	CU_ASSERT(!has_probe(&pf.plan, SCAN_PLAN_ICMP_ECHO));
	CU_ASSERT(!has_probe(&pf.plan, SCAN_PLAN_TCP_ACK));
	CU_ASSERT_EQUAL(pf.plan.disc[1].port, 22);
	CU_ASSERT_EQUAL(pf.plan.disc[2].port, 443);
	CU_ASSERT_EQUAL(pf.plan.disc[3].port, 40125);
	plan_fixture_free(&pf);

	/* Without raw sockets -PS connects; -PE cannot be sent. */
	plan_make(&pf, "-PS80 198.18.0.1", &p, false);
	CU_ASSERT_EQUAL(pf.plan.ndisc, 1);
	CU_ASSERT(has_probe(&pf.plan, SCAN_PLAN_TCP_CONNECT));
	plan_fixture_free(&pf);
	cause = plan_refused("-sT -PE 198.18.0.1", &p);
	CU_ASSERT_PTR_NOT_NULL(cause);
	free(cause);
	/* -PR alone: ARP, nothing else. */
	plan_make(&pf, "-PR 198.18.0.1", &p, true);
	CU_ASSERT_EQUAL(pf.plan.ndisc, 0);
	CU_ASSERT(pf.plan.arp);
	plan_fixture_free(&pf);
}

static const struct unit_test tests[] = {
	TEST(test_scan_plan_estimate_brackets_what_the_engine_sends),
	TEST(test_scan_plan_estimate_counts_the_discovery_of_hosts_that_are_down),
	TEST(test_scan_plan_sends_no_icmp_timestamp_to_ipv6),
	TEST(test_scan_plan_connects_without_raw_sockets),
	TEST(test_scan_plan_discovers_raw_for_a_udp_scan),
	TEST(test_scan_plan_takes_the_technique_and_ports_of_a_udp_profile),
	TEST(test_scan_plan_applies_every_default_once),
	TEST(test_scan_plan_applies_timing_options_only_gentler),
	TEST(test_scan_plan_takes_discovery_from_p_options),
	TEST_END
};

UNIT_MAIN("scan-plan", tests)
