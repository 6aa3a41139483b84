/*
 * The plan of a scan: what it will really do, decided once from the
 * options, the profile, the scope and the privileges. The technique (and
 * whether a SYN scan falls back to connect()), the ports, the discovery
 * probes a host gets, every limit with its default applied, and the
 * policy the gate checks. The engine, the estimate, the gate, resume and
 * the dashboard's builder read the plan; none of them decides again.
 */
#ifndef SCAN_PLAN_H
#define SCAN_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "port-spec.h"
#include "scope.h"
#include "state-model.h"

struct profile;
struct scan_def;
struct service_db;
struct scan_opts;
struct target_set;

/* Most discovery probes a host gets. */
#define SCAN_PLAN_DISC_MAX	16

/* A discovery probe. */
enum scan_plan_probe {
	SCAN_PLAN_ICMP_ECHO,
	SCAN_PLAN_ICMP_TSTAMP,
	SCAN_PLAN_TCP_ACK,		/* to port 80 */
	SCAN_PLAN_TCP_SYN,
	SCAN_PLAN_TCP_CONNECT,
	SCAN_PLAN_UDP
};

struct scan_plan_disc {
	enum scan_plan_probe	 probe;
	uint16_t		 port;		/* TCP and UDP probes */
	bool			 ipv4;		/* not to IPv6 hosts */
};

/*
 * What the plan is made from; the plan keeps pointers, not copies, but
 * for the profile: its own copy, with the options' limits applied.
 */
struct scan_plan_input {
	const struct scan_opts	*opts;		/* -Pn, --max-rate, --purpose */
	const struct scan_def	*def;		/* targets, ports asked for */
	const struct profile	*profile;	/* own, options applied */
	const struct scope	*scope;		/* NULL: none */
	const char		*ledger;	/* NULL: quotas not looked up */
	const char		*services;	/* nmap-services; NULL: default */
	bool			 raw_allowed;	/* root or CAP_NET_RAW */
	time_t			 now;
};

struct scan_plan {
	const struct profile	*profile;	/* own, options applied */
	const struct target_set	*targets;	/* this shard's hosts */
	uint64_t		 seed;
	uint32_t		 shard_index;	/* 0-based */
	uint32_t		 shard_count;	/* at least 1 */
	/*
	 * A shard has whole hosts, unless shard_pairs: then every shard
	 * has every host and the iterator's every pair_count-th pair (1:
	 * all of them), and the per-host limits are divided among them.
	 */
	bool			 shard_pairs;
	uint32_t		 pair_index;
	uint32_t		 pair_count;
	uint64_t		 all_hosts;	/* of every shard together */
	struct target_set	*shard_hosts;	/* owned; NULL: def's */
	/* The scope, purpose, permission and ledger the gate checks. */
	struct scope_policy	 policy;

	/* Techniques that run: -s's, else the profile's (SCAN_OPTS_*). */
	unsigned		 techniques;	/* 0: a ping scan */
	bool			 ping_only;
	bool			 connect;	/* TCP by connect(), discovery too */
	bool			 fallback;	/* SYN asked, no raw sockets */
	bool			 raw_allowed;
	bool			 raw;		/* opens the raw transport */
	const char		*blocked;	/* why it cannot run here, or NULL */
	/* Raw probes: their TTL or hop limit (--ttl; 0: PROBE_TTL), the
	 * interface they go through (-e; NULL: the route's), their source
	 * port (-g; 0: keyed a probe). */
	uint8_t			 ttl;
	uint16_t		 source_port;
	const char		*iface;

	/* The ports a host is scanned on; none for a ping scan. */
	struct port_list	 ports;
	bool			 in_order;	/* -r: ports in order */

	/*
	 * Discovery: none with -Pn; -P's probes, else the profile's; ARP
	 * or ND instead on a host's link.
	 */
	bool			 no_ping;
	int			 family;	/* IPv4 if any target is */
	struct scan_plan_disc	 disc[SCAN_PLAN_DISC_MAX];
	size_t			 ndisc;
	bool			 arp;

	/* Limits, defaults applied. Rates in probes/s, 0: none. */
	double			 max_rate;	/* profile's, or --max-rate */
	double			 min_rate;	/* --min-rate; 0: none */
	double			 host_max_rate;
	uint32_t		 host_max_outstanding;
	uint32_t		 group_size;	/* max_parallel_hosts */
	uint32_t		 max_retries;
	uint32_t		 disc_retries;	/* discovery and heartbeats */
	uint32_t		 scan_delay;	/* milliseconds */
	uint32_t		 host_timeout;	/* milliseconds; 0: none */
	/* State entries in NAT and firewalls: the cap, 0: none (no model). */
	uint32_t		 max_state_entries; /* profile's, or option's */
	uint32_t		 state_lifetime[STATE_NCLASS];	/* ms */

	/*
	 * Service detection (-sV) on the open TCP ports (and the open
	 * and open|filtered UDP ports): the intensity (the profile's
	 * service_probes caps it; -1: none asked), the
	 * connections open to a host at once, the probes (an installed
	 * Nmap's nmap-service-probes, else tact's own table) and the most
	 * connections a port may cost; refused says why the profile
	 * allows none of it, or NULL.
	 */
	int			 service_intensity;
	uint32_t		 service_max_connections;
	struct service_db	*service_db;
	uint64_t		 service_worst;	/* a host, all ports open */
	char			*service_refused;
};

/*
 * Make the plan; -1 and cause when the profile's ports or discovery
 * ports do not parse, or -p does not for the technique the profile
 * chose. The plan points into in's def, profile, scope and opts.
 */
int		 scan_plan_create(struct scan_plan *,
		     const struct scan_plan_input *, char **);
void		 scan_plan_free(struct scan_plan *);
/*
 * The scan-start strings that say which scan a shard is of: ports=, and
 * for a shard shard=, split= and hosts-all= (allocated); how many.
 */
#define SCAN_PLAN_STRINGS_MAX	4
size_t		 scan_plan_strings(const struct scan_plan *,
		     char *[SCAN_PLAN_STRINGS_MAX]);
/* "syn", "connect", "udp" or "ping", for the scan-start record. */
const char	*scan_plan_technique(const struct scan_plan *);

#endif
