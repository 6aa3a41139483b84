/*
 * The scan over the simulated network that test-scan-control,
 * test-scan-resume and test-transport-sim run: the plan made from the
 * command line `tact scan` would be given for the caller's targets,
 * ports and profile, the simulation as the transport, a stop pipe, and
 * one sink. See sim-fixture.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "clock.h"
#include "scan.h"
#include "sim-fixture.h"
#include "transport.h"
#include "xmalloc.h"

#define SIM_CLOCK_START_NS	1000000000000000ULL	/* 11.6 days */

static char	*sim_args(const struct sim_config *);

void
sim_addr(struct target_addr *a, const char *s)
{
	struct target_spec	 ts;
	char			*cause = NULL;

	CU_ASSERT_FATAL(target_parse_spec(&ts, s, TARGET_NO_DNS,
	    &cause) == 0);
	*a = ts.v[0].first;
	target_parse_free(&ts);
}

/* The arguments of `tact scan` for what c says to scan. */
static char *
sim_args(const struct sim_config *c)
{
	char	 rate[64] = "", shard[48] = "", sport[16] = "", *args;

	if (c->max_rate > 0)
		snprintf(rate, sizeof rate, " --max-rate %.17g", c->max_rate);
	if (c->source_port != 0)
		snprintf(sport, sizeof sport, " -g %u", c->source_port);
	if (c->shard_count != 0)
		snprintf(shard, sizeof shard, " --shard%s %u/%u",
		    c->shard_pairs ? "-pairs" : "", c->shard_index + 1,
		    c->shard_count);
	xasprintf(&args, "%s -p %s --seed %llu%s%s%s%s %s",
	    c->technique != NULL ? c->technique : "-sS", c->ports,
	    (unsigned long long)c->seed, c->no_ping ? " -Pn" : "", rate,
	    sport, shard, c->targets);
	return (args);
}

int
sim_open(struct sim_scan *f, const struct sim_config *c)
{
	struct transport_sim_config	 sc;
	struct scan_config		 cfg;
	char				*args, *cause = NULL;

	memset(f, 0, sizeof *f);
	f->stop[0] = f->stop[1] = -1;
	/* The same course however busy the machine (clock.h). */
	clock_virtual_begin(SIM_CLOCK_START_NS);
	memset(&sc, 0, sizeof sc);
	sc.seed = c->sim_seed;
	sim_addr(&sc.src, "198.18.0.2");
	sc.hosts = c->hosts;
	sc.nhosts = c->nhosts;
	f->sim = transport_sim_create(&sc, &cause);
	CU_ASSERT_FATAL(f->sim != NULL);

	/* The simulation stands in for the raw sockets. */
	f->profile = c->profile;
	args = sim_args(c);
	if (plan_fixture_make(&f->pf, args, &f->profile, true, &cause) != 0)
		fprintf(stderr, "%s: %s\n", args, cause);
	free(args);
	CU_ASSERT_FATAL(f->pf.made);
	CU_ASSERT_FATAL(pipe(f->stop) == 0);

	memset(&cfg, 0, sizeof cfg);
	cfg.plan = &f->pf.plan;
	cfg.stop_fd = f->stop[0];
	cfg.transport = &transport_sim_ops;
	cfg.transport_arg = f->sim;
	cfg.resume = c->resume;
	f->es = event_stream_create();
	if (c->sink != NULL)
		event_stream_add_sink(f->es, c->sink, c->sink_arg);
	if ((f->s = scan_create(&cfg, f->es, &cause)) == NULL) {
		free(cause);
		return (-1);
	}
	return (0);
}

int
sim_run(struct sim_scan *f)
{
	char	*cause = NULL;
	int	 rc;

	rc = scan_run(f->s, &cause);
	free(cause);
	return (rc);
}

void
sim_interrupt(struct sim_scan *f)
{
	CU_ASSERT(write(f->stop[1], "x", 1) == 1);
}

bool
sim_interrupted(const struct sim_scan *f)
{
	return (scan_interrupted(f->s));
}

const struct scan_stats *
sim_stats(const struct sim_scan *f)
{
	return (scan_stats(f->s));
}

uint64_t
sim_probes(const struct sim_scan *f)
{
	return (transport_sim_stats(f->sim)->probes);
}

void
sim_close(struct sim_scan *f)
{
	scan_free(f->s);
	event_stream_free(f->es);
	plan_fixture_free(&f->pf);
	transport_sim_free(f->sim);
	clock_virtual_end();
	if (f->stop[0] != -1) {
		close(f->stop[0]);
		close(f->stop[1]);
	}
}
