/*
 * Politeness profiles: a named set of hard limits a scan is held to.
 * Loaded from YAML (profile-schema.c holds the libcyaml tables), with
 * `extends:` resolved and every limit checked.
 */
#ifndef PROFILE_H
#define PROFILE_H

#include <stdbool.h>
#include <stdint.h>

enum profile_scan_type {
	PROFILE_SCAN_SYN,
	PROFILE_SCAN_CONNECT,
	PROFILE_SCAN_UDP,
	PROFILE_SCAN_PING		/* hosts only */
};

/* Host discovery probes, a bitmask. */
#define PROFILE_DISCOVER_ICMP_ECHO	0x01
#define PROFILE_DISCOVER_ICMP_TSTAMP	0x02
#define PROFILE_DISCOVER_TCP_SYN	0x04
#define PROFILE_DISCOVER_TCP_ACK	0x08
#define PROFILE_DISCOVER_ARP		0x10

/*
 * A resolved profile. Rates are probes per second; 0 means no limit but
 * congestion control. Times are milliseconds; host_timeout 0 means none.
 */
struct profile {
	char			*name;
	char			*description;
	char			*path;		/* the file it came from */
	char			*extends;	/* NULL: a base profile */
	bool			 unlocked;

	enum profile_scan_type	 scan_type;
	unsigned		 discovery;	/* PROFILE_DISCOVER_* */
	char			*discovery_ports; /* TCP ports for discovery */
	char			*ports;		/* default -p specification */
	uint32_t		 top_ports;	/* or default --top-ports */

	double			 max_rate;	/* global probes/s */
	double			 host_max_rate;	/* per-host probes/s */
	uint32_t		 host_max_outstanding;
	uint32_t		 max_parallel_hosts;
	uint32_t		 max_retries;
	uint32_t		 initial_rtt_timeout;
	uint32_t		 min_rtt_timeout;
	uint32_t		 max_rtt_timeout;
	uint32_t		 scan_delay;
	uint32_t		 host_timeout;
	uint64_t		 max_hosts;	/* per scan; 0: no limit */
	uint32_t		 max_ports_per_host; /* 0: no limit */
	bool			 service_probes;
	uint32_t		 daily_quota;	/* per target; 0: none */
};

#endif
