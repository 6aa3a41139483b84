/*
 * The event stream: number, stamp and checksum each record, then hand it
 * to every sink. Also the names of the enums, in tables, for every output.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event.h"
#include "xmalloc.h"

#define EVENT_SINKS_MAX	8

struct event_stream {
	uint64_t	 seq;
	struct {
		event_sink_fn	*fn;
		void		*arg;
	}		 sinks[EVENT_SINKS_MAX];
	size_t		 nsinks;
};

static const char *event_type_names[EVENT_TYPE_MAX] = {
	[EVENT_SCAN_START] = "scan-start",
	[EVENT_HOST_STATE] = "host-state",
	[EVENT_PORT_STATE] = "port-state",
	[EVENT_SERVICE] = "service",
	[EVENT_PROGRESS] = "progress",
	[EVENT_WARNING] = "warning",
	[EVENT_CONTROL] = "control",
	[EVENT_SCAN_END] = "scan-end",
};

/* Nmap's spellings, so that the XML output reads as Nmap's does. */
static const char *event_reason_names[EVENT_REASON_MAX] = {
	[EVENT_REASON_NONE] = "unknown",
	[EVENT_REASON_SYN_ACK] = "syn-ack",
	[EVENT_REASON_RESET] = "reset",
	[EVENT_REASON_NO_RESPONSE] = "no-response",
	[EVENT_REASON_HOST_UNREACH] = "host-unreach",
	[EVENT_REASON_NET_UNREACH] = "net-unreach",
	[EVENT_REASON_PROTO_UNREACH] = "proto-unreach",
	[EVENT_REASON_PORT_UNREACH] = "port-unreach",
	[EVENT_REASON_ADMIN_PROHIBITED] = "admin-prohibited",
	[EVENT_REASON_ECHO_REPLY] = "echo-reply",
	[EVENT_REASON_TIMESTAMP_REPLY] = "timestamp-reply",
	[EVENT_REASON_ARP_RESPONSE] = "arp-response",
	[EVENT_REASON_UDP_RESPONSE] = "udp-response",
	[EVENT_REASON_CONN_REFUSED] = "conn-refused",
	[EVENT_REASON_LOCALHOST] = "localhost-response",
	[EVENT_REASON_USER_SET] = "user-set",
};

static const char *event_port_state_names[] = {
	[EVENT_PORT_OPEN] = "open",
	[EVENT_PORT_CLOSED] = "closed",
	[EVENT_PORT_FILTERED] = "filtered",
	[EVENT_PORT_UNFILTERED] = "unfiltered",
	[EVENT_PORT_OPEN_FILTERED] = "open|filtered",
	[EVENT_PORT_CLOSED_FILTERED] = "closed|filtered",
};

static const char *event_host_state_names[] = {
	[EVENT_HOST_UP] = "up",
	[EVENT_HOST_DOWN] = "down",
	[EVENT_HOST_SILENT] = "silent",
	[EVENT_HOST_DONE] = "done",
};

#define NAME_OF(table, v)						\
	((size_t)(v) < sizeof (table) / sizeof (table)[0] &&		\
	    (table)[(v)] != NULL ? (table)[(v)] : "unknown")

const char *
event_type_name(enum event_type t)
{
	return (NAME_OF(event_type_names, t));
}

const char *
event_reason_name(enum event_reason r)
{
	return (NAME_OF(event_reason_names, r));
}

const char *
event_port_state_name(enum event_port_state s)
{
	return (NAME_OF(event_port_state_names, s));
}

const char *
event_host_state_name(enum event_host_state s)
{
	return (NAME_OF(event_host_state_names, s));
}

/* CRC32C (Castagnoli), reflected, table-driven; built on first use. */
uint32_t
event_crc32c(uint32_t crc, const void *buf, size_t len)
{
	static uint32_t		 table[256];
	static int		 ready;
	const unsigned char	*p = buf;
	uint32_t		 c;
	int			 i, k;

	if (!ready) {
		for (i = 0; i < 256; i++) {
			c = (uint32_t)i;
			for (k = 0; k < 8; k++)
				c = (c & 1) ? (c >> 1) ^ 0x82f63b78U : c >> 1;
			table[i] = c;
		}
		ready = 1;
	}
	crc = ~crc;
	while (len-- > 0)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return (~crc);
}

uint32_t
event_record_crc(const struct event_header *h, const void *payload)
{
	uint32_t	crc;

	crc = event_crc32c(0, (const char *)h + sizeof h->crc,
	    sizeof *h - sizeof h->crc);
	return (event_crc32c(crc, payload, h->len));
}

struct event_stream *
event_stream_create(void)
{
	return (xcalloc(1, sizeof (struct event_stream)));
}

void
event_stream_free(struct event_stream *es)
{
	free(es);
}

void
event_stream_add_sink(struct event_stream *es, event_sink_fn *fn, void *arg)
{
	if (es->nsinks == EVENT_SINKS_MAX)
		abort();
	es->sinks[es->nsinks].fn = fn;
	es->sinks[es->nsinks].arg = arg;
	es->nsinks++;
}

void
event_stream_set_seq(struct event_stream *es, uint64_t seq)
{
	es->seq = seq;
}

uint64_t
event_stream_emit(struct event_stream *es, enum event_type type,
    const void *payload, size_t len)
{
	struct event_header	h;
	struct timespec		ts;
	size_t			i;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	memset(&h, 0, sizeof h);
	h.version = EVENT_VERSION;
	h.type = (uint16_t)type;
	h.len = (uint32_t)len;
	h.seq = ++es->seq;
	h.mono_ns = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	h.crc = event_record_crc(&h, payload);
	for (i = 0; i < es->nsinks; i++)
		es->sinks[i].fn(es->sinks[i].arg, &h, payload);
	return (h.seq);
}
