/*
 * Resuming a scan (scan.c with scan_config.resume), over the simulated
 * network: a scan interrupted (stop_fd) after some of its ports, then
 * resumed with the results store of its first part, decides every pair
 * exactly once between the two runs and ends with the results of an
 * uninterrupted scan; its hosts keep their states, down ones included,
 * and a resume of a scan with other targets is refused.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include "event.h"
#include "results.h"
#include "sim-fixture.h"
#include "xmalloc.h"

#define RESUME_TARGETS	"198.18.0.10-15"	/* .14 and .15: no host */
#define RESUME_PORTS	"1-50"
#define RESUME_PAIRS	(6 * 50)

/* One run: its records go to a results store and are counted. */
struct run {
	struct results	*results;
	uint8_t		 seen[RESUME_PAIRS];	/* port records a pair */
	uint64_t	 ports;
	uint64_t	 stop_after;	/* port records; 0: never */
	struct sim_scan	 sim;		/* interrupted then */
	uint32_t	 end;
	uint64_t	 discovery;	/* hosts found up or down */
};

static void
run_sink(void *arg, const struct event_header *h, const void *payload)
{
	struct run			*run = arg;
	const struct event_port		*p = payload;
	const struct event_host		*eh = payload;

	results_apply(run->results, h, payload);
	switch (h->type) {
	case EVENT_PORT_STATE:
		if (p->pair < RESUME_PAIRS && run->seen[p->pair] < 255)
			run->seen[p->pair]++;
		if (++run->ports == run->stop_after)
			sim_interrupt(&run->sim);
		break;
	case EVENT_HOST_STATE:
		if (eh->state == EVENT_HOST_UP || eh->state == EVENT_HOST_DOWN)
			run->discovery++;
		break;
	case EVENT_SCAN_END:
		run->end = ((const struct event_scan_end *)payload)->status;
		break;
	}
}

/*
 * Scan targets, in groups of three hosts (the second has an address with
 * no host), interrupted after stop_after
 * port records (0: never) or resuming from resume (NULL: a new scan).
 * -1 when scan_create refuses.
 */
static int
run_scan(struct run *run, const char *targets, struct results *resume)
{
	struct transport_sim_hosts	 hosts;
	struct sim_config		 c;
	int				 rc = 0;

	memset(&hosts, 0, sizeof hosts);
	sim_addr(&hosts.first, "198.18.0.10");
	sim_addr(&hosts.last, "198.18.0.13");
	hosts.open_pm = 200;
	hosts.filtered_pm = 100;
	hosts.rtt_us = 1000;
	memset(&c, 0, sizeof c);
	c.hosts = &hosts;
	c.nhosts = 1;
	c.sim_seed = 5;
	c.targets = targets;
	c.ports = RESUME_PORTS;
	c.profile.name = (char *)"sim";
	c.profile.discovery = PROFILE_DISCOVER_ICMP_ECHO |
	    PROFILE_DISCOVER_TCP_SYN;
	c.profile.discovery_ports = (char *)"22";
	c.profile.host_max_outstanding = 4;
	c.profile.max_parallel_hosts = 3;
	c.profile.max_retries = 2;
	c.profile.initial_rtt_timeout = 100;
	c.profile.min_rtt_timeout = 20;
	c.profile.max_rtt_timeout = 200;
	c.seed = 11;
	c.resume = resume;
	c.sink = run_sink;
	c.sink_arg = run;
	if (sim_open(&run->sim, &c) != 0)
		rc = -1;
	else {
		CU_ASSERT(sim_run(&run->sim) == 0);
		CU_ASSERT(sim_interrupted(&run->sim) ==
		    (run->stop_after != 0));
	}
	sim_close(&run->sim);
	return (rc);
}

/* Do two stores hold the same hosts and ports, in the same states? */
static void
results_check_same(const struct results *a, const struct results *b)
{
	const struct results_host	*ha, *hb;
	const struct results_port	*pb;
	size_t				 i, j;

	CU_ASSERT_FATAL(results_host_count(a) == results_host_count(b));
	for (i = 0; i < results_host_count(a); i++) {
		ha = results_host(a, i);
		hb = results_host_find(b, &ha->addr);
		CU_ASSERT_FATAL(hb != NULL);
		CU_ASSERT(ha->state == hb->state);
		CU_ASSERT(ha->done == hb->done);
		CU_ASSERT(ha->nports == hb->nports);
		for (j = 0; j < ha->nports; j++) {
			pb = results_port_find(hb, ha->ports[j].port,
			    ha->ports[j].proto);
			CU_ASSERT_FATAL(pb != NULL);
			CU_ASSERT(pb->state == ha->ports[j].state);
		}
	}
}

