/*
 * A simulated network behind the engine's transport table: hosts with
 * open, closed and filtered ports, round-trip time and jitter, random
 * loss, RST and ICMP rate limits (the RST limit may change mid-scan),
 * hosts that die mid-scan and hosts that answer every port. What a host
 * does with a probe is decided from the seed alone, so a run can be
 * checked against transport_sim_truth().
 * For tests and benchmarks that link libtact; no user option reaches it.
 */
#ifndef TRANSPORT_SIM_H
#define TRANSPORT_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "target.h"

/* A range of hosts that behave alike. */
struct transport_sim_hosts {
	struct target_addr	first;
	struct target_addr	last;
	uint16_t		open_pm;	/* ports open, per mille */
	uint16_t		filtered_pm;	/* ports that drop, per mille */
	bool			all_open;	/* every port answers */
	bool			no_ping;	/* drops echo requests */
	uint32_t		rtt_us;
	uint32_t		jitter_us;	/* rtt +- up to this, uniform */
	uint16_t		loss_pm;	/* each way, per mille */
	double			rst_rate;	/* RSTs a second a host; 0: any */
	double			icmp_rate;	/* ICMP errors a second a host */
	uint64_t		rst_after;	/* probes, then rst_rate_after */
	double			rst_rate_after;	/* RSTs a second from then on */
	uint64_t		die_after;	/* silent after so many; 0: never */
};

struct transport_sim_config {
	uint64_t				 seed;
	struct target_addr			 src;	/* our address */
	const struct transport_sim_hosts	*hosts;
	size_t					 nhosts;
};

struct transport_sim_stats {
	uint64_t	probes;		/* packets the engine sent */
	uint64_t	replies;	/* delivered to the engine */
	uint64_t	lost;		/* probes or replies lost at random */
	uint64_t	limited;	/* replies a rate limit held back */
	uint64_t	dead;		/* probes to a host that had died */
	size_t		queue_max;	/* most replies in flight at once */
};

struct transport_sim;

struct transport_sim *transport_sim_create(const struct transport_sim_config *,
		    char **);
void		 transport_sim_free(struct transport_sim *);
const struct transport_sim_stats *transport_sim_stats(
		    const struct transport_sim *);
/*
 * What a scan should find: the state (enum event_port_state) of proto
 * (PORT_TCP or PORT_UDP) port on addr, or 0 when no host is there.
 * Filtered UDP reads open|filtered, as a scan can tell no better.
 */
int		 transport_sim_truth(const struct transport_sim *,
		    const struct target_addr *, uint8_t, uint16_t);

/* The table for struct scan_config's transport; close does nothing. */
extern const struct transport_ops transport_sim_ops;

#endif
