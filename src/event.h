/*
 * Event records: every fact the engine learns, as one record type. The
 * same records go to the journal (durable), the ring (live, shared
 * memory) and the results store (in memory). See docs/HACKING.md for the
 * on-disk format.
 */
#ifndef EVENT_H
#define EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "target.h"

#define EVENT_VERSION	2
/* The oldest record version a reader takes: 1 has no port runs. */
#define EVENT_VERSION_MIN	1

enum event_type {
	EVENT_SCAN_START = 1,	/* struct event_scan_start + strings */
	EVENT_HOST_STATE,	/* struct event_host */
	EVENT_PORT_STATE,	/* struct event_port */
	EVENT_SERVICE,		/* struct event_service + banner bytes */
	EVENT_PROGRESS,		/* struct event_progress */
	EVENT_WARNING,		/* struct event_warning + text */
	EVENT_CONTROL,		/* struct event_control */
	EVENT_SCAN_END,		/* struct event_scan_end */
	EVENT_HOST_NAME,	/* struct event_host_name + name bytes */
	EVENT_SERVICE_INFO,	/* struct event_service_info + strings */
	EVENT_PORT_RUN,		/* struct event_port_run + ports (v2) */
	EVENT_TYPE_MAX
};

enum event_host_state {
	EVENT_HOST_UP = 1,
	EVENT_HOST_DOWN,
	EVENT_HOST_SILENT,	/* answered, then stopped answering */
	EVENT_HOST_DONE,	/* every probe of the host is settled */
	EVENT_HOST_TIMEOUT	/* abandoned at host_timeout: no results */
};

enum event_port_state {
	EVENT_PORT_OPEN = 1,
	EVENT_PORT_CLOSED,
	EVENT_PORT_FILTERED,
	EVENT_PORT_UNFILTERED,
	EVENT_PORT_OPEN_FILTERED,
	EVENT_PORT_CLOSED_FILTERED,
	EVENT_PORT_STATE_MAX
};

/* Why a state was decided, as Nmap's reason="" attribute names it. */
enum event_reason {
	EVENT_REASON_NONE = 0,
	EVENT_REASON_SYN_ACK,
	EVENT_REASON_RESET,
	EVENT_REASON_NO_RESPONSE,
	EVENT_REASON_HOST_UNREACH,
	EVENT_REASON_NET_UNREACH,
	EVENT_REASON_PROTO_UNREACH,
	EVENT_REASON_PORT_UNREACH,
	EVENT_REASON_ADMIN_PROHIBITED,
	EVENT_REASON_ECHO_REPLY,
	EVENT_REASON_TIMESTAMP_REPLY,
	EVENT_REASON_ARP_RESPONSE,
	EVENT_REASON_UDP_RESPONSE,
	EVENT_REASON_CONN_REFUSED,
	EVENT_REASON_LOCALHOST,
	EVENT_REASON_USER_SET,		/* -Pn */
	EVENT_REASON_ND_RESPONSE,
	EVENT_REASON_MAX
};

/* The fixed header in front of every record, little-endian on disk. */
struct event_header {
	uint32_t	crc;		/* CRC32C of the rest of the record */
	uint16_t	version;	/* EVENT_VERSION */
	uint16_t	type;		/* enum event_type */
	uint32_t	len;		/* payload bytes after the header */
	uint32_t	pad;
	uint64_t	seq;		/* from 1, no gaps */
	uint64_t	mono_ns;	/* CLOCK_MONOTONIC */
};

/*
 * A record's bytes, in the journal and the ring alike: the header, the
 * payload and zeros up to a multiple of 8, so that every record starts
 * 8-byte aligned.
 */
#define EVENT_PAD(len)		(((size_t)(len) + 7) & ~(size_t)7)
#define EVENT_RECORD_SIZE(len)	(sizeof (struct event_header) + EVENT_PAD(len))

struct event_scan_start {
	uint64_t	seed;
	uint64_t	hosts;		/* addresses after excludes */
	uint64_t	pairs;		/* (host, port) pairs in this shard */
	uint64_t	wall_start;	/* seconds since the epoch */
	uint32_t	shard_index;
	uint32_t	shard_count;
	uint32_t	nstrings;	/* NUL-terminated strings follow */
	uint32_t	pad;
	/* strings: "key=value", e.g. "targets=...", "profile=polite" */
};

