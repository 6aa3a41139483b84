/*
 * Control of a running scan (scan-control.c and the engine's side of
 * it), over the simulated network: slower and faster halve and double
 * the rate limit within the profile's and --max-rate's, a command on the
 * socket is obeyed, recorded and answered, a paused scan sends nothing,
 * a stopped one ends "stopped", and an interrupt (stop_fd) ends a scan
 * with no scan-end record.
 */
#include <sys/wait.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#include "control.h"
#include "event.h"
#include "plan-fixture.h"
#include "profile.h"
#include "scan-control.h"
#include "scan.h"
#include "target.h"
#include "transport.h"
#include "transport-sim.h"
#include "xmalloc.h"

/* A scan of two simulated hosts, and what it recorded. */
struct fixture {
	struct transport_sim		*sim;
	struct transport_sim_hosts	 hosts;
	struct plan_fixture		 pf;
	struct profile			 pr;
	struct event_stream		*es;
	struct scan			*s;
	uint64_t			 ports;
	uint64_t			 controls;
	uint64_t			 ends;
	uint32_t			 end;
	double				 rate;	/* the last control record's */
};

static void
fixture_sink(void *arg, const struct event_header *h, const void *payload)
{
	struct fixture			*f = arg;
	const struct event_control	*c = payload;
	const struct event_scan_end	*e = payload;

	switch (h->type) {
	case EVENT_PORT_STATE:
		f->ports++;
		break;
	case EVENT_PORT_RUN:
		f->ports += ((const struct event_port_run *)payload)->count;
		break;
	case EVENT_CONTROL:
		f->controls++;
		f->rate = c->rate;
		break;
	case EVENT_SCAN_END:
		f->ends++;
		f->end = e->status;
		break;
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

/* The profile's max_rate and --max-rate (0: none); stop_fd or -1. */
static void
fixture_open(struct fixture *f, double profile_rate, double max_rate,
    int stop_fd)
{
	struct transport_sim_config	 sc;
	struct scan_config		 cfg;
	char				*args, *cause = NULL;

	memset(f, 0, sizeof *f);
	addr_make(&f->hosts.first, "198.18.0.10");
	addr_make(&f->hosts.last, "198.18.0.11");
	f->hosts.open_pm = 100;
	f->hosts.rtt_us = 1000;
	memset(&sc, 0, sizeof sc);
	sc.seed = 1;
	addr_make(&sc.src, "198.18.0.2");
	sc.hosts = &f->hosts;
	sc.nhosts = 1;
	f->sim = transport_sim_create(&sc, &cause);
	CU_ASSERT_FATAL(f->sim != NULL);

	f->pr.name = (char *)"sim";
	f->pr.discovery = PROFILE_DISCOVER_ICMP_ECHO;
	f->pr.host_max_outstanding = 10;
	f->pr.max_parallel_hosts = 2;
	f->pr.max_retries = 2;
	f->pr.initial_rtt_timeout = 200;
	f->pr.min_rtt_timeout = 20;
	f->pr.max_rtt_timeout = 1000;
	f->pr.max_rate = profile_rate;

	if (max_rate > 0)
		xasprintf(&args, "-sS -p 1-200 --seed 3 --max-rate %g "
		    "198.18.0.10-11", max_rate);
	else
		args = xstrdup("-sS -p 1-200 --seed 3 198.18.0.10-11");
	CU_ASSERT_FATAL(plan_fixture_make(&f->pf, args, &f->pr, true,
	    &cause) == 0);
	free(args);

	memset(&cfg, 0, sizeof cfg);
	cfg.plan = &f->pf.plan;
	cfg.stop_fd = stop_fd;
	cfg.transport = &transport_sim_ops;
	cfg.transport_arg = f->sim;
	f->es = event_stream_create();
	event_stream_add_sink(f->es, fixture_sink, f);
	f->s = scan_create(&cfg, f->es, &cause);
	CU_ASSERT_FATAL(f->s != NULL);
}

static void
fixture_close(struct fixture *f)
{
	scan_free(f->s);
	event_stream_free(f->es);
	plan_fixture_free(&f->pf);
	transport_sim_free(f->sim);
}

static void
test_scan_control_slower_halves_and_faster_stops_at_the_max_rate(void)
{
	struct fixture	f;

	fixture_open(&f, 100, 40, -1);
	CU_ASSERT_DOUBLE_EQUAL(scan_rate_limit(f.s), 40, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(scan_rate_adjust(f.s, 0.5), 20, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(scan_rate_adjust(f.s, 0.5), 10, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(scan_rate_adjust(f.s, 2), 20, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(scan_rate_adjust(f.s, 2), 40, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(scan_rate_adjust(f.s, 2), 40, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(scan_rate_limit(f.s), 40, 1e-9);
	fixture_close(&f);

	/* The profile's limit caps it when it is the lower. */
	fixture_open(&f, 30, 0, -1);
	CU_ASSERT_DOUBLE_EQUAL(scan_rate_adjust(f.s, 2), 30, 1e-9);
	fixture_close(&f);
}

static void
test_scan_control_faster_keeps_a_scan_with_no_limit_unlimited(void)
{
	struct fixture	f;

	fixture_open(&f, 0, 0, -1);
	CU_ASSERT_DOUBLE_EQUAL(scan_rate_adjust(f.s, 2), 0, 1e-9);
	/* Slower starts from the rate measured (none yet): the floor. */
	CU_ASSERT_DOUBLE_EQUAL(scan_rate_adjust(f.s, 0.5), 1, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(scan_rate_adjust(f.s, 0.5), 1, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(scan_rate_adjust(f.s, 4), 4, 1e-9);
	fixture_close(&f);
}

static void
test_scan_control_obeys_records_and_answers_a_command(void)
{
	struct fixture	 f;
	struct pollfd	 pfd;
	char		 dir[] = "/tmp/test-scan-control.XXXXXX", *path;
	char		*cause = NULL, *reply = NULL;
	pid_t		 pid;
	int		 status;

	CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
	xasprintf(&path, "%s/control", dir);
	fixture_open(&f, 0, 40, -1);
	pfd.fd = control_listen(path, &cause);
	pfd.events = POLLIN;
	CU_ASSERT_FATAL(pfd.fd != -1);
	if ((pid = fork()) == 0) {
		if (control_send(path, EVENT_CONTROL_SLOWER, &reply,
		    &cause) != 0)
			_exit(1);
		_exit(strcmp(reply, "rate=20.0") == 0 ? 0 : 2);
	}
	CU_ASSERT_FATAL(pid != -1);
	CU_ASSERT(poll(&pfd, 1, 5000) == 1);
	scan_control_accept(f.s, pfd.fd, f.es);
	CU_ASSERT(waitpid(pid, &status, 0) == pid);
	CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CU_ASSERT(f.controls == 1);
	CU_ASSERT_DOUBLE_EQUAL(f.rate, 20, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(scan_rate_limit(f.s), 20, 1e-9);
	close(pfd.fd);
	unlink(path);
	rmdir(dir);
	free(path);
	fixture_close(&f);
}

static void
test_scan_control_paused_scan_sends_nothing_and_interrupt_ends_it(void)
{
	struct fixture	 f;
	char		*cause = NULL;
	int		 p[2];

	CU_ASSERT_FATAL(pipe(p) == 0);
	fixture_open(&f, 0, 0, p[0]);
	scan_pause(f.s, true);
	CU_ASSERT(write(p[1], "x", 1) == 1);
	CU_ASSERT(scan_run(f.s, &cause) == 0);
	CU_ASSERT(scan_interrupted(f.s));
	CU_ASSERT(scan_stats(f.s)->probes == 0);
	CU_ASSERT(transport_sim_stats(f.sim)->probes == 0);
	CU_ASSERT(f.ports == 0);
	CU_ASSERT(f.ends == 0);
	fixture_close(&f);
	close(p[0]);
	close(p[1]);
}

static void
test_scan_control_stopped_scan_ends_stopped(void)
{
	struct fixture	 f;
	char		*cause = NULL;

	fixture_open(&f, 0, 0, -1);
	scan_stop(f.s);
	CU_ASSERT(scan_run(f.s, &cause) == 0);
	CU_ASSERT(!scan_interrupted(f.s));
	CU_ASSERT(f.ends == 1);
	CU_ASSERT(f.end == EVENT_END_STOPPED);
	fixture_close(&f);
}

static void
test_scan_control_resumed_scan_runs_to_the_end(void)
{
	struct fixture	 f;
	char		*cause = NULL;

	fixture_open(&f, 0, 0, -1);
	scan_pause(f.s, true);
	scan_pause(f.s, false);
	CU_ASSERT(scan_run(f.s, &cause) == 0);
	CU_ASSERT(f.ports == 400);
	CU_ASSERT(f.end == EVENT_END_DONE);
	fixture_close(&f);
}

static const struct unit_test tests[] = {
	TEST(test_scan_control_slower_halves_and_faster_stops_at_the_max_rate),
	TEST(test_scan_control_faster_keeps_a_scan_with_no_limit_unlimited),
	TEST(test_scan_control_obeys_records_and_answers_a_command),
	TEST(test_scan_control_paused_scan_sends_nothing_and_interrupt_ends_it),
	TEST(test_scan_control_stopped_scan_ends_stopped),
	TEST(test_scan_control_resumed_scan_runs_to_the_end),
	TEST_END
};

UNIT_MAIN("scan-control", tests)
