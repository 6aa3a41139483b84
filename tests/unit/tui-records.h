/*
 * Event records for the dashboard's unit tests, built as the engine
 * would emit them, so the screens' model is tested without an engine.
 */
#ifndef TUI_RECORDS_H
#define TUI_RECORDS_H

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "event.h"
#include "port-spec.h"
#include "tui.h"

/* Apply one record with the next sequence number; returns the result. */
static inline int
tui_records_apply(struct tui_scan *s, enum event_type type,
    const void *payload, size_t len)
{
	struct event_header	 h;
	char			*cause = NULL;
	int			 rc;

	memset(&h, 0, sizeof h);
	h.version = EVENT_VERSION;
	h.type = type;
	h.len = (uint32_t)len;
	h.seq = s->seq + 1;
	h.mono_ns = 1000000000ULL * h.seq;
	rc = tui_scan_apply(s, &h, payload, &cause);
	free(cause);
	return (rc);
}

static inline struct target_addr
tui_records_addr(const char *text)
{
	struct target_addr	a;

	memset(&a, 0, sizeof a);
	a.family = AF_INET;
	inet_pton(AF_INET, text, a.addr);
	return (a);
}

static inline void
tui_records_host(struct tui_scan *s, const char *addr, uint8_t state)
{
	struct event_host	e;

	memset(&e, 0, sizeof e);
	e.addr = tui_records_addr(addr);
	e.state = state;
	e.reason = EVENT_REASON_ECHO_REPLY;
	e.rtt_us = 500;
	tui_records_apply(s, EVENT_HOST_STATE, &e, sizeof e);
}

static inline void
tui_records_port(struct tui_scan *s, const char *addr, uint16_t port,
    uint8_t state)
{
	struct event_port	e;

	memset(&e, 0, sizeof e);
	e.addr = tui_records_addr(addr);
	e.port = port;
	e.proto = PORT_TCP;
	e.state = state;
	e.reason = EVENT_REASON_SYN_ACK;
	e.ttl = 64;
	tui_records_apply(s, EVENT_PORT_STATE, &e, sizeof e);
}

#endif
