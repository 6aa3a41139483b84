/*
 * Control of a running scan (scan-control.c and the engine's side of
 * it), over the simulated network: slower and faster halve and double
 * the rate limit within the profile's and --max-rate's, a command on the
 * socket is obeyed, recorded and answered, a scan paused midway sends
 * nothing until it is resumed and then finishes, a stopped one sends no
 * more and ends "stopped", and an interrupt (stop_fd) ends a scan with
 * no scan-end record.
 */
#include <sys/wait.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#include "clock.h"
#include "control.h"
#include "event.h"
#include "scan-control.h"
#include "scan.h"
#include "sim-fixture.h"
#include "xmalloc.h"

/* A scan of two simulated hosts, and what it recorded. */
struct fixture {
	struct transport_sim_hosts	 hosts;
	struct sim_scan			 sim;
	struct scan			*s;
	uint64_t			 ports;
	uint64_t			 controls;
	uint64_t			 ends;
	uint32_t			 end;
	double				 rate;	/* the last control record's */
	/*
	 * Port-state records (open ports: the closed ones come in runs,
	 * as late as their host's end), which pause_at and stop_at count.
	 */
	uint64_t			 records;
	/* Pausing from the sink: after pause_at port records (0: never). */
	uint64_t			 pause_at;
	uint64_t			 paused_probes;	/* sent at the pause */
	uint64_t			 paused_ns;
	uint64_t			 paused_for_ns;	/* until it resumed */
	uint64_t			 paused_records;
	uint64_t			 paused_progress;
	uint64_t			 sent_while_paused;
	/* Stopping from the sink: after stop_at port records (0: never). */
	uint64_t			 stop_at;
	uint64_t			 stopped_probes;	/* sent then */
	bool				 paused;
	bool				 resumed;
};

