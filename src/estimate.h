/*
 * The estimate of a scan before it starts, and the gate it must pass:
 * what the scan covers and sends, the least time the profile's limits
 * allow, the heaviest load on one host, whether the scope, the profile
 * and the daily quotas allow it, and the warnings Nmap's legal guide
 * would give. Only counting and the ledger (when a path is given) are
 * involved: nothing is sent, nothing is charged.
 */
#ifndef ESTIMATE_H
#define ESTIMATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scope.h"

struct scan_plan;

enum estimate_warn {
	ESTIMATE_WARN_HOSTS,		/* over the profile's max_hosts */
	ESTIMATE_WARN_PORTS,		/* over max_ports_per_host */
	ESTIMATE_WARN_TECHNIQUE,	/* a technique the profile forbids */
	ESTIMATE_WARN_MANY_HOSTS,	/* a /16 or more, no host limit */
	ESTIMATE_WARN_ALL_PORTS,	/* all ports where top ports do */
	ESTIMATE_WARN_SERVICE,		/* service probes on a gentle scan */
	ESTIMATE_WARN_CONNECT,		/* connect where SYN is possible */
	ESTIMATE_WARN_PURPOSE,		/* no purpose, targets not loopback */
	ESTIMATE_WARN_QUOTA,		/* over or at a daily quota */
	ESTIMATE_WARN_LONG		/* more than a day at best */
};

struct estimate_warning {
	enum estimate_warn	 code;
	char			*text;
};

struct estimate {
	uint64_t		 hosts;
	uint64_t		 loopback;	/* of which loopback */
	uint64_t		 ports;		/* per host; 0: ping scan */
	uint64_t		 remote6;	/* IPv6 hosts not loopback */
	uint64_t		 discovery;	/* per IPv4 host not loopback */
	uint64_t		 discovery6;	/* per IPv6 host not loopback */
	uint64_t		 probes;	/* every probe answered */
	uint64_t		 probes_worst;	/* none answered, all retried */
	uint64_t		 service_worst;	/* -sV's connections, of those */
	double			 seconds;	/* least time, at best */
	double			 seconds_worst;	/* least time, no answers */
	double			 host_rate;	/* peak probes/s a host, or 0 */
	uint32_t		 outstanding;	/* per host; 0: no cap */
	unsigned		 techniques;	/* SCAN_OPTS_*; 0: ping scan */
	uint64_t		 quota_targets;	/* targets with a daily quota */
	/* State entries in NAT and firewalls, were there no cap. */
	uint64_t		 state_peak;	/* at best */
	uint64_t		 state_peak_worst;
	uint32_t		 state_max;	/* the cap; 0: none */
	double			 state_wait;	/* seconds it adds, at best */
	double			 state_wait_worst;

	enum scope_verdict	 verdict;
	char			*reason;	/* why not SCOPE_OK, or NULL */

	struct estimate_warning	*warn;
	size_t			 nwarn;
};

/*
 * Fill in the estimate of the plan (counts saturate at UINT64_MAX),
 * looking quotas up in its policy's ledger if it names one. The caller
 * frees it.
 */
void		 estimate_compute(struct estimate *, const struct scan_plan *);
void		 estimate_free(struct estimate *);
/*
 * The gate before the first packet: refuse what the estimate refuses;
 * then, if charge, charge the daily quotas in the plan's ledger
 * (scope_policy_check()). Without charge (a resumed scan, charged when
 * it started) no ledger is read or written.
 */
enum scope_verdict estimate_enforce(const struct scan_plan *, bool, char **);

#endif
