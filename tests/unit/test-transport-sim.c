/*
 * The engine over the simulated network: every port it reports is what
 * the simulation says the port is, through jitter, loss, RST and ICMP
 * rate limits, a host that dies and one that answers everything; the
 * scan delay of a rate-limited host settles within a few percent of its
 * limit, follows it down when it falls, and keeps host_max_rate; shards
 * of one scan cover every pair exactly once, each host in one shard
 * (or, split by pairs, in every shard at its part of the host's rate);
 * and a scan of a thousand
 * hosts (a small version of bench/sim-scale) finishes with every pair
 * decided; a host slower than host_timeout is abandoned, its ports left
 * out of the results, and the others are not.
 */
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "unit.h"

#include "event.h"
#include "results.h"
#include "scan.h"
#include "sim-fixture.h"

#define RUN_PAIRS_MAX	(1U << 20)
#define RUN_SECONDS	64

/* What a scan over the simulation found, checked as it came. */
struct run {
	struct sim_scan		 sim;
	uint64_t		 ports_seen;
	uint64_t		 wrong;		/* not what the sim says */
	uint64_t		 states[EVENT_PORT_CLOSED_FILTERED + 1];
	uint64_t		 hosts_silent;
	uint64_t		 hosts_down;
	uint64_t		 retransmits;
	uint32_t		 end;
	bool			 standard;	/* the standard profile's timing */
	bool			 shard_pairs;	/* --shard-pairs, not --shard */
	uint8_t			*pairs;		/* times each pair was seen */
	/* The last octet's host: the shards that saw it, a bit each. */
	uint32_t		 host_shards[256];
	uint32_t		 shard;		/* of the scan running */
	double			 profile_rate;	/* host_max_rate; 0: none */
	double			 plan_rate;	/* the plan's */
	uint32_t		 host_timeout;	/* the profile's, ms */
	uint32_t		 max_state;	/* the profile's; 0: no model */
	uint16_t		 source_port;	/* -g; 0: none */
	uint32_t		 state_peak;
	uint64_t		 hosts_timedout;
	struct results		*store;		/* NULL: none */
	/* Each progress record: the scan delay, when, probes so far. */
	uint32_t		 delay_us[RUN_SECONDS];
	uint64_t		 mono_ns[RUN_SECONDS];
	uint64_t		 probes[RUN_SECONDS];
	size_t			 nprogress;
};