static void
fixture_sink(void *arg, const struct event_header *h, const void *payload)
{
	struct fixture			*f = arg;
	const struct event_control	*c = payload;
	const struct event_scan_end	*e = payload;

	if (f->paused) {
		f->paused_records++;
		if (sim_probes(&f->sim) != f->paused_probes)
			f->sent_while_paused++;
		/*
		 * The loop wakes for a progress record once a second while
		 * paused: resume on the second, over a second in.
		 */
		if (h->type == EVENT_PROGRESS && ++f->paused_progress == 2) {
			f->paused = false;
			f->resumed = true;
			f->paused_for_ns = clock_now_ns() - f->paused_ns;
			scan_pause(f->s, false);
		}
	}
	switch (h->type) {
	case EVENT_PORT_STATE:
		f->ports++;
		if (++f->records == f->pause_at) {
			scan_pause(f->s, true);
			f->paused = true;
			f->paused_probes = sim_probes(&f->sim);
			f->paused_ns = clock_now_ns();
		}
		if (f->records == f->stop_at) {
			scan_stop(f->s);
			f->stopped_probes = sim_probes(&f->sim);
		}
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

/* The profile's max_rate, --max-rate and host_max_rate (0: none). */
static void
fixture_open_host(struct fixture *f, double profile_rate, double max_rate,
    double host_rate)
{
	struct sim_config	c;

	memset(f, 0, sizeof *f);
	sim_addr(&f->hosts.first, "198.18.0.10");
	sim_addr(&f->hosts.last, "198.18.0.11");
	f->hosts.open_pm = 100;
	f->hosts.rtt_us = 1000;
	memset(&c, 0, sizeof c);
	c.hosts = &f->hosts;
	c.nhosts = 1;
	c.sim_seed = 1;
	c.targets = "198.18.0.10-11";
	c.ports = "1-200";
	c.profile.name = (char *)"sim";
	c.profile.discovery = PROFILE_DISCOVER_ICMP_ECHO;
	c.profile.host_max_outstanding = 10;
	c.profile.max_parallel_hosts = 2;
	c.profile.max_retries = 2;
	c.profile.initial_rtt_timeout = 200;
	c.profile.min_rtt_timeout = 20;
	c.profile.max_rtt_timeout = 1000;
	c.profile.max_rate = profile_rate;
	c.profile.host_max_rate = host_rate;
	c.seed = 3;
	c.max_rate = max_rate;
	c.sink = fixture_sink;
	c.sink_arg = f;
	CU_ASSERT_FATAL(sim_open(&f->sim, &c) == 0);
	f->s = f->sim.s;
}

/* The profile's max_rate and --max-rate (0: none). */
static void
fixture_open(struct fixture *f, double profile_rate, double max_rate)
{
	fixture_open_host(f, profile_rate, max_rate, 0);
}

static void
fixture_close(struct fixture *f)
{
	sim_close(&f->sim);
}

static void
test_scan_control_slower_halves_and_faster_stops_at_the_max_rate(void)
{
	struct fixture	f;

	fixture_open(&f, 100, 40);
	CU_ASSERT_DOUBLE_EQUAL(scan_rate_limit(f.s), 40, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(scan_rate_adjust(f.s, 0.5), 20, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(scan_rate_adjust(f.s, 0.5), 10, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(scan_rate_adjust(f.s, 2), 20, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(scan_rate_adjust(f.s, 2), 40, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(scan_rate_adjust(f.s, 2), 40, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(scan_rate_limit(f.s), 40, 1e-9);
	fixture_close(&f);

	/* The profile's limit caps it when it is the lower. */
	fixture_open(&f, 30, 0);
	CU_ASSERT_DOUBLE_EQUAL(scan_rate_adjust(f.s, 2), 30, 1e-9);
	fixture_close(&f);
}

/* Two hosts at 10/s each bind below the scan's 100/s. */
static void
test_scan_control_slower_acts_on_the_per_host_cap_when_it_binds(void)
{
	struct fixture	f;

	fixture_open_host(&f, 100, 0, 10);
	CU_ASSERT_DOUBLE_EQUAL(scan_rate_limit(f.s), 100, 1e-9);
	/* Faster: each host is at its most already, nothing changes. */
	CU_ASSERT_DOUBLE_EQUAL(scan_rate_adjust(f.s, 2), 100, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(scan_rate_adjust(f.s, 0.5), 10, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(scan_rate_adjust(f.s, 0.5), 5, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(scan_rate_adjust(f.s, 2), 10, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(scan_rate_adjust(f.s, 2), 20, 1e-9);
	/* The per-host cap binds again: faster leaves it. */
	CU_ASSERT_DOUBLE_EQUAL(scan_rate_adjust(f.s, 2), 20, 1e-9);
	fixture_close(&f);
}

static void
test_scan_control_faster_keeps_a_scan_with_no_limit_unlimited(void)
{
	struct fixture	f;

	fixture_open(&f, 0, 0);
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
	struct fixture		 f;
	struct scan_control	 ctl;
	struct pollfd		 pfd;
	char			 dir[] = "/tmp/test-scan-control.XXXXXX", *path;
	char			*cause = NULL, *reply = NULL;
	pid_t			 pid;
	int			 status;

	CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
	xasprintf(&path, "%s/control", dir);
	fixture_open(&f, 0, 40);
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
	ctl.es = f.sim.es;
	ctl.owner = getuid();
	scan_control_accept(f.s, pfd.fd, &ctl);
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
test_scan_control_interrupt_ends_a_paused_scan_with_no_end(void)
{
	struct fixture	 f;

	fixture_open(&f, 0, 0);
	scan_pause(f.s, true);
	sim_interrupt(&f.sim);
	CU_ASSERT(sim_run(&f.sim) == 0);
	CU_ASSERT(sim_interrupted(&f.sim));
	CU_ASSERT(sim_stats(&f.sim)->probes == 0);
	CU_ASSERT(sim_probes(&f.sim) == 0);
	CU_ASSERT(f.ports == 0);
	CU_ASSERT(f.ends == 0);
	fixture_close(&f);
}

static void
test_scan_control_paused_mid_scan_sends_nothing_until_resumed(void)
{
	struct fixture	 f;

	fixture_open(&f, 0, 0);
	f.pause_at = 10;	/* of about 40 */
	CU_ASSERT(sim_run(&f.sim) == 0);
	/* It paused halfway, stayed paused a while, then went on. */
	CU_ASSERT(f.resumed);
	CU_ASSERT(f.paused_probes > 0);
	CU_ASSERT(f.paused_probes < sim_probes(&f.sim));
	CU_ASSERT(f.paused_for_ns >= 1000000000ULL);
	CU_ASSERT(f.paused_records > 0);
	CU_ASSERT(f.sent_while_paused == 0);
	CU_ASSERT(f.ports == 400);
	CU_ASSERT(f.end == EVENT_END_DONE);
	CU_ASSERT(sim_stats(&f.sim)->probes == sim_probes(&f.sim));
	fixture_close(&f);
}

static void
test_scan_control_stopped_scan_ends_stopped(void)
{
	struct fixture	 f;

	/* Before it starts: nothing is sent. */
	fixture_open(&f, 0, 0);
	scan_stop(f.s);
	CU_ASSERT(sim_run(&f.sim) == 0);
	CU_ASSERT(!sim_interrupted(&f.sim));
	CU_ASSERT(sim_probes(&f.sim) == 0);
	CU_ASSERT(f.ends == 1);
	CU_ASSERT(f.end == EVENT_END_STOPPED);
	fixture_close(&f);

	/* Midway: it sends no more and ends at once. */
	fixture_open(&f, 0, 0);
	f.stop_at = 5;
	CU_ASSERT(sim_run(&f.sim) == 0);
	CU_ASSERT(!sim_interrupted(&f.sim));
	CU_ASSERT(f.stopped_probes > 0);
	CU_ASSERT(sim_probes(&f.sim) == f.stopped_probes);
	CU_ASSERT(f.ports < 400);
	CU_ASSERT(f.ends == 1);
	CU_ASSERT(f.end == EVENT_END_STOPPED);
	fixture_close(&f);
}

static const struct unit_test tests[] = {
	TEST(test_scan_control_slower_halves_and_faster_stops_at_the_max_rate),
	TEST(test_scan_control_slower_acts_on_the_per_host_cap_when_it_binds),
	TEST(test_scan_control_faster_keeps_a_scan_with_no_limit_unlimited),
	TEST(test_scan_control_obeys_records_and_answers_a_command),
	TEST(test_scan_control_interrupt_ends_a_paused_scan_with_no_end),
	TEST(test_scan_control_paused_mid_scan_sends_nothing_until_resumed),
	TEST(test_scan_control_stopped_scan_ends_stopped),
	TEST_END
};

UNIT_MAIN("scan-control", tests)
