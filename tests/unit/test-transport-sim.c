/*
 * The engine over the simulated network: every port it reports is what
 * the simulation says the port is, through jitter, loss, RST and ICMP
 * rate limits, a host that dies and one that answers everything; shards
 * of one scan cover every pair exactly once; and a scan of a thousand
 * hosts (a small version of bench/sim-scale) finishes with every pair
 * decided.
 */
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "unit.h"

#include "event.h"
#include "plan-fixture.h"
#include "port-spec.h"
#include "profile.h"
#include "scan.h"
#include "target.h"
#include "transport.h"
#include "transport-sim.h"
#include "xmalloc.h"

#define RUN_PAIRS_MAX	(1U << 20)

/* What a scan over the simulation found, checked as it came. */
struct run {
	struct transport_sim	*sim;
	const struct port_list	*ports;
	uint64_t		 ports_seen;
	uint64_t		 wrong;		/* not what the sim says */
	uint64_t		 states[EVENT_PORT_CLOSED_FILTERED + 1];
	uint64_t		 hosts_silent;
	uint64_t		 hosts_down;
	uint64_t		 retransmits;
	uint32_t		 end;
	bool			 standard;	/* the standard profile's timing */
	uint8_t			*pairs;		/* times each pair was seen */
};

/*
 * A port decided, in a record of its own or in a run. Its pair, for
 * pairs: the host's last byte (a /24) times the ports, plus the port's
 * index.
 */
static void
run_port(struct run *run, const struct target_addr *a, uint8_t proto,
    uint16_t port, uint8_t state)
{
	uint64_t	pair;
	size_t		i;

	run->ports_seen++;
	if (state <= EVENT_PORT_CLOSED_FILTERED)
		run->states[state]++;
	if (transport_sim_truth(run->sim, a, proto, port) != state)
		run->wrong++;
	if (run->pairs == NULL)
		return;
	for (i = 0; i < run->ports->n; i++)
		if (run->ports->v[i].port == port &&
		    run->ports->v[i].proto == proto)
			break;
	pair = (uint64_t)a->addr[3] * run->ports->n + i;
	if (pair < RUN_PAIRS_MAX && run->pairs[pair] < 255)
		run->pairs[pair]++;
}

static void
run_sink(void *arg, const struct event_header *h, const void *payload)
{
	struct run			*run = arg;
	const struct event_port		*p = payload;
	const struct event_port_run	*r = payload;
	const struct event_host		*eh = payload;
	const struct event_scan_end	*end = payload;
	struct event_port_run_pos	 pos = { 0 };
	uint16_t			 port;

	switch (h->type) {
	case EVENT_PORT_STATE:
		run_port(run, &p->addr, p->proto, p->port, p->state);
		break;
	case EVENT_PORT_RUN:
		while (event_port_run_next(r, h->len, &pos, &port) == 1)
			run_port(run, &r->addr, r->proto, port, r->state);
		break;
	case EVENT_HOST_STATE:
		if (eh->state == EVENT_HOST_SILENT)
			run->hosts_silent++;
		if (eh->state == EVENT_HOST_DOWN)
			run->hosts_down++;
		break;
	case EVENT_SCAN_END:
		run->end = end->status;
		break;
	}
}

/* Quick timeouts, or (standard) those of the standard profile. */
static void
profile_make(struct profile *pr, bool standard)
{
	memset(pr, 0, sizeof *pr);
	pr->name = (char *)"sim";
	pr->discovery = PROFILE_DISCOVER_ICMP_ECHO | PROFILE_DISCOVER_TCP_SYN;
	pr->discovery_ports = (char *)"22,80";
	pr->host_max_outstanding = 100;
	pr->max_parallel_hosts = 64;
	pr->max_retries = 4;
	pr->initial_rtt_timeout = 200;
	pr->min_rtt_timeout = 20;
	pr->max_rtt_timeout = 1000;
	if (standard) {
		pr->max_retries = 10;
		pr->initial_rtt_timeout = 1000;
		pr->min_rtt_timeout = 100;
		pr->max_rtt_timeout = 10000;
	}
}

static void
addr_make(struct target_addr *a, const char *s)
{
	struct target_spec	ts;
	char			*cause = NULL;

	CU_ASSERT_FATAL(target_parse_spec(&ts, s, TARGET_NO_DNS,
	    &cause) == 0);
	*a = ts.v[0].first;
	target_parse_free(&ts);
}

/*
 * Scan targets and ports (a -p specification for TCP and UDP) over a
 * simulation of hosts; no_ping as -Pn.
 */
