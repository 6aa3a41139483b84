/*
 * The engine at scale, over the simulated network: scan a block of
 * hosts on a list of ports (by default a /16 on 1-1000, 65.5 million
 * pairs) and print the pairs decided, the probes a second (wall clock
 * and per CPU second: the engine and the simulation share one thread,
 * one core) and the peak RSS (VmHWM). Nothing is kept of the results
 * but counts, as a scan writing only its journal would.
 *
 * With -s n, n whole-host shards run at once, as n processes each
 * writing its journal into dir (-d, default the working directory);
 * then the journals are loaded and merged into one results store, as
 * `tact merge` does, and every port of it checked: the wall time of the
 * shards, of the merge, and each one's peak RSS.
 *
 * With --full, the whole program as `tact scan` runs it: a scan
 * directory in a new temporary directory (lock, journal, ring, control
 * socket) ticked by the engine, and the results store, all fed by the
 * one event stream; it prints the journal's bytes a pair too, and
 * removes the directory at the end.
 *
 *	sim-scale [--full] [-h hosts] [-p ports] [-r rtt_us] [-g group]
 *	    [-o outstanding] [-O open_pm] [-f filtered_pm]
 *	    [-s shards [-d dir]]
 */
#include <sys/wait.h>
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
#include "journal.h"
#include "plan-fixture.h"
#include "profile.h"
#include "results-merge.h"
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

/* What a run is made of, from the command line. */
struct bench {
	const char		*hosts;
	const char		*ports;
	uint32_t		 rtt_us;
	uint32_t		 group;
	uint32_t		 outstanding;
	uint32_t		 shards;
	const char		*dir;
	bool			 full;		/* --full */
	struct target_spec	 spec;
	struct transport_sim_hosts h;
};

static struct transport_sim *
sim_make(struct bench *b)
{
	struct transport_sim_config	 sc;
	struct transport_sim		*sim;
	char				*cause = NULL;

	memset(&sc, 0, sizeof sc);
	sc.seed = 1;
	sc.src = b->h.first;
	sc.hosts = &b->h;
	sc.nhosts = 1;
	if ((sim = transport_sim_create(&sc, &cause)) == NULL) {
		fprintf(stderr, "sim-scale: %s\n", cause);
		exit(1);
	}
	return (sim);
}

/*
 * Scan shard i of the bench's shards (0 of 1: all of it), into journal
 * when not NULL; print the figures, and true if every pair came right.
 */
