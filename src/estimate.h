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

struct port_list;
struct scan_def;

/* What to estimate. policy->ledger NULL: quotas are not looked up. */
struct estimate_input {
	const struct scan_def		*def;
	const struct scope_policy	*policy; /* profile, scope, ... */
	/* The ports scanned, resolved; NULL: def's, else the profile's. */
	const struct port_list		*ports;
	const char			*services; /* nmap-services; NULL */
	double				 max_rate; /* --max-rate; 0: none */
	bool				 no_ping;	/* -Pn */
	bool				 raw_allowed; /* root or CAP_NET_RAW */
};

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
	uint64_t		 discovery;	/* per host not loopback */
	uint64_t		 probes;	/* every probe answered */
	uint64_t		 probes_worst;	/* none answered, all retried */
	double			 seconds;	/* least time, at best */
	double			 seconds_worst;	/* least time, no answers */
	double			 host_rate;	/* peak probes/s a host, or 0 */
	uint32_t		 outstanding;	/* per host; 0: no cap */
	unsigned		 techniques;	/* SCAN_OPTS_*; 0: ping scan */
	uint64_t		 quota_targets;	/* targets with a daily quota */

	enum scope_verdict	 verdict;
	char			*reason;	/* why not SCOPE_OK, or NULL */

	struct estimate_warning	*warn;
	size_t			 nwarn;
};

/*
 * Fill in the estimate (counts saturate at UINT64_MAX); -1 and cause
 * when the profile's ports do not parse. The caller frees it.
 */
int		 estimate_compute(struct estimate *,
		     const struct estimate_input *, char **);
void		 estimate_free(struct estimate *);
/*
 * The gate before the first packet: refuse what the estimate refuses,
 * then charge the daily quotas in the ledger (scope_policy_check()).
 */
enum scope_verdict estimate_enforce(const struct estimate_input *, char **);

#endif
