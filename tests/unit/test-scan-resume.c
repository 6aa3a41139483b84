/*
 * Resuming a scan (scan.c with scan_config.resume), over the simulated
 * network: a scan interrupted (stop_fd) after some of its ports, then
 * resumed with the results store of its first part, decides every pair
 * exactly once between the two runs and ends with the results of an
 * uninterrupted scan; its hosts keep their states, down ones included,
 * and a resume of a scan with other targets is refused. And on a large
 * simulation, with the journal: a scan killed (SIGKILL) at random
 * moments and resumed from its journal each time ends with the journal
 * of an uninterrupted scan, each pair in it once.
 */
#include <sys/wait.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"

#include "event.h"
#include "journal.h"
#include "results.h"
#include "sim-fixture.h"
#include "xmalloc.h"

#define RESUME_TARGETS	"198.18.0.10-15"	/* .14 and .15: no host */
#define RESUME_PORTS	"1-50"
#define RESUME_PAIRS	(6 * 50)

/* The large simulation: a /20 on 100 ports, 409,600 pairs. */
#define LARGE_TARGETS	"198.18.16.0/20"
#define LARGE_PORTS	100
#define LARGE_PAIRS	(4096 * LARGE_PORTS)
#define LARGE_KILLS	20	/* at most, before it ends on its own */

/* One run: its records go to a results store and are counted. */
struct run {
	struct results	*results;
	uint8_t		 seen[RESUME_PAIRS];	/* records of each pair */
	uint64_t	 ports;
	uint64_t	 stop_after;	/* port records; 0: never */
	struct sim_scan	 sim;		/* interrupted then */
	uint32_t	 end;
	uint64_t	 discovery;	/* hosts found up or down */
};

/* A port decided, alone or in a run: pair host * 50 + port - 1. */
static void
run_pair(struct run *run, const struct target_addr *a, uint16_t port)
{
	uint64_t	pair = (uint64_t)(a->addr[3] - 10) * 50 + port - 1;

	if (pair < RESUME_PAIRS && run->seen[pair] < 255)
		run->seen[pair]++;
	if (++run->ports == run->stop_after)
		sim_interrupt(&run->sim);
}