struct event_host {
	struct target_addr	addr;
	uint8_t			state;	/* enum event_host_state */
	uint8_t			reason;	/* enum event_reason */
	uint8_t			ttl;
	uint8_t			pad;
	uint32_t		rtt_us;
	uint64_t		probes;	/* probes sent to it so far */
};

/* Where a host's name came from, as Nmap's <hostname type=""> says. */
enum event_name_type {
	EVENT_NAME_USER = 1,	/* the target was given as this name */
	EVENT_NAME_PTR,		/* reverse DNS: tact never looks these up */
	EVENT_NAME_TYPE_MAX
};

struct event_host_name {
	struct target_addr	addr;
	uint8_t			type;	/* enum event_name_type */
	uint8_t			pad[2];
	uint32_t		len;	/* name bytes follow, no NUL */
};

struct event_port {
	struct target_addr	addr;
	uint16_t		port;
	uint8_t			proto;	/* PORT_TCP or PORT_UDP */
	uint8_t			state;	/* enum event_port_state */
	uint8_t			reason;	/* enum event_reason */
	uint8_t			ttl;
	uint8_t			tries;
	uint8_t			pad;
	uint32_t		rtt_us;
	/*
	 * Version 1 had the pair's iterator position here (8 bytes more),
	 * which no reader needs; a reader takes those records as they are.
	 */
};

/*
 * Ports of a host decided in one state, for one reason, answered with one
 * TTL: what a scan mostly finds (closed or filtered), in a few bytes
 * instead of a record a port. After the struct, the ports in ascending
 * order as items of unsigned LEB128 numbers: x, then, if x is odd, n. The
 * item's first port is x / 2 past the last port of the item before (the
 * first item: x / 2 itself; after it, at least 1 past); with n, the item
 * is that port and the n (at least 1) after it, else that port alone.
 * tries and rtt_us of each port are not kept.
 */
struct event_port_run {
	struct target_addr	addr;
	uint8_t			proto;	/* PORT_TCP or PORT_UDP */
	uint8_t			state;	/* closed or filtered */
	uint8_t			reason;	/* enum event_reason */
	uint8_t			ttl;
	uint8_t			pad[3];
	uint32_t		count;	/* ports in the items */
};

/* Bytes a run of n ports may take at most. */
#define EVENT_PORT_RUN_MAX(n)	(sizeof (struct event_port_run) + 3 * (n))

/* Where a reader of a run's ports is: all zero at the start. */
struct event_port_run_pos {
	size_t		off;	/* item bytes read */
	uint32_t	left;	/* ports of the item still to give */
	uint16_t	port;	/* the last port given */
};

struct event_service {
	struct target_addr	addr;
	uint16_t		port;
	uint8_t			proto;
	uint8_t			pad;
	uint32_t		len;	/* banner bytes follow, raw */
};

/* How a service was named, as Nmap's <service method=""> says. */
enum event_service_method {
	EVENT_SERVICE_TABLE = 1,	/* from the port number alone */
	EVENT_SERVICE_PROBED,		/* a probe's response matched */
	EVENT_SERVICE_METHOD_MAX
};

/*
 * What service detection (-sV) found on a port. The strings that follow
 * are "key=value", each NUL-terminated, with the keys of
 * event_service_key(): service, product, version, extrainfo, hostname,
 * ostype, devicetype, cpe (any number) and the certificate's subject,
 * issuer and subject alternative names (any number). Values come from
 * the network: escape them before showing them.
 */
struct event_service_info {
	struct target_addr	addr;
	uint16_t		port;
	uint8_t			proto;
	uint8_t			method;		/* enum event_service_method */
	uint8_t			conf;		/* 0-10, as Nmap's */
	uint8_t			tunnel;		/* 1: inside TLS */
	int64_t			cert_not_before; /* 0: no certificate */
	int64_t			cert_not_after;
	uint8_t			cert_sha256[32];
	uint32_t		nstrings;
	uint32_t		pad;
};

enum event_service_key {
	EVENT_SKEY_SERVICE,
	EVENT_SKEY_PRODUCT,
	EVENT_SKEY_VERSION,
	EVENT_SKEY_EXTRAINFO,
	EVENT_SKEY_HOSTNAME,
	EVENT_SKEY_OSTYPE,
	EVENT_SKEY_DEVICETYPE,
	EVENT_SKEY_CPE,
	EVENT_SKEY_CERT_SUBJECT,
	EVENT_SKEY_CERT_ISSUER,
	EVENT_SKEY_CERT_SAN,
	EVENT_SKEY_MAX
};