/* A port decided, in a record of its own or in a run. */
static void
run_port(struct run *run, const struct target_addr *a, uint8_t proto,
    uint16_t port, uint8_t state)
{
	uint64_t	key;

	run->ports_seen++;
	if (state <= EVENT_PORT_CLOSED_FILTERED)
		run->states[state]++;
	if (transport_sim_truth(run->sim.sim, a, proto, port) != state)
		run->wrong++;
	key = (uint64_t)a->addr[3] << 12 | (port & 0xfff);
	if (run->pairs != NULL && run->pairs[key] < 255)
		run->pairs[key]++;
	run->host_shards[a->addr[3]] |= 1U << run->shard;
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
	const struct event_progress	*pr = payload;

	if (run->store != NULL)
		results_apply(run->store, h, payload);
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
		if (eh->state == EVENT_HOST_TIMEOUT)
			run->hosts_timedout++;
		break;
	case EVENT_SCAN_END:
		run->end = end->status;
		break;
	case EVENT_PROGRESS:
		if (run->nprogress == RUN_SECONDS)
			break;
		run->delay_us[run->nprogress] = pr->delay_us;
		run->mono_ns[run->nprogress] = h->mono_ns;
		run->probes[run->nprogress] = pr->probes_sent;
		run->nprogress++;
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

/*
 * Scan targets and ports (a -p specification for TCP and UDP) over a
 * simulation of hosts; no_ping as -Pn.
 */
static void
run_scan(struct run *run, const struct transport_sim_hosts *hosts,
    size_t nhosts, const char *targets, const char *ports, bool no_ping,
    uint32_t shard_index, uint32_t shard_count)
{
	struct sim_config	c;

	memset(&c, 0, sizeof c);
	c.hosts = hosts;
	c.nhosts = nhosts;
	c.sim_seed = 42;
	c.targets = targets;
	c.technique = "-sS -sU";
	c.ports = ports;
	profile_make(&c.profile, run->standard);
	c.profile.host_max_rate = run->profile_rate;
	c.profile.host_timeout = run->host_timeout;
	/* The standard profile's lifetimes, ms. */
	c.profile.max_state_entries = run->max_state;
	c.profile.state_entry_lifetime = 120000;
	c.profile.state_udp_lifetime = 30000;
	c.profile.state_icmp_lifetime = 30000;
	c.profile.state_close_lifetime = 10000;
	c.source_port = run->source_port;
	c.seed = 7;
	c.no_ping = no_ping;
	c.shard_index = shard_index;
	c.shard_count = shard_count;
	c.shard_pairs = run->shard_pairs;
	c.sink = run_sink;
	c.sink_arg = run;
	run->shard = shard_index;
	CU_ASSERT_FATAL(sim_open(&run->sim, &c) == 0);
	run->plan_rate = run->sim.pf.plan.host_max_rate;
	CU_ASSERT(sim_run(&run->sim) == 0);
	run->retransmits = sim_stats(&run->sim)->retransmits;
	run->state_peak = sim_stats(&run->sim)->state_peak;
	sim_close(&run->sim);
	CU_ASSERT(run->end == EVENT_END_DONE);
}

/* The usual host: some ports open, some filtered, the rest closed. */
static struct transport_sim_hosts
hosts_make(const char *first, const char *last)
{
	struct transport_sim_hosts	h;

	memset(&h, 0, sizeof h);
	sim_addr(&h.first, first);
	sim_addr(&h.last, last);
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

/* A host that loses nothing: two tries for each port that never answers. */
static void
test_transport_sim_filtered_ports_get_two_tries(void)
{
	struct transport_sim_hosts	h = hosts_make("198.18.1.0",
					    "198.18.1.3");
	struct run			run;

	h.open_pm = 20;
	h.filtered_pm = 600;
	memset(&run, 0, sizeof run);
	run.standard = true;
	run_scan(&run, &h, 1, "198.18.1.0/30", "T:1-300", true, 0, 1);
	CU_ASSERT(run.ports_seen == 4 * 300);
	CU_ASSERT(run.wrong == 0);
	CU_ASSERT(run.states[EVENT_PORT_FILTERED] > 500);
	CU_ASSERT_EQUAL(run.retransmits, run.states[EVENT_PORT_FILTERED]);
}

/*
 * A host that filters every port: each port's two tries make two state
 * entries in a NAT, one from each source port, but one with -g, where
 * both go from the same port.
 */
static void
test_transport_sim_source_port_makes_one_state_entry_a_port(void)
{
	struct transport_sim_hosts	h = hosts_make("198.18.1.0",
					    "198.18.1.0");
	struct run			run;
	uint16_t			sport;

	h.open_pm = 0;
	h.filtered_pm = 1000;
	for (sport = 0; sport <= 53; sport += 53) {
		memset(&run, 0, sizeof run);
		run.max_state = 100000;
		run.source_port = sport;
		run_scan(&run, &h, 1, "198.18.1.0", "T:1-300", true, 0, 1);
		CU_ASSERT(run.ports_seen == 300);
		CU_ASSERT(run.wrong == 0);
		CU_ASSERT_EQUAL(run.retransmits, 300);
		CU_ASSERT(sport == 0 ? run.state_peak > 300 :
		    run.state_peak <= 300);
	}
}

/*
 * 5% lost each way (about 10% of the tries) from the first probe: the
 * ports whose first tries
 * were lost before the host was seen to lose anything are tried again.
 */
static void
test_transport_sim_heavy_loss_loses_no_port(void)
{
	struct transport_sim_hosts	h = hosts_make("198.18.1.0",
					    "198.18.1.7");
	struct run			run;

	h.loss_pm = 50;
	h.filtered_pm = 0;
	memset(&run, 0, sizeof run);
	run.standard = true;
	run_scan(&run, &h, 1, "198.18.1.0/29", "T:1-1000", true, 0, 1);
	CU_ASSERT(run.ports_seen == 8 * 1000);
	CU_ASSERT(run.wrong == 0);
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

/*
 * A host limited to 30 RSTs a second and then to after_rate, scanned on
 * ports 1-ports; its scan delays at the end, in range, and every port
 * right.
 */
static void
run_limit_change(double after_rate, const char *ports, uint64_t nports)
{
	struct transport_sim_hosts	h = hosts_make("198.18.1.9",
					    "198.18.1.9");
	struct run			run;
	double				want = 1e6 / after_rate;
	uint32_t			slowest = 0;
	size_t				i;

	h.open_pm = 0;
	h.filtered_pm = 0;
	h.rst_rate = 30;
	h.rst_after = 150;
	h.rst_rate_after = after_rate;
	memset(&run, 0, sizeof run);
	run.standard = true;
	run_scan(&run, &h, 1, "198.18.1.9", ports, true, 0, 1);
	CU_ASSERT(run.ports_seen == nports);
	CU_ASSERT(run.wrong == 0);
	CU_ASSERT_FATAL(run.nprogress >= 9);
	/*
	 * The last five seconds (not the record that ends the scan): never
	 * paced over 5% under the limit (which costs time), and at it or
	 * up to 10% over it (a limit read a little high loses a little and
	 * costs no time) but in the seconds that probe above it.
	 */
	for (i = run.nprogress - 6; i + 1 < run.nprogress; i++) {
		CU_ASSERT(run.delay_us[i] <= want * 1.05);
		if (run.delay_us[i] > slowest)
			slowest = run.delay_us[i];
	}
	CU_ASSERT(slowest >= want / 1.10);
}

static void
test_transport_sim_delay_probes_up_to_a_limit_that_rose(void)
{
	run_limit_change(60, "T:1-800", 800);
}

static void
test_transport_sim_delay_backs_off_to_a_limit_that_fell(void)
{
	run_limit_change(20, "T:1-330", 330);
}

static void
test_transport_sim_probing_above_the_limit_keeps_host_max_rate(void)
{
	struct transport_sim_hosts	h = hosts_make("198.18.1.9",
					    "198.18.1.9");
	struct run			run;
	size_t				i;
	double				dt;
	uint32_t			least = UINT32_MAX;

	h.open_pm = 0;
	h.filtered_pm = 0;
	h.rst_rate = 20;
	h.rst_after = 100;
	h.rst_rate_after = 100;
	memset(&run, 0, sizeof run);
	run.standard = true;
	/*
	 * Limited at 20, then at 100: probing climbs past the host's own
	 * cap of 45 a second, which holds in every second.
	 */
	run.profile_rate = 45;
	run_scan(&run, &h, 1, "198.18.1.9", "T:1-400", true, 0, 1);
	CU_ASSERT(run.ports_seen == 400);
	CU_ASSERT(run.wrong == 0);
	CU_ASSERT_FATAL(run.nprogress >= 4);
	for (i = 1; i < run.nprogress; i++) {
		dt = (double)(run.mono_ns[i] - run.mono_ns[i - 1]) / 1e9;
		CU_ASSERT((double)(run.probes[i] - run.probes[i - 1]) <=
		    45 * dt + 1);
		if (run.delay_us[i] != 0 && run.delay_us[i] < least)
			least = run.delay_us[i];
	}
	CU_ASSERT(least < 1e6 / 45);
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
	/*
	 * Enough ports that the dead host's last ones outlast the second
	 * without an answer that a heartbeat waits for (two tries each at
	 * the 20 ms minimum timeout, 100 at a time).
	 */
	run_scan(&run, h, 2, "198.18.1.1-2", "T:1-6000", true, 0, 1);
	CU_ASSERT(run.hosts_silent == 1);
	/* The one that answers every port: all open. */
	CU_ASSERT(run.states[EVENT_PORT_OPEN] >= 6000);
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

/* 3 shards of a /24 x 40 ports: every pair once; whose are the hosts. */
static void
shards_run(struct run *run, bool pairs)
{
	struct transport_sim_hosts	h = hosts_make("198.18.2.0",
					    "198.18.2.255");
	uint32_t			i, n = 3, port;
	uint64_t			once = 0;

	memset(run, 0, sizeof *run);
	run->shard_pairs = pairs;
	run->pairs = calloc(RUN_PAIRS_MAX, 1);
	CU_ASSERT_FATAL(run->pairs != NULL);
	run->profile_rate = 3000;
	for (i = 0; i < n; i++) {
		run->end = 0;
		run_scan(run, &h, 1, "198.18.2.0/24", "T:1-40", true, i, n);
		CU_ASSERT(run->plan_rate == (pairs ? 1000 : 3000));
	}
	for (i = 0; i < 256; i++)
		for (port = 1; port <= 40; port++)
			once += run->pairs[i << 12 | port] == 1;
	CU_ASSERT(once == 256 * 40);
	CU_ASSERT(run->ports_seen == 256 * 40);
	CU_ASSERT(run->wrong == 0);
	free(run->pairs);
}

static void
test_transport_sim_shards_cover_each_pair_once(void)
{
	struct run	run;
	uint32_t	i, counts[8] = { 0 };

	shards_run(&run, false);
	for (i = 0; i < 256; i++)
		counts[run.host_shards[i] & 7]++;
	/* Whole hosts: each in one shard, about a third in each. */
	CU_ASSERT(counts[1] + counts[2] + counts[4] == 256);
	for (i = 0; i < 3; i++)
		CU_ASSERT(counts[1U << i] > 256 / 4);
}

static void
test_transport_sim_pair_shards_share_every_host(void)
{
	struct run	run;
	uint32_t	i, all = 0;

	shards_run(&run, true);
	for (i = 0; i < 256; i++)
		all += run.host_shards[i] == 7;
	CU_ASSERT(all == 256);
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

/*
 * host_timeout: a host whose ports mostly drop, behind a long round trip,
 * takes longer than the profile allows and is abandoned (a timeout
 * record, its ports, though some were reported, one by one or in runs,
 * out of the results); a quick host of the same group is done and keeps
 * every port; the scan ends long before the slow host would have.
 */
static void
test_transport_sim_host_timeout_abandons_the_slow_host(void)
{
	struct transport_sim_hosts	 h[2];
	struct target_addr		 fast, slow;
	const struct results_host	*rh;
	struct run			 run;
	struct timespec			 t0, t1;

	h[0] = hosts_make("198.18.1.1", "198.18.1.1");
	h[0].filtered_pm = 0;
	h[1] = hosts_make("198.18.1.2", "198.18.1.2");
	h[1].open_pm = 0;
	h[1].filtered_pm = 900;
	h[1].rtt_us = 300000;
	sim_addr(&fast, "198.18.1.1");
	sim_addr(&slow, "198.18.1.2");
	memset(&run, 0, sizeof run);
	run.host_timeout = 1500;
	run.store = results_create();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	run_scan(&run, h, 2, "198.18.1.1-2", "T:1-200", true, 0, 1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CU_ASSERT(t1.tv_sec - t0.tv_sec < 6);
	CU_ASSERT_EQUAL(run.hosts_timedout, 1);
	CU_ASSERT(run.wrong == 0);
	/* Some of the slow host's ports were reported before it timed out. */
	CU_ASSERT(run.ports_seen > 200);
	CU_ASSERT(run.ports_seen < 400);
	rh = results_host_find(run.store, &fast);
	CU_ASSERT_FATAL(rh != NULL);
	CU_ASSERT_FALSE(rh->timedout);
	CU_ASSERT(rh->done);
	CU_ASSERT_EQUAL(results_port_count(rh, 0), 200);
	rh = results_host_find(run.store, &slow);
	CU_ASSERT_FATAL(rh != NULL);
	CU_ASSERT(rh->timedout);
	CU_ASSERT_EQUAL(rh->state, EVENT_HOST_UP);
	CU_ASSERT_EQUAL(rh->nports, 0);
	CU_ASSERT_EQUAL(rh->nruns, 0);
	CU_ASSERT_EQUAL(results_port_count(rh, 0), 0);
	results_free(run.store);
}

static const struct unit_test tests[] = {
	TEST(test_transport_sim_scan_finds_every_state),
	TEST(test_transport_sim_loss_costs_retries_not_accuracy),
	TEST(test_transport_sim_long_rtt_is_not_filtering),
	TEST(test_transport_sim_rst_rate_limit_is_waited_out),
	TEST(test_transport_sim_delay_probes_up_to_a_limit_that_rose),
	TEST(test_transport_sim_delay_backs_off_to_a_limit_that_fell),
	TEST(test_transport_sim_probing_above_the_limit_keeps_host_max_rate),
	TEST(test_transport_sim_icmp_rate_limit_is_not_open_filtered),
	TEST(test_transport_sim_dying_host_goes_silent),
	TEST(test_transport_sim_discovery_finds_up_and_down),
	TEST(test_transport_sim_shards_cover_each_pair_once),
	TEST(test_transport_sim_pair_shards_share_every_host),
	TEST(test_transport_sim_thousand_hosts_all_decided),
	TEST(test_transport_sim_host_timeout_abandons_the_slow_host),
	TEST(test_transport_sim_filtered_ports_get_two_tries),
	TEST(test_transport_sim_heavy_loss_loses_no_port),
	TEST(test_transport_sim_source_port_makes_one_state_entry_a_port),
	TEST_END
};

UNIT_MAIN("transport-sim", tests)
