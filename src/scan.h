/*
 * The scan engine: one event loop (epoll over the pcap descriptor, the
 * connect sockets, a timerfd and a stop descriptor) that sends probes
 * within the profile's limits and turns every answer, and every silence,
 * into event records. A struct scan owns everything it uses.
 */
#ifndef SCAN_H
#define SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct event_stream;
struct port_list;
struct profile;
struct target_set;

/* What to scan and how; the engine keeps pointers, not copies. */
struct scan_config {
	const struct profile	 *profile;
	const struct target_set	 *targets;
	const struct port_list	 *ports;	/* the TCP ports scanned */
	bool			  connect;	/* connect(), not raw SYN */
	bool			  no_ping;	/* -Pn */
	bool			  ping_only;	/* -sn */
	uint64_t		  seed;
	uint32_t		  shard_index;	/* 0-based */
	uint32_t		  shard_count;	/* at least 1 */
	double			  max_rate;	/* 0: the profile's */
	int			  stop_fd;	/* readable: stop; -1: none */
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
};

struct scan;

/* Prepare the scan: routes, raw socket and pcap (needs CAP_NET_RAW). */
struct scan	*scan_create(const struct scan_config *, struct event_stream *,
		    char **);
/* Run to the end. -1 and cause on a runtime failure. */
int		 scan_run(struct scan *, char **);
void		 scan_free(struct scan *);
const struct scan_stats *scan_stats(const struct scan *);

/* Can this process open raw sockets? (CAP_NET_RAW) */
bool		 scan_raw_allowed(void);

#endif