struct event_progress {
	uint64_t	pairs_done;
	uint64_t	pairs_total;
	uint64_t	probes_sent;
	uint64_t	replies;
	uint64_t	drops;		/* probes that timed out */
	uint64_t	retransmits;
	uint64_t	hosts_up;
	uint64_t	hosts_down;
	uint64_t	open_ports;
	uint32_t	rate_milli;	/* probes/s * 1000 over the last second */
	uint32_t	eta_ms;		/* UINT32_MAX: unknown */
	uint32_t	cwnd;		/* scan congestion window */
	uint32_t	delay_us;	/* current scan delay */
	uint64_t	iter_done;	/* target_iter_done() for resume */
	uint32_t	state_entries;	/* NAT and firewall state, modelled */
	uint32_t	state_max;	/* its cap; 0: none (not modelled) */
};

struct event_warning {
	struct target_addr	addr;	/* family 0: not about a host */
	uint32_t		code;
	uint32_t		len;	/* text follows, not NUL-terminated */
};

enum event_control_action {
	EVENT_CONTROL_PAUSE = 1,
	EVENT_CONTROL_RESUME,
	EVENT_CONTROL_SLOWER,
	EVENT_CONTROL_FASTER,
	EVENT_CONTROL_STOP
};

struct event_control {
	uint32_t	action;		/* enum event_control_action */
	uint32_t	uid;		/* who asked */
	double		rate;		/* the rate limit after it */
};

enum event_end_status {
	EVENT_END_DONE = 1,
	EVENT_END_STOPPED,
	EVENT_END_FAILED
};

struct event_scan_end {
	uint32_t	status;		/* enum event_end_status */
	uint32_t	pad;
	uint64_t	wall_end;
};


/*
 * The stream the engine writes to: it numbers each record, stamps it,
 * computes its CRC and hands it to every sink (journal, ring, results).
 */
typedef void event_sink_fn(void *, const struct event_header *,
    const void *);

struct event_stream;

struct event_stream *event_stream_create(void);
void		 event_stream_free(struct event_stream *);
void		 event_stream_add_sink(struct event_stream *, event_sink_fn *,
		     void *);
/* Continue numbering after seq (a resumed scan). */
void		 event_stream_set_seq(struct event_stream *, uint64_t);
uint64_t	 event_stream_emit(struct event_stream *, enum event_type,
		     const void *, size_t);

/*
 * Write n ascending ports (a run's) after the struct at run and set its
 * count; returns the payload's length, at most EVENT_PORT_RUN_MAX(n).
 */
size_t		 event_port_run_encode(struct event_port_run *,
		     const uint16_t *, size_t);
/*
 * The next port of a run of len payload bytes: 1 and *port, 0 after the
 * last, -1 if the items are not as above (event_record_check() refuses
 * such a record, or one whose ports are not count in number).
 */
int		 event_port_run_next(const struct event_port_run *, size_t,
		     struct event_port_run_pos *, uint16_t *);

/* The least payload a record of a type carries; 0 for an unknown type. */
size_t		 event_min_len(enum event_type);
/*
 * The one check of a record read back, from the journal or the ring: rec
 * (8-byte aligned) has avail bytes at hand. Its version and a payload of
 * at most max bytes are checked first; once EVENT_RECORD_SIZE() of its
 * length is at hand, its CRC, zero padding and a payload long enough for
 * its type. Returns 1 when it is good, 0 when more bytes are needed, -1
 * and *cause (unless cause is NULL) when it is not a good record.
 */
int		 event_record_check(const void *, size_t, uint32_t, char **);
uint32_t	 event_crc32c(uint32_t, const void *, size_t);
/* The CRC a record's header should carry. */
uint32_t	 event_record_crc(const struct event_header *, const void *);
const char	*event_type_name(enum event_type);
const char	*event_reason_name(enum event_reason);
const char	*event_port_state_name(enum event_port_state);
const char	*event_host_state_name(enum event_host_state);
const char	*event_name_type_name(enum event_name_type);
const char	*event_service_key(enum event_service_key);
const char	*event_service_method_name(enum event_service_method);

#endif
