/*
 * The results store: hosts and their ports, built only by applying event
 * records, so that replaying a journal rebuilds exactly what the engine
 * saw. Outputs and the dashboard query it.
 */
#ifndef RESULTS_H
#define RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"

/* What service detection found on a port (EVENT_SERVICE_INFO). */
struct results_service {
	char		*name;
	/* product, version, extrainfo, hostname, ostype, devicetype */
	char		*field[EVENT_SKEY_CPE - EVENT_SKEY_PRODUCT];
	char		**cpe;
	size_t		 ncpe;
	uint8_t		 method;	/* enum event_service_method */
	uint8_t		 conf;
	bool		 tunnel;	/* inside TLS */
	bool		 cert;		/* the fields below are set */
	char		*cert_subject;
	char		*cert_issuer;
	char		**cert_san;
	size_t		 ncert_san;
	int64_t		 cert_not_before;
	int64_t		 cert_not_after;
	uint8_t		 cert_sha256[32];
};

struct results_port {
	uint16_t	port;
	uint8_t		proto;		/* PORT_TCP or PORT_UDP */
	uint8_t		state;		/* enum event_port_state */
	uint8_t		reason;		/* enum event_reason */
	uint8_t		ttl;
	uint8_t		tries;
	uint32_t	rtt_us;
	char		*banner;	/* raw bytes from EVENT_SERVICE, or NULL */
	uint32_t	banner_len;
	struct results_service *service;	/* -sV's, or NULL */
};

/*
 * Ports of a host in one state, for one reason, with one TTL, from
 * port-run records: closed or filtered, what a scan mostly finds, kept
 * as ranges of port numbers rather than a results_port each.
 */
struct results_run {
	uint8_t		  proto;
	uint8_t		  state;
	uint8_t		  reason;
	uint8_t		  ttl;
	uint32_t	  count;	/* ports in the ranges */
	uint16_t	(*ranges)[2];	/* first, last: ascending, apart */
	size_t		  nranges;
	size_t		  aranges;
};

struct results_host {
	struct target_addr	 addr;
	char			*name;		/* EVENT_HOST_NAME's, or NULL */
	uint8_t			 name_type;	/* enum event_name_type */
	uint8_t			 state;		/* up or down */
	uint8_t			 reason;
	uint8_t			 ttl;
	bool			 silent;	/* went silent mid-scan */
	bool			 timedout;	/* host_timeout: no ports */
	bool			 done;
	uint32_t		 rtt_us;
	uint64_t		 probes;
	/* mono_ns of the first record saying so; 0: none yet. */
	uint64_t		 up_ns;
	uint64_t		 silent_ns;
	uint64_t		 done_ns;
	/*
	 * Ports one by one (port-state records), by protocol, then port;
	 * the rest are in runs. results_host_ports() gives them all.
	 */
	struct results_port	*ports;
	size_t			 nports;
	size_t			 aports;
	struct results_run	*runs;
	size_t			 nruns;
	/* How many of its ports are in each enum event_port_state. */
	uint32_t		 nstate[EVENT_PORT_STATE_MAX];
};

/* What the scan-start and scan-end records said. */
struct results_scan {
	bool		 started;
	bool		 ended;
	uint64_t	 seed;
	uint64_t	 hosts;
	uint64_t	 pairs;
	uint64_t	 wall_start;
	uint64_t	 wall_end;
	uint64_t	 start_ns;
	uint64_t	 end_ns;
	uint64_t	 last_ns;	/* mono_ns of the last record */
	uint32_t	 status;	/* enum event_end_status */
	bool		 running;	/* results_set_running() */
	char		**strings;	/* "key=value" */
	size_t		 nstrings;
};

struct results;

struct results	*results_create(void);
void		 results_free(struct results *);
void		 results_apply(struct results *, const struct event_header *,
		     const void *);
/* results_apply as an event_sink_fn. */
void		 results_sink(void *, const struct event_header *,
		     const void *);
/*
 * A scan's store from its journal file (results-journal.c), as far as
 * the journal goes; NULL and *cause if it cannot be read, is damaged or
 * has no scan-start record.
 */
struct results	*results_load_journal(const char *, char **);

/*
 * What no record can say: an engine still writes this scan's journal
 * (the front end saw its lock held), so without a scan-end record it is
 * running, not interrupted.
 */
void		 results_set_running(struct results *);

const struct results_scan	*results_scan(const struct results *);
const char	*results_scan_string(const struct results *, const char *);
const struct event_progress	*results_progress(const struct results *);
size_t		 results_warning_count(const struct results *);
const char	*results_warning(const struct results *, size_t);

/* Hosts in address order. */
size_t		 results_host_count(const struct results *);
const struct results_host *results_host(const struct results *, size_t);
const struct results_host *results_host_find(const struct results *,
		     const struct target_addr *);
size_t		 results_hosts_up(const struct results *);
/* Ports of a host in a state, of runs and one by one; 0: every port. */
size_t		 results_port_count(const struct results_host *, uint8_t);
/*
 * A port of a host: the one held one by one, or one of a run made up in
 * *buf; NULL if the host has no such port.
 */
const struct results_port *results_port_find(const struct results_host *,
		     uint16_t, uint8_t, struct results_port *);
/*
 * Every port of a host by protocol, then port, into *v (grown as needed,
 * *alloc its length; the caller frees it): those held one by one, and
 * those of runs made up. Returns how many.
 */
size_t		 results_host_ports(const struct results_host *,
		     struct results_port **, size_t *);

#endif
