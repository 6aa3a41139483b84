/*
 * A scan over the simulated network (src/transport-sim.c) for the unit
 * tests that run the engine: the one place in the tests (but
 * test-scan-plan.c, which runs the plans of its table) that creates,
 * runs and frees a scan on it, so that a change of the engine's API is
 * made here alone. The caller gives the simulated hosts, what to scan
 * (as the options of `tact scan`, whose plan plan-fixture.h makes), the
 * profile and a sink for the records.
 */
#ifndef SIM_FIXTURE_H
#define SIM_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "plan-fixture.h"
#include "profile.h"
#include "target.h"
#include "transport-sim.h"

struct results;
struct scan;
struct scan_stats;

struct sim_config {
	const struct transport_sim_hosts *hosts;
	size_t			 nhosts;
	uint64_t		 sim_seed;	/* the simulation's */
	const char		*targets;
	const char		*technique;	/* -s...; NULL: -sS */
	const char		*ports;		/* -p */
	struct profile		 profile;
	uint64_t		 seed;		/* the scan's */
	bool			 no_ping;	/* -Pn */
	uint32_t		 shard_index;
	uint32_t		 shard_count;	/* 0: 1 */
	bool			 shard_pairs;	/* --shard-pairs, not --shard */
	double			 max_rate;	/* --max-rate; 0: none */
	uint16_t		 source_port;	/* -g; 0: none */
	const struct results	*resume;	/* NULL: a new scan */
	event_sink_fn		*sink;
	void			*sink_arg;
};

struct sim_scan {
	struct transport_sim	*sim;
	struct profile		 profile;
	struct plan_fixture	 pf;		/* the scan's plan */
	struct event_stream	*es;
	struct scan		*s;		/* for the control calls */
	int			 stop[2];	/* the scan's stop_fd pipe */
};

/* The address s (a literal), or the test fails. */
void	 sim_addr(struct target_addr *, const char *);
/*
 * Create the simulation, the plan (which must be made) and the scan. -1
 * when the engine refuses the scan (its reason is dropped); the caller
 * closes either way.
 */
int	 sim_open(struct sim_scan *, const struct sim_config *);
/* Run the scan to its end; scan_run's result. */
int	 sim_run(struct sim_scan *);
/* Interrupt the scan (stop_fd): it ends with no scan-end record. */
void	 sim_interrupt(struct sim_scan *);
bool	 sim_interrupted(const struct sim_scan *);
const struct scan_stats *sim_stats(const struct sim_scan *);
/* Probes the simulation has received so far. */
uint64_t sim_probes(const struct sim_scan *);
void	 sim_close(struct sim_scan *);

#endif