/* Interrupt after n port records, resume, compare with whole. */
static void
resume_after(const struct run *whole, uint64_t n)
{
	struct run	*first, *second;
	size_t		 i;

	first = xcalloc(1, sizeof *first);
	second = xcalloc(1, sizeof *second);
	first->results = results_create();
	first->stop_after = n;
	CU_ASSERT_FATAL(run_scan(first, RESUME_TARGETS, NULL) == 0);
	CU_ASSERT(first->end == 0);
	CU_ASSERT(first->ports >= n && first->ports < whole->ports);

	second->results = first->results;
	CU_ASSERT_FATAL(run_scan(second, RESUME_TARGETS,
	    first->results) == 0);
	CU_ASSERT(second->end == EVENT_END_DONE);
	CU_ASSERT(first->ports + second->ports == whole->ports);
	for (i = 0; i < RESUME_PAIRS; i++)
		CU_ASSERT(first->seen[i] + second->seen[i] == whole->seen[i]);
	/* Hosts found before are not looked for again. */
	CU_ASSERT(first->discovery + second->discovery == whole->discovery);
	results_check_same(whole->results, second->results);
	results_free(first->results);
	free(first);
	free(second);
}

static struct run *
whole_run(void)
{
	struct run	*whole;
	size_t		 i;

	whole = xcalloc(1, sizeof *whole);
	whole->results = results_create();
	CU_ASSERT_FATAL(run_scan(whole, RESUME_TARGETS, NULL) == 0);
	CU_ASSERT_FATAL(whole->end == EVENT_END_DONE);
	CU_ASSERT_FATAL(whole->ports == 4 * 50);
	for (i = 0; i < RESUME_PAIRS; i++)
		CU_ASSERT(whole->seen[i] == (i < 4 * 50 ? 1 : 0));
	return (whole);
}

static void
test_scan_resume_in_the_first_group_decides_each_pair_once(void)
{
	struct run	*whole = whole_run();

	resume_after(whole, 10);
	resume_after(whole, 120);
	results_free(whole->results);
	free(whole);
}

static void
test_scan_resume_skips_finished_groups(void)
{
	struct run	*whole = whole_run();

	resume_after(whole, 160);
	resume_after(whole, 190);
	results_free(whole->results);
	free(whole);
}

static void
test_scan_resume_with_every_group_done_only_ends(void)
{
	struct run	*whole = whole_run(), *again;

	again = xcalloc(1, sizeof *again);
	again->results = whole->results;
	CU_ASSERT_FATAL(run_scan(again, RESUME_TARGETS, whole->results) == 0);
	CU_ASSERT(again->ports == 0);
	CU_ASSERT(again->discovery == 0);
	CU_ASSERT(again->end == EVENT_END_DONE);
	results_free(whole->results);
	free(whole);
	free(again);
}

static void
test_scan_resume_refuses_other_targets(void)
{
	struct run	*first, *other;

	first = xcalloc(1, sizeof *first);
	other = xcalloc(1, sizeof *other);
	first->results = results_create();
	first->stop_after = 20;
	CU_ASSERT_FATAL(run_scan(first, RESUME_TARGETS, NULL) == 0);
	other->results = first->results;
	CU_ASSERT(run_scan(other, "198.18.0.10-16", first->results) == -1);
	CU_ASSERT(other->ports == 0);
	results_free(first->results);
	free(first);
	free(other);
}

static const struct unit_test tests[] = {
	TEST(test_scan_resume_in_the_first_group_decides_each_pair_once),
	TEST(test_scan_resume_skips_finished_groups),
	TEST(test_scan_resume_with_every_group_done_only_ends),
	TEST(test_scan_resume_refuses_other_targets),
	TEST_END
};

UNIT_MAIN("scan-resume", tests)