static void
run_sink(void *arg, const struct event_header *h, const void *payload)
{
	struct run			*run = arg;
	const struct event_port		*p = payload;
	const struct event_port_run	*r = payload;
	const struct event_host		*eh = payload;
	struct event_port_run_pos	 pos = { 0 };
	uint16_t			 port;

	results_apply(run->results, h, payload);
	switch (h->type) {
	case EVENT_PORT_STATE:
		run_pair(run, &p->addr, p->port);
		break;
	case EVENT_PORT_RUN:
		while (event_port_run_next(r, h->len, &pos, &port) == 1)
			run_pair(run, &r->addr, port);
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
	struct results_port		*v = NULL, buf;
	size_t				 i, j, n, av = 0;

	CU_ASSERT_FATAL(results_host_count(a) == results_host_count(b));
	for (i = 0; i < results_host_count(a); i++) {
		ha = results_host(a, i);
		hb = results_host_find(b, &ha->addr);
		CU_ASSERT_FATAL(hb != NULL);
		CU_ASSERT(ha->state == hb->state);
		CU_ASSERT(ha->done == hb->done);
		n = results_host_ports(ha, &v, &av);
		CU_ASSERT(n == results_port_count(hb, 0));
		for (j = 0; j < n; j++) {
			pb = results_port_find(hb, v[j].port, v[j].proto, &buf);
			CU_ASSERT_FATAL(pb != NULL);
			CU_ASSERT(pb->state == v[j].state);
			CU_ASSERT(pb->reason == v[j].reason);
			CU_ASSERT(pb->ttl == v[j].ttl);
		}
	}
	free(v);
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

	/*
	 * The first group's 150 ports are all out when it ends; then the
	 * second's open ports come one by one, its others in runs.
	 */
	resume_after(whole, 151);
	resume_after(whole, 155);
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

/*
 * Scan the large simulation into the journal at path, resuming it if it
 * has records; in a child, which the caller may kill. Exits 0 when the
 * scan ends.
 */
static void
large_scan(const char *path)
{
	struct transport_sim_hosts	 hosts;
	struct sim_config		 c;
	struct sim_scan			 f;
	struct journal			*j;
	struct results			*resume = NULL;
	char				*ports, *cause = NULL;
	uint64_t			 seq = 0;

	memset(&hosts, 0, sizeof hosts);
	sim_addr(&hosts.first, "198.18.16.0");
	sim_addr(&hosts.last, "198.18.31.255");
	hosts.open_pm = 10;
	hosts.filtered_pm = 50;
	hosts.rtt_us = 2000;
	hosts.jitter_us = 500;
	if (access(path, F_OK) == 0) {
		if ((resume = results_load_journal(path, &cause)) == NULL ||
		    (j = journal_open_append(path, &seq, &cause)) == NULL)
			_exit(3);
	} else if ((j = journal_create(path, &cause)) == NULL)
		_exit(3);
	xasprintf(&ports, "1-%u", LARGE_PORTS);
	memset(&c, 0, sizeof c);
	c.hosts = &hosts;
	c.nhosts = 1;
	c.sim_seed = 9;
	c.targets = LARGE_TARGETS;
	c.ports = ports;
	c.profile.name = (char *)"sim";
	c.profile.host_max_outstanding = 20;
	c.profile.max_parallel_hosts = 256;
	c.profile.max_retries = 1;
	c.profile.initial_rtt_timeout = 50;
	c.profile.min_rtt_timeout = 20;
	c.profile.max_rtt_timeout = 100;
	c.seed = 3;
	c.no_ping = true;
	c.resume = resume;
	c.sink = journal_sink;
	c.sink_arg = j;
	if (sim_open(&f, &c) != 0)
		_exit(3);
	event_stream_set_seq(f.es, seq);
	if (sim_run(&f) != 0 || journal_close(j, &cause) != 0)
		_exit(3);
	_exit(0);
}

/* Run large_scan in a child; kill it after ms (0: never). 1: it ended. */
static int
large_run(const char *path, unsigned ms)
{
	struct timespec	ts;
	pid_t		pid;
	int		status;

	fflush(NULL);
	CU_ASSERT_FATAL((pid = fork()) != -1);
	if (pid == 0)
		large_scan(path);
	if (ms != 0) {
		ts.tv_sec = ms / 1000;
		ts.tv_nsec = (long)(ms % 1000) * 1000000;
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
	}
	CU_ASSERT_FATAL(waitpid(pid, &status, 0) == pid);
	if (WIFSIGNALED(status))
		return (0);
	CU_ASSERT_FATAL(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return (1);
}

/* Each pair's ports in the journal's port-state and port-run records. */
static void
large_count(const char *path, uint8_t *seen)
{
	struct journal_reader		*jr;
	const struct event_header	*h;
	const void			*payload;
	const struct event_port		*p;
	const struct event_port_run	*r;
	char				*cause = NULL;
	struct event_port_run_pos	 pos;
	uint16_t			 port;
	uint64_t			 host;

	jr = journal_reader_open(path, &cause);
	CU_ASSERT_FATAL(jr != NULL);
	while (journal_reader_next(jr, &h, &payload, &cause) == 1) {
		p = payload;
		r = payload;
		if (h->type == EVENT_PORT_STATE) {
			host = (uint64_t)(p->addr.addr[2] - 16) * 256 +
			    p->addr.addr[3];
			if (seen[host * LARGE_PORTS + p->port - 1] < 255)
				seen[host * LARGE_PORTS + p->port - 1]++;
		}
		if (h->type != EVENT_PORT_RUN)
			continue;
		host = (uint64_t)(r->addr.addr[2] - 16) * 256 + r->addr.addr[3];
		memset(&pos, 0, sizeof pos);
		while (event_port_run_next(r, h->len, &pos, &port) == 1)
			if (seen[host * LARGE_PORTS + port - 1] < 255)
				seen[host * LARGE_PORTS + port - 1]++;
	}
	CU_ASSERT(cause == NULL);
	free(cause);
	journal_reader_free(jr);
}

static void
test_scan_resume_after_sigkill_on_a_large_simulation(void)
{
	struct results	*whole, *killed;
	char		*wpath, *kpath, *cause = NULL;
	uint8_t		*seen;
	unsigned	 seed = (unsigned)time(NULL), i, once = 0, kills = 0;
	unsigned	 ms;
	int		 ended = 0;
	struct timespec	 t0, t1;

	wpath = unit_tmpfile("", 0);
	kpath = unit_tmpfile("", 0);
	unlink(wpath);
	unlink(kpath);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CU_ASSERT_FATAL(large_run(wpath, 0) == 1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (unsigned)((t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000);
	printf("\n    whole in %u ms; kill times from seed %u:", ms, seed);
	srand(seed);
	while (!ended && kills < LARGE_KILLS) {
		/*
		 * Anywhere in the time a whole scan takes; the first in
		 * the first half, so that there is one.
		 */
		i = (unsigned)rand() % (kills == 0 ? ms / 2 + 1 : ms + 1) + 10;
		printf(" %u", i);
		if (!(ended = large_run(kpath, i)))
			kills++;
	}
	if (!ended)
		CU_ASSERT_FATAL(large_run(kpath, 0) == 1);
	printf(" ms: %u kills\n", kills);
	CU_ASSERT(kills > 0);

	whole = results_load_journal(wpath, &cause);
	killed = results_load_journal(kpath, &cause);
	CU_ASSERT_FATAL(whole != NULL && killed != NULL);
	CU_ASSERT(results_scan(killed)->ended);
	results_check_same(whole, killed);
	results_check_same(killed, whole);
	seen = xcalloc(LARGE_PAIRS, 1);
	large_count(kpath, seen);
	for (i = 0; i < LARGE_PAIRS; i++)
		once += seen[i] == 1;
	CU_ASSERT(once == LARGE_PAIRS);
	free(seen);
	results_free(whole);
	results_free(killed);
	unlink(wpath);
	unlink(kpath);
	free(wpath);
	free(kpath);
}

static const struct unit_test tests[] = {
	TEST(test_scan_resume_in_the_first_group_decides_each_pair_once),
	TEST(test_scan_resume_skips_finished_groups),
	TEST(test_scan_resume_with_every_group_done_only_ends),
	TEST(test_scan_resume_refuses_other_targets),
	TEST(test_scan_resume_after_sigkill_on_a_large_simulation),
	TEST_END
};

UNIT_MAIN("scan-resume", tests)
