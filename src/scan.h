/*
 * The scan engine: one event loop (epoll over the pcap descriptor, the
 * connect sockets, a timerfd and a stop descriptor) that sends what the
 * scan's plan (scan-plan.h) says within its limits and turns every
 * answer, and every silence, into event records. A struct scan owns
 * everything it uses.
 */
#ifndef SCAN_H
#define SCAN_H

#include <sys/types.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "target-addr.h"

struct event_stream;
struct results;
struct scan;
struct scan_dir;
struct scan_plan;
struct transport_ops;

/* What to scan and how; the engine keeps pointers, not copies. */
/* A probe sent or an answer to one, for --packet-trace. */
struct scan_trace {
	bool			 sent;		/* else received */
	const char		*probe;		/* its kind: "tcp-syn" */
	struct target_addr	 addr;
	uint16_t		 port;		/* 0: none (ICMP, ARP) */
	uint8_t			 proto;		/* PORT_TCP or PORT_UDP */
	uint8_t			 try;		/* from 0 */
	uint8_t			 state;		/* received: port state, or 0 */
	uint8_t			 reason;	/* received: enum event_reason */
	bool			 host_up;	/* received: the host answered */
};

struct scan_config {
	/* What the scan does: targets, technique, ports, discovery, limits. */
	const struct scan_plan	 *plan;
	/* Readable: interrupt, ending with no scan-end record; -1: none. */
	int			  stop_fd;
	/*
	 * One more descriptor the loop waits on (the control socket), and
	 * what to call with it when it is readable; watch NULL: none.
	 */
	int			  watch_fd;
	void			(*watch)(struct scan *, int, void *);
	void			 *watch_arg;
	/*
	 * An open transport to use (the simulated network), which the
	 * caller closes after scan_free(); NULL: the raw one.
	 */
	const struct transport_ops *transport;
	void			 *transport_arg;
	/* The journal and ring (started), ticked each round; NULL: none. */
	struct scan_dir		 *dir;
	/*
	 * Resuming: the results rebuilt from the journal, which is also a
	 * sink of the stream. Hosts and pairs it holds are not probed
	 * again. NULL: a new scan.
	 */
	const struct results	 *resume;
	/* --packet-trace: each probe sent and answer received; NULL: none. */
	void			(*trace)(void *, const struct scan_trace *);
	void			 *trace_arg;
	/* "key=value" strings for the scan-start record. */
	const char *const	 *strings;
	size_t			  nstrings;
};

/* Totals, for the front end after the scan. */
struct scan_stats {
	uint64_t	probes;
	uint64_t	replies;
	uint64_t	drops;
	uint64_t	retransmits;
	uint64_t	max_host_probes;	/* most probes any host got */
	uint32_t	state_peak;	/* most state entries in the model */
};

/* Prepare the scan: routes, raw socket and pcap (needs CAP_NET_RAW). */
struct scan	*scan_create(const struct scan_config *, struct event_stream *,
		    char **);
/* Run to the end. -1 and cause on a runtime failure. */
int		 scan_run(struct scan *, char **);
void		 scan_free(struct scan *);
const struct scan_stats *scan_stats(const struct scan *);

/* Did the scan end on stop_fd, with no scan-end record (resumable)? */
bool		 scan_interrupted(const struct scan *);

/* What the control socket asks for (scan-control.h). */
void		 scan_pause(struct scan *, bool);
void		 scan_stop(struct scan *);
/*
 * Multiply the limit that binds by factor, never above the profile's
 * max_rate or --max-rate: the scan's rate limit or, when it is lower,
 * the per-host cap times the hosts being scanned (then slower sets the
 * scan's limit below it, and faster leaves it, each host being at the
 * profile's most already); with no limit, start from the rate of the
 * last progress record. Returns the new limit (probes/s; 0: none).
 */
double		 scan_rate_adjust(struct scan *, double);
/* The scan's rate limit now (probes/s; 0: none). */
double		 scan_rate_limit(const struct scan *);

#endif