static void
run_scan(struct run *run, const struct transport_sim_hosts *hosts,
    size_t nhosts, const char *targets, const char *ports, bool no_ping,
    uint32_t shard_index, uint32_t shard_count)
{
	struct transport_sim_config	 sc;
	struct scan_config		 cfg;
	struct profile			 pr;
	struct plan_fixture		 pf;
	struct event_stream		*es;
	struct scan			*s;
	char				*args, *cause = NULL;

	memset(&sc, 0, sizeof sc);
	sc.seed = 42;
	addr_make(&sc.src, "198.18.0.2");
	sc.hosts = hosts;
	sc.nhosts = nhosts;
	run->sim = transport_sim_create(&sc, &cause);
	CU_ASSERT_FATAL(run->sim != NULL);

	profile_make(&pr, run->standard);
	xasprintf(&args, "-sS -sU -p %s%s --seed 7 --shard %u/%u %s", ports,
	    no_ping ? " -Pn" : "", shard_index + 1, shard_count, targets);
	CU_ASSERT_FATAL(plan_fixture_make(&pf, args, &pr, true, &cause) == 0);
	free(args);
	run->ports = &pf.plan.ports;

	memset(&cfg, 0, sizeof cfg);
	cfg.plan = &pf.plan;
	cfg.stop_fd = -1;
	cfg.transport = &transport_sim_ops;
	cfg.transport_arg = run->sim;

	es = event_stream_create();
	event_stream_add_sink(es, run_sink, run);
	s = scan_create(&cfg, es, &cause);
	CU_ASSERT_FATAL(s != NULL);
	CU_ASSERT(scan_run(s, &cause) == 0);
	run->retransmits = scan_stats(s)->retransmits;
	scan_free(s);
	event_stream_free(es);
	plan_fixture_free(&pf);
	transport_sim_free(run->sim);
	run->sim = NULL;
	CU_ASSERT(run->end == EVENT_END_DONE);
}

/* The usual host: some ports open, some filtered, the rest closed. */
static struct transport_sim_hosts
hosts_make(const char *first, const char *last)
{
	struct transport_sim_hosts	h;

	memset(&h, 0, sizeof h);
	addr_make(&h.first, first);
	addr_make(&h.last, last);
	h.open_pm = 100;
	h.filtered_pm = 100;
	h.rtt_us = 2000;
	return (h);
}

static void
test_transport_sim_scan_finds_every_state(void)
{
	struct transport_sim_hosts	h = hosts_make("198.18.1.0",
					    "198.18.1.15");
	struct run			run;

	h.jitter_us = 1000;
	memset(&run, 0, sizeof run);
	run_scan(&run, &h, 1, "198.18.1.0/28", "T:1-200,U:1-50", true, 0, 1);
	CU_ASSERT(run.ports_seen == 16 * 250);
	CU_ASSERT(run.wrong == 0);
	CU_ASSERT(run.states[EVENT_PORT_OPEN] > 0);
	CU_ASSERT(run.states[EVENT_PORT_CLOSED] > 0);
	CU_ASSERT(run.states[EVENT_PORT_FILTERED] > 0);
	CU_ASSERT(run.states[EVENT_PORT_OPEN_FILTERED] > 0);
}

static void
test_transport_sim_loss_costs_retries_not_accuracy(void)
{
	struct transport_sim_hosts	h = hosts_make("198.18.1.0",
					    "198.18.1.7");
	struct run			run;

	h.loss_pm = 20;
	h.rtt_us = 5000;
	h.jitter_us = 4000;
	memset(&run, 0, sizeof run);
	run_scan(&run, &h, 1, "198.18.1.0/29", "T:1-300", true, 0, 1);
	CU_ASSERT(run.ports_seen == 8 * 300);
	CU_ASSERT(run.wrong == 0);
	CU_ASSERT(run.retransmits > 0);
}

static void
test_transport_sim_long_rtt_is_not_filtering(void)
{
	struct transport_sim_hosts	h = hosts_make("198.18.1.0",
					    "198.18.1.3");
	struct run			run;

	h.rtt_us = 150000;
	h.jitter_us = 100000;
	memset(&run, 0, sizeof run);
	run_scan(&run, &h, 1, "198.18.1.0/30", "T:1-100", true, 0, 1);
	CU_ASSERT(run.ports_seen == 4 * 100);
	CU_ASSERT(run.wrong == 0);
}

static void
test_transport_sim_rst_rate_limit_is_waited_out(void)
{
	struct transport_sim_hosts	h = hosts_make("198.18.1.9",
					    "198.18.1.9");
	struct run			run;

	h.open_pm = 20;
	h.filtered_pm = 0;
	h.rst_rate = 100;
	memset(&run, 0, sizeof run);
	run.standard = true;
	run_scan(&run, &h, 1, "198.18.1.9", "T:1-200", true, 0, 1);
	CU_ASSERT(run.ports_seen == 200);
	CU_ASSERT(run.wrong == 0);
	CU_ASSERT(run.states[EVENT_PORT_CLOSED] > 150);
}

