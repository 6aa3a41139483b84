/*
 * The engine at scale, over the simulated network: scan a block of
 * hosts on a list of ports (by default a /16 on 1-1000, 65.5 million
 * pairs) and print the pairs decided, the probes a second (wall clock
 * and per CPU second: the engine and the simulation share one thread,
 * one core) and the peak RSS (VmHWM). Nothing is kept of the results
 * but counts, as a scan writing only its journal would.
 *
 * With --full, the whole program as `tact scan` runs it: a scan
 * directory in a new temporary directory (lock, journal, ring, control
 * socket) ticked by the engine, and the results store, all fed by the
 * one event stream; it prints the journal's bytes a pair too, and
 * removes the directory at the end.
 *
 *	sim-scale [--full] [-h hosts] [-p ports] [-r rtt_us] [-g group]
 *	    [-o outstanding] [-O open_pm] [-f filtered_pm]
 */
#include <sys/resource.h>
#include <sys/stat.h>

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "event.h"
#include "plan-fixture.h"
#include "profile.h"
#include "results.h"
#include "scan.h"
#include "scan-dir.h"
#include "strnum.h"
#include "target.h"
#include "transport.h"
#include "transport-sim.h"
#include "xmalloc.h"

struct count {
	uint64_t	ports;
	uint64_t	open;
	uint64_t	wrong;
	const struct transport_sim *sim;
};

static void
count_port(struct count *c, const struct target_addr *a, uint8_t proto,
    uint16_t port, uint8_t state)
{
	c->ports++;
	if (state == EVENT_PORT_OPEN)
		c->open++;
	if (transport_sim_truth(c->sim, a, proto, port) != state)
		c->wrong++;
}

static void
count_sink(void *arg, const struct event_header *h, const void *payload)
{
	struct count			*c = arg;
	const struct event_port		*p = payload;
	const struct event_port_run	*r = payload;
	struct event_port_run_pos	 pos = { 0 };
	uint16_t			 port;

	if (h->type == EVENT_PORT_STATE)
		count_port(c, &p->addr, p->proto, p->port, p->state);
	if (h->type != EVENT_PORT_RUN)
		return;
	while (event_port_run_next(r, h->len, &pos, &port) == 1)
		count_port(c, &r->addr, r->proto, port, r->state);
}

/* The peak resident set, in KiB, from /proc/self/status. */
static long
vm_hwm(void)
{
	FILE	*f;
	char	 line[256];
	long	 kb = -1;

	if ((f = fopen("/proc/self/status", "r")) == NULL)
		return (-1);
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return (kb);
}

static double
now_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static uint32_t
number(const char *s, uint64_t max)
{
	uint64_t	 v;
	char		*cause;

	if (strnum_u64(s, 1, max, &v, &cause) != 0) {
		fprintf(stderr, "sim-scale: %s\n", cause);
		exit(2);
	}
	return ((uint32_t)v);
}

