/*
 * The scan over the simulated network that test-scan-control,
 * test-scan-resume and test-transport-sim run: targets, ports and
 * profile as the caller says, the simulation as the transport, a stop
 * pipe, and one sink. See sim-fixture.h.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "scan.h"
#include "sim-fixture.h"
#include "transport.h"

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

int
sim_open(struct sim_scan *f, const struct sim_config *c)
{
	struct transport_sim_config	 sc;
	struct scan_config		 cfg;
	char				*cause = NULL;

	memset(f, 0, sizeof *f);
	f->stop[0] = f->stop[1] = -1;
	memset(&sc, 0, sizeof sc);
	sc.seed = c->sim_seed;
	sim_addr(&sc.src, "198.18.0.2");
	sc.hosts = c->hosts;
	sc.nhosts = c->nhosts;
	f->sim = transport_sim_create(&sc, &cause);
	CU_ASSERT_FATAL(f->sim != NULL);

	f->ts = target_set_create(TARGET_NO_DNS);
	CU_ASSERT_FATAL(target_set_add(f->ts, c->targets, NULL, &cause) == 0);
	CU_ASSERT_FATAL(target_set_finish(f->ts, &cause) == 0);
	CU_ASSERT_FATAL(port_spec_parse(&f->pl, c->ports,
	    c->protos != 0 ? c->protos : PORT_TCP, &cause) == 0);
	f->profile = c->profile;
	CU_ASSERT_FATAL(pipe(f->stop) == 0);

	memset(&cfg, 0, sizeof cfg);
	cfg.profile = &f->profile;
	cfg.targets = f->ts;
	cfg.ports = &f->pl;
	cfg.no_ping = c->no_ping;
	cfg.seed = c->seed;
	cfg.shard_index = c->shard_index;
	cfg.shard_count = c->shard_count != 0 ? c->shard_count : 1;
	cfg.max_rate = c->max_rate;
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
	port_list_free(&f->pl);
	target_set_free(f->ts);
	transport_sim_free(f->sim);
	if (f->stop[0] != -1) {
		close(f->stop[0]);
		close(f->stop[1]);
	}
}