static bool
scan_one(struct bench *b, uint32_t i, const char *journal)
{
	struct transport_sim		*sim;
	struct scan_config		 cfg;
	struct profile			 pr;
	struct plan_fixture		 pf;
	struct event_stream		*es;
	struct journal			*j = NULL;
	struct scan			*s;
	struct count			 c;
	struct rusage			 ru;
	struct scan_dir_base		 base;
	struct scan_dir			*dir = NULL;
	struct results			*res = NULL;
	struct stat			 sb;
	char				*args, *cause = NULL, *tmp = NULL;
	char				*state, *runtime, *cmd;
	char				*strings[SCAN_PLAN_STRINGS_MAX];
	double				 t0, wall, cpu;
	uint64_t			 seq, pairs;
	size_t				 n, k;
	bool				 ok;

	memset(&pr, 0, sizeof pr);
	pr.name = (char *)"sim-scale";
	pr.host_max_outstanding = b->outstanding;
	pr.max_parallel_hosts = b->group;
	pr.max_retries = 2;
	pr.initial_rtt_timeout = 100;
	pr.min_rtt_timeout = 10;
	pr.max_rtt_timeout = 1000;

	xasprintf(&args, "-sS -Pn -n -p %s --seed 1 --shard %u/%u %s",
	    b->ports, i + 1, b->shards, b->hosts);
	if (plan_fixture_make(&pf, args, &pr, true, &cause) != 0) {
		fprintf(stderr, "sim-scale: %s\n", cause);
		exit(2);
	}
	free(args);
	sim = sim_make(b);

	memset(&cfg, 0, sizeof cfg);
	cfg.plan = &pf.plan;
	cfg.stop_fd = -1;
	cfg.transport = &transport_sim_ops;
	cfg.transport_arg = sim;
	n = scan_plan_strings(&pf.plan, strings);
	cfg.strings = (const char **)strings;
	cfg.nstrings = n;

	memset(&c, 0, sizeof c);
	c.sim = sim;
	es = event_stream_create();
	event_stream_add_sink(es, count_sink, &c);
	if (journal != NULL) {
		if ((j = journal_create(journal, &cause)) == NULL) {
			fprintf(stderr, "sim-scale: %s\n", cause);
			exit(1);
		}
		event_stream_add_sink(es, journal_sink, j);
	}
	if (b->full) {
		tmp = xstrdup("/tmp/sim-scale-XXXXXX");
		if (mkdtemp(tmp) == NULL) {
			fprintf(stderr, "sim-scale: %s: mkdtemp failed\n", tmp);
			exit(1);
		}
		xasprintf(&state, "%s/state", tmp);
		xasprintf(&runtime, "%s/run", tmp);
		if (mkdir(runtime, 0700) != 0) {
			fprintf(stderr, "sim-scale: %s: mkdir failed\n",
			    runtime);
			exit(1);
		}
		if (scan_dir_base_init(&base, state, runtime, NULL, getuid(),
		    &cause) != 0 || (dir = scan_dir_create(&base,
		    &cause)) == NULL ||
		    scan_dir_start(dir, es, false, &seq, &cause) != 0) {
			fprintf(stderr, "sim-scale: %s\n", cause);
			exit(1);
		}
		free(state);
		free(runtime);
		res = results_create();
		event_stream_add_sink(es, results_sink, res);
		cfg.dir = dir;
	}
	t0 = now_s();
	if ((s = scan_create(&cfg, es, &cause)) == NULL ||
	    scan_run(s, &cause) != 0 ||
	    (j != NULL && journal_close(j, &cause) != 0)) {
		fprintf(stderr, "sim-scale: %s\n", cause);
		exit(1);
	}
	wall = now_s() - t0;
	getrusage(RUSAGE_SELF, &ru);
	cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;

	if (b->shards > 1)
		printf("shard %u/%u: ", i + 1, b->shards);
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
	if (b->full) {
		if (scan_dir_finish(dir, &cause) != 0 ||
		    stat(dir->journal, &sb) != 0) {
			fprintf(stderr, "sim-scale: %s\n", cause);
			exit(1);
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
	fflush(stdout);
	for (k = 0; k < n; k++)
		free(strings[k]);
	scan_free(s);
	event_stream_free(es);
	transport_sim_free(sim);
	plan_fixture_free(&pf);
	return (ok);
}

/* Load the shards' journals and merge them, as `tact merge` does. */
static bool
merge_all(struct bench *b, char **journals)
{
	struct transport_sim		*sim;
	struct results			**in, *out;
	struct results_merge		 m;
	const struct results_host	*h;
	const struct results_port	*p;
	struct results_port		*v = NULL;
	char				*cause = NULL;
	double				 t0, load, wall;
	uint64_t			 ports = 0, wrong = 0;
	size_t				 i, k, nv, av = 0;
	bool				 ok;

	in = xcalloc(b->shards, sizeof *in);
	t0 = now_s();
	for (i = 0; i < b->shards; i++) {
		if ((in[i] = results_load_journal(journals[i],
		    &cause)) == NULL) {
			fprintf(stderr, "sim-scale: %s\n", cause);
			exit(1);
		}
	}
	load = now_s() - t0;
	out = results_create();
	if (results_merge(out, in, (const char *const *)journals, b->shards,
	    &m, &cause) != 0) {
		fprintf(stderr, "sim-scale: %s\n", cause);
		exit(1);
	}
	wall = now_s() - t0;
	sim = sim_make(b);
	for (i = 0; i < results_host_count(out); i++) {
		h = results_host(out, i);
		nv = results_host_ports(h, &v, &av);
		for (k = 0; k < nv; k++) {
			p = &v[k];
			ports++;
			wrong += transport_sim_truth(sim, &h->addr, p->proto,
			    p->port) != p->state;
		}
	}
	printf("merge of %u journals: %llu of %llu pairs, %llu wrong, "
	    "%zu missing shards; %.1f s (%.1f s loading them), peak RSS "
	    "(VmHWM) %ld KiB\n", b->shards, (unsigned long long)ports,
	    (unsigned long long)m.total, (unsigned long long)wrong,
	    m.nmissing, wall, load, vm_hwm());
	ok = ports == m.total && m.done == m.total && wrong == 0 &&
	    m.nmissing == 0 && m.unfinished == NULL;
	free(v);
	results_merge_free(&m);
	results_free(out);
	for (i = 0; i < b->shards; i++)
		results_free(in[i]);
	free(in);
	transport_sim_free(sim);
	return (ok);
}

int
main(int argc, char **argv)
{
	struct bench	  b;
	char		**journals, *cause = NULL;
	double		  t0;
	pid_t		 *pids;
	uint32_t	  i;
	int		  ch, status;
	bool		  ok = true;
	static const struct option longopts[] = {
		{ "full", no_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 }
	};

	memset(&b, 0, sizeof b);
	b.hosts = "198.18.0.0/16";
	b.ports = "1-1000";
	b.rtt_us = 1000;
	b.group = 256;
	b.outstanding = 100;
	b.shards = 1;
	b.dir = ".";
	b.h.open_pm = 50;
	while ((ch = getopt_long(argc, argv, "d:Ff:g:h:O:o:p:r:s:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'd':
			b.dir = optarg;
			break;
		case 'F':
			b.full = true;
			break;
		case 'f':
			b.h.filtered_pm = (uint16_t)number(optarg, 1000);
			break;
		case 'O':
			b.h.open_pm = (uint16_t)number(optarg, 1000);
			break;
		case 'g':
			b.group = number(optarg, 1 << 20);
			break;
		case 'h':
			b.hosts = optarg;
			break;
		case 'o':
			b.outstanding = number(optarg, 100000);
			break;
		case 'p':
			b.ports = optarg;
			break;
		case 'r':
			b.rtt_us = number(optarg, 10000000);
			break;
		case 's':
			b.shards = number(optarg, 64);
			break;
		default:
			fprintf(stderr, "usage: sim-scale [--full] "
			    "[-h hosts] [-p ports] [-r rtt_us] [-g group] "
			    "[-o outstanding] [-O open_pm] [-f filtered_pm] "
			    "[-s shards [-d dir]]\n");
			return (2);
		}
	}
	if (b.full && b.shards > 1) {
		fprintf(stderr, "sim-scale: --full and -s: one or the other\n");
		return (2);
	}
	if (target_parse_spec(&b.spec, b.hosts, TARGET_NO_DNS, &cause) != 0) {
		fprintf(stderr, "sim-scale: %s\n", cause);
		return (2);
	}
	b.h.first = b.spec.v[0].first;
	b.h.last = b.spec.v[b.spec.n - 1].last;
	b.h.rtt_us = b.rtt_us;
	b.h.jitter_us = b.rtt_us / 4;

	if (b.shards == 1) {
		ok = scan_one(&b, 0, NULL);
		target_parse_free(&b.spec);
		return (ok ? 0 : 1);
	}
	journals = xcalloc(b.shards, sizeof *journals);
	pids = xcalloc(b.shards, sizeof *pids);
	t0 = now_s();
	for (i = 0; i < b.shards; i++) {
		xasprintf(&journals[i], "%s/sim-scale-shard-%u.journal",
		    b.dir, i + 1);
		unlink(journals[i]);
		if ((pids[i] = fork()) == -1) {
			perror("sim-scale: fork");
			return (1);
		}
		if (pids[i] == 0)
			_exit(scan_one(&b, i, journals[i]) ? 0 : 1);
	}
	for (i = 0; i < b.shards; i++) {
		if (waitpid(pids[i], &status, 0) == -1 ||
		    !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			ok = false;
	}
	printf("%u shards at once: %.1f s wall\n", b.shards, now_s() - t0);
	fflush(stdout);
	if (!merge_all(&b, journals))
		ok = false;
	for (i = 0; i < b.shards; i++) {
		unlink(journals[i]);
		free(journals[i]);
	}
	free(journals);
	free(pids);
	target_parse_free(&b.spec);
	return (ok ? 0 : 1);
}