int
main(int argc, char **argv)
{
	struct transport_sim_hosts	 h;
	struct transport_sim_config	 sc;
	struct transport_sim		*sim;
	struct scan_config		 cfg;
	struct profile			 pr;
	struct plan_fixture		 pf;
	struct target_spec		 spec;
	struct event_stream		*es;
	struct scan			*s;
	struct count			 c;
	struct rusage			 ru;
	struct scan_dir_base		 base;
	struct scan_dir			*dir = NULL;
	struct results			*res = NULL;
	struct stat			 sb;
	const char			*hosts = "198.18.0.0/16";
	const char			*ports = "1-1000";
	char				*args, *cause = NULL, *tmp = NULL;
	char				*state, *runtime, *cmd;
	double				 t0, wall, cpu;
	uint64_t			 seq, pairs;
	uint32_t			 rtt_us = 1000, group = 256;
	uint32_t			 outstanding = 100, open_pm = 50;
	uint32_t			 filtered_pm = 0;
	int				 ch, full = 0;
	bool				 ok;
	static const struct option	 longopts[] = {
		{ "full", no_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 }
	};

	while ((ch = getopt_long(argc, argv, "Ff:g:h:O:o:p:r:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'F':
			full = 1;
			break;
		case 'f':
			filtered_pm = number(optarg, 1000);
			break;
		case 'O':
			open_pm = number(optarg, 1000);
			break;
		case 'g':
			group = number(optarg, 1 << 20);
			break;
		case 'h':
			hosts = optarg;
			break;
		case 'o':
			outstanding = number(optarg, 100000);
			break;
		case 'p':
			ports = optarg;
			break;
		case 'r':
			rtt_us = number(optarg, 10000000);
			break;
		default:
			fprintf(stderr, "usage: sim-scale [--full] "
			    "[-h hosts] [-p ports] [-r rtt_us] [-g group] "
			    "[-o outstanding] [-O open_pm] [-f filtered_pm]\n");
			return (2);
		}
	}

	memset(&pr, 0, sizeof pr);
	pr.name = (char *)"sim-scale";
	pr.host_max_outstanding = outstanding;
	pr.max_parallel_hosts = group;
	pr.max_retries = 2;
	pr.initial_rtt_timeout = 100;
	pr.min_rtt_timeout = 10;
	pr.max_rtt_timeout = 1000;

	xasprintf(&args, "-sS -Pn -n -p %s --seed 1 %s", ports, hosts);
	if (plan_fixture_make(&pf, args, &pr, true, &cause) != 0 ||
	    target_parse_spec(&spec, hosts, TARGET_NO_DNS, &cause) != 0) {
		fprintf(stderr, "sim-scale: %s\n", cause);
		return (2);
	}
	free(args);
	memset(&h, 0, sizeof h);
	h.first = spec.v[0].first;
	h.last = spec.v[spec.n - 1].last;
	h.open_pm = (uint16_t)open_pm;
	h.filtered_pm = (uint16_t)filtered_pm;
	h.rtt_us = rtt_us;
	h.jitter_us = rtt_us / 4;
	memset(&sc, 0, sizeof sc);
	sc.seed = 1;
	sc.src = h.first;
	sc.hosts = &h;
	sc.nhosts = 1;
	if ((sim = transport_sim_create(&sc, &cause)) == NULL) {
		fprintf(stderr, "sim-scale: %s\n", cause);
		return (1);
	}

	memset(&cfg, 0, sizeof cfg);
	cfg.plan = &pf.plan;
	cfg.stop_fd = -1;
	cfg.transport = &transport_sim_ops;
	cfg.transport_arg = sim;

	memset(&c, 0, sizeof c);
	c.sim = sim;
	es = event_stream_create();
	event_stream_add_sink(es, count_sink, &c);
	if (full) {
		tmp = xstrdup("/tmp/sim-scale-XXXXXX");
		if (mkdtemp(tmp) == NULL) {
			fprintf(stderr, "sim-scale: %s: mkdtemp failed\n", tmp);
			return (1);
		}
		xasprintf(&state, "%s/state", tmp);
		xasprintf(&runtime, "%s/run", tmp);
		if (mkdir(runtime, 0700) != 0) {
			fprintf(stderr, "sim-scale: %s: mkdir failed\n",
			    runtime);
			return (1);
		}
		if (scan_dir_base_init(&base, state, runtime, NULL, getuid(),
		    &cause) != 0 || (dir = scan_dir_create(&base,
		    &cause)) == NULL ||
		    scan_dir_start(dir, es, false, &seq, &cause) != 0) {
			fprintf(stderr, "sim-scale: %s\n", cause);
			return (1);
		}
		free(state);
		free(runtime);
		res = results_create();
		event_stream_add_sink(es, results_sink, res);
		cfg.dir = dir;
	}
	t0 = now_s();
	if ((s = scan_create(&cfg, es, &cause)) == NULL ||
	    scan_run(s, &cause) != 0) {
		fprintf(stderr, "sim-scale: %s\n", cause);
		return (1);
	}
	wall = now_s() - t0;
	getrusage(RUSAGE_SELF, &ru);
	cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;

	printf("hosts %llu, ports %zu: %llu pairs decided (%llu open, "
	    "%llu wrong)\n",
	    (unsigned long long)target_set_count(pf.plan.targets),
	    pf.plan.ports.n,
	    (unsigned long long)c.ports, (unsigned long long)c.open,
	    (unsigned long long)c.wrong);
	printf("probes %llu in %.1f s wall, %.1f s CPU: %.0f probes/s, "
	    "%.0f probes per CPU second\n",
	    (unsigned long long)scan_stats(s)->probes, wall, cpu,
	    (double)scan_stats(s)->probes / wall,
	    (double)scan_stats(s)->probes / cpu);
	printf("peak RSS (VmHWM) %ld KiB; replies in flight at most %zu\n",
	    vm_hwm(), transport_sim_stats(sim)->queue_max);
	pairs = target_set_count(pf.plan.targets) * pf.plan.ports.n;
	ok = c.ports == pairs && c.wrong == 0;
	if (full) {
		if (scan_dir_finish(dir, &cause) != 0 ||
		    stat(dir->journal, &sb) != 0) {
			fprintf(stderr, "sim-scale: %s\n", cause);
			return (1);
		}
		printf("journal %lld bytes: %.2f bytes a pair; results store: "
		    "%zu hosts, %zu up\n", (long long)sb.st_size,
		    (double)sb.st_size / (double)pairs,
		    results_host_count(res), results_hosts_up(res));
		ok = ok && results_hosts_up(res) == target_set_count(
		    pf.plan.targets);
		scan_dir_free(dir);
		scan_dir_base_free(&base);
		results_free(res);
		xasprintf(&cmd, "rm -rf '%s'", tmp);
		if (system(cmd) != 0)
			ok = false;
		free(cmd);
		free(tmp);
	}
	scan_free(s);
	event_stream_free(es);
	transport_sim_free(sim);
	target_parse_free(&spec);
	plan_fixture_free(&pf);
	return (ok ? 0 : 1);
}