static void
test_transport_sim_icmp_rate_limit_is_not_open_filtered(void)
{
	struct transport_sim_hosts	h = hosts_make("198.18.1.9",
					    "198.18.1.9");
	struct run			run;

	h.open_pm = 20;
	h.filtered_pm = 50;
	h.icmp_rate = 50;
	memset(&run, 0, sizeof run);
	run.standard = true;
	run_scan(&run, &h, 1, "198.18.1.9", "U:1-80", true, 0, 1);
	CU_ASSERT(run.ports_seen == 80);
	CU_ASSERT(run.wrong == 0);
	CU_ASSERT(run.states[EVENT_PORT_CLOSED] > 50);
}

static void
test_transport_sim_dying_host_goes_silent(void)
{
	struct transport_sim_hosts	h[2];
	struct run			run;

	h[0] = hosts_make("198.18.1.1", "198.18.1.1");
	h[0].die_after = 300;
	h[1] = hosts_make("198.18.1.2", "198.18.1.2");
	h[1].all_open = true;
	memset(&run, 0, sizeof run);
	run_scan(&run, h, 2, "198.18.1.1-2", "T:1-2000", true, 0, 1);
	CU_ASSERT(run.hosts_silent == 1);
	/* The one that answers every port: all open. */
	CU_ASSERT(run.states[EVENT_PORT_OPEN] >= 2000);
}

static void
test_transport_sim_discovery_finds_up_and_down(void)
{
	struct transport_sim_hosts	h[2];
	struct run			run;

	h[0] = hosts_make("198.18.1.1", "198.18.1.4");
	h[1] = hosts_make("198.18.1.5", "198.18.1.6");
	h[1].no_ping = true;
	h[1].filtered_pm = 1000;
	h[1].open_pm = 0;
	memset(&run, 0, sizeof run);
	run_scan(&run, h, 2, "198.18.1.1-8", "T:1-20", false, 0, 1);
	/* 5, 6 drop everything and 7, 8 are not there. */
	CU_ASSERT(run.hosts_down == 4);
	CU_ASSERT(run.ports_seen == 4 * 20);
	CU_ASSERT(run.wrong == 0);
}

static void
test_transport_sim_shards_cover_each_pair_once(void)
{
	struct transport_sim_hosts	h = hosts_make("198.18.2.0",
					    "198.18.2.255");
	struct run			run;
	uint32_t			i, n = 3;
	uint64_t			p, once = 0, total = 256 * 40;

	memset(&run, 0, sizeof run);
	run.pairs = calloc(RUN_PAIRS_MAX, 1);
	CU_ASSERT_FATAL(run.pairs != NULL);
	for (i = 0; i < n; i++) {
		run.end = 0;
		run_scan(&run, &h, 1, "198.18.2.0/24", "T:1-40", true, i, n);
	}
	for (p = 0; p < total; p++)
		once += run.pairs[p] == 1;
	CU_ASSERT(once == total);
	CU_ASSERT(run.ports_seen == total);
	CU_ASSERT(run.wrong == 0);
	free(run.pairs);
}

static void
test_transport_sim_thousand_hosts_all_decided(void)
{
	struct transport_sim_hosts	h = hosts_make("198.18.0.0",
					    "198.18.3.255");
	struct run			run;

	h.rtt_us = 1000;
	h.filtered_pm = 0;
	memset(&run, 0, sizeof run);
	run_scan(&run, &h, 1, "198.18.0.0/22", "T:1-100", true, 0, 1);
	CU_ASSERT(run.ports_seen == 1024 * 100);
	CU_ASSERT(run.wrong == 0);
}

static const struct unit_test tests[] = {
	TEST(test_transport_sim_scan_finds_every_state),
	TEST(test_transport_sim_loss_costs_retries_not_accuracy),
	TEST(test_transport_sim_long_rtt_is_not_filtering),
	TEST(test_transport_sim_rst_rate_limit_is_waited_out),
	TEST(test_transport_sim_icmp_rate_limit_is_not_open_filtered),
	TEST(test_transport_sim_dying_host_goes_silent),
	TEST(test_transport_sim_discovery_finds_up_and_down),
	TEST(test_transport_sim_shards_cover_each_pair_once),
	TEST(test_transport_sim_thousand_hosts_all_decided),
	TEST_END
};

UNIT_MAIN("transport-sim", tests)
