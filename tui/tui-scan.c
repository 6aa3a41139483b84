/*
 * The scan being watched. Every record, in order as it comes from the
 * journal and then the ring, goes to the results store (hosts, ports,
 * banners, progress, the scan's strings), the same store the outputs
 * are written from. Beside it this file keeps only what a live view
 * needs: the event log, the rate history for the sparkline, warnings as
 * lines to show and whether the scan is paused. Text from a record is
 * escaped before it is kept here.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output-escape.h"
#include "port-spec.h"
#include "tui.h"
#include "xmalloc.h"

static void	tui_scan_log(struct tui_scan *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	tui_scan_warn(struct tui_scan *, const char *);
static char	*tui_scan_string(const struct tui_scan *, const char *);
static bool	tui_scan_was_open(const struct tui_scan *,
		    const struct event_port *);
static void	tui_scan_start(struct tui_scan *);
static void	tui_scan_host(struct tui_scan *, const struct event_host *);
static void	tui_scan_port(struct tui_scan *, const struct event_port *);
static void	tui_scan_progress(struct tui_scan *,
		    const struct event_progress *);
static void	tui_scan_warning(struct tui_scan *,
		    const struct event_header *, const struct event_warning *);
static void	tui_scan_control(struct tui_scan *,
		    const struct event_control *);
static void	tui_scan_end(struct tui_scan *, const struct event_scan_end *);

static const char *tui_scan_control_names[] = {
	[EVENT_CONTROL_PAUSE] = "paused",
	[EVENT_CONTROL_RESUME] = "resumed",
	[EVENT_CONTROL_SLOWER] = "slowed down",
	[EVENT_CONTROL_FASTER] = "sped up",
	[EVENT_CONTROL_STOP] = "stopped",
};

static const char *tui_scan_end_names[] = {
	[EVENT_END_DONE] = "scan finished",
	[EVENT_END_STOPPED] = "scan stopped",
	[EVENT_END_FAILED] = "scan failed",
};

/* Which count each port state goes to. */
static const enum tui_count tui_scan_counts[EVENT_PORT_STATE_MAX] = {
	[EVENT_PORT_OPEN] = TUI_COUNT_OPEN,
	[EVENT_PORT_CLOSED] = TUI_COUNT_CLOSED,
	[EVENT_PORT_UNFILTERED] = TUI_COUNT_CLOSED,
	[EVENT_PORT_FILTERED] = TUI_COUNT_FILTERED,
	[EVENT_PORT_OPEN_FILTERED] = TUI_COUNT_FILTERED,
	[EVENT_PORT_CLOSED_FILTERED] = TUI_COUNT_FILTERED,
};

#define NAME_OF(table, v, none)						\
	((size_t)(v) < sizeof (table) / sizeof (table)[0] &&		\
	    (table)[(v)] != NULL ? (table)[(v)] : (none))

struct tui_scan *
tui_scan_create(void)
{
	struct tui_scan	*s;

	s = xcalloc(1, sizeof *s);
	s->results = results_create();
	return (s);
}

void
tui_scan_free(struct tui_scan *s)
{
	size_t	i;

	if (s == NULL)
		return;
	results_free(s->results);
	for (i = 0; i < TUI_SCAN_LOG; i++)
		free(s->log[i]);
	for (i = 0; i < TUI_SCAN_WARN; i++)
		free(s->warn[i]);
	free(s->targets);
	free(s->profile);
	free(s->purpose);
	free(s);
}

const char *
tui_scan_log_line(const struct tui_scan *s, size_t i)
{
	if (i >= s->nlog || i + TUI_SCAN_LOG < s->nlog)
		return (NULL);
	return (s->log[i % TUI_SCAN_LOG]);
}

double
tui_scan_percent(const struct tui_scan *s)
{
	const struct results_scan	*rs = results_scan(s->results);
	const struct event_progress	*p = results_progress(s->results);

	if (rs->ended && rs->status == EVENT_END_DONE)
		return (100.0);
	if (p->pairs_total == 0)
		return (0.0);
	return (100.0 * (double)p->pairs_done / (double)p->pairs_total);
}

/* A record's time since the scan started; 0 before it did. */
uint64_t
tui_scan_since(const struct tui_scan *s, uint64_t ns)
{
	uint64_t	start = results_scan(s->results)->start_ns;

	return (start != 0 && ns > start ? ns - start : 0);
}

/* The state to show: silent once a host went silent. */
uint8_t
tui_scan_host_state(const struct results_host *h)
{
	return (h->silent ? EVENT_HOST_SILENT : h->state);
}

unsigned
tui_scan_count(const struct results_host *h, enum tui_count c)
{
	unsigned	n = 0;
	size_t		i;

	for (i = 1; i < EVENT_PORT_STATE_MAX; i++) {
		if (tui_scan_counts[i] == c)
			n += h->nstate[i];
	}
	return (n);
}

static void
tui_scan_log(struct tui_scan *s, const char *fmt, ...)
{
	va_list		 ap;
	char		 text[256], when[16];
	size_t		 slot = s->nlog % TUI_SCAN_LOG;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	tui_draw_duration(when, sizeof when, tui_scan_since(s, s->now_ns));
	free(s->log[slot]);
	xasprintf(&s->log[slot], "%8s  %s", when, text);
	s->nlog++;
}

static void
tui_scan_warn(struct tui_scan *s, const char *text)
{
	size_t	i;

	if (s->nwarn == TUI_SCAN_WARN) {
		free(s->warn[0]);
		for (i = 1; i < TUI_SCAN_WARN; i++)
			s->warn[i - 1] = s->warn[i];
		s->nwarn--;
	}
	s->warn[s->nwarn++] = xstrdup(text);
}

/* A scan-start string, escaped, or NULL. */
static char *
tui_scan_string(const struct tui_scan *s, const char *key)
{
	const char	*v;

	if ((v = results_scan_string(s->results, key)) == NULL)
		return (NULL);
	return (output_escape_text(v, strlen(v)));
}

static void
tui_scan_start(struct tui_scan *s)
{
	free(s->targets);
	free(s->profile);
	free(s->purpose);
	s->targets = tui_scan_string(s, "targets");
	s->profile = tui_scan_string(s, "profile");
	s->purpose = tui_scan_string(s, "purpose");
	tui_scan_log(s, "scan started: %s, profile %s",
	    s->targets != NULL ? s->targets : "?",
	    s->profile != NULL ? s->profile : "?");
}

static void
tui_scan_host(struct tui_scan *s, const struct event_host *e)
{
	char	addr[64], text[160];

	target_addr_str(&e->addr, addr, sizeof addr);
	switch (e->state) {
	case EVENT_HOST_UP:
		tui_scan_log(s, "%s up (%s, %.1f ms)", addr,
		    event_reason_name(e->reason), e->rtt_us / 1000.0);
		break;
	case EVENT_HOST_DOWN:
		tui_scan_log(s, "%s down", addr);
		break;
	case EVENT_HOST_SILENT:
		snprintf(text, sizeof text, "%s went silent after %llu "
		    "probes", addr, (unsigned long long)e->probes);
		tui_scan_log(s, "! %s", text);
		tui_scan_warn(s, text);
		break;
	}
}

/* Whether the store has the port open already; asked before applying. */
static bool
tui_scan_was_open(const struct tui_scan *s, const struct event_port *e)
{
	const struct results_host	*h;
	const struct results_port	*p;
	struct results_port		 buf;

	if ((h = results_host_find(s->results, &e->addr)) == NULL ||
	    (p = results_port_find(h, e->port, e->proto, &buf)) == NULL)
		return (false);
	return (p->state == EVENT_PORT_OPEN);
}

static void
tui_scan_port(struct tui_scan *s, const struct event_port *e)
{
	const char	*svc;
	char		 addr[64];

	svc = port_spec_service(e->port, e->proto);
	tui_scan_log(s, "%s %u/%s open %s",
	    target_addr_str(&e->addr, addr, sizeof addr), e->port,
	    e->proto == PORT_UDP ? "udp" : "tcp", svc != NULL ? svc : "");
}

static void
tui_scan_progress(struct tui_scan *s, const struct event_progress *p)
{
	if (s->nrates == TUI_SCAN_RATES) {
		memmove(s->rates, s->rates + 1,
		    (TUI_SCAN_RATES - 1) * sizeof *s->rates);
		s->nrates--;
	}
	s->rates[s->nrates++] = p->rate_milli;
	if (p->rate_milli > s->peak_rate)
		s->peak_rate = p->rate_milli;
}

static void
tui_scan_warning(struct tui_scan *s, const struct event_header *hdr,
    const struct event_warning *w)
{
	char	*text, *line, addr[64];
	size_t	 len = w->len;

	if (len > hdr->len - sizeof *w)
		len = hdr->len - sizeof *w;
	text = output_escape_text(w + 1, len);
	if (w->addr.family != 0)
		xasprintf(&line, "%s: %s",
		    target_addr_str(&w->addr, addr, sizeof addr), text);
	else
		line = xstrdup(text);
	tui_scan_log(s, "! %s", line);
	tui_scan_warn(s, line);
	free(line);
	free(text);
}

static void
tui_scan_control(struct tui_scan *s, const struct event_control *c)
{
	if (c->action == EVENT_CONTROL_PAUSE)
		s->paused = true;
	else if (c->action == EVENT_CONTROL_RESUME)
		s->paused = false;
	s->rate_limit = c->rate;
	tui_scan_log(s, "%s by uid %u (limit %.0f/s)",
	    NAME_OF(tui_scan_control_names, c->action, "unknown action"),
	    c->uid, c->rate);
}

static void
tui_scan_end(struct tui_scan *s, const struct event_scan_end *e)
{
	s->paused = false;
	tui_scan_log(s, "%s", NAME_OF(tui_scan_end_names, e->status,
	    "scan ended"));
}

/*
 * Apply one record. Records must come in sequence; one too short for its
 * type is an error, one of a type this version does not know (a newer
 * engine) only counts.
 */
int
tui_scan_apply(struct tui_scan *s, const struct event_header *hdr,
    const void *payload, char **cause)
{
	bool	was_open = false;

	if (s->seq != 0 && hdr->seq != s->seq + 1) {
		xasprintf(cause, "record %llu after %llu: records missing",
		    (unsigned long long)hdr->seq,
		    (unsigned long long)s->seq);
		return (-1);
	}
	if (hdr->len < event_min_len(hdr->type)) {
		xasprintf(cause, "%s record %llu: %u bytes, want %zu",
		    event_type_name(hdr->type), (unsigned long long)hdr->seq,
		    hdr->len, event_min_len(hdr->type));
		return (-1);
	}
	s->seq = hdr->seq;
	s->now_ns = hdr->mono_ns;
	s->changes++;
	if (hdr->type == EVENT_PORT_STATE)
		was_open = tui_scan_was_open(s, payload);
	results_apply(s->results, hdr, payload);
	switch (hdr->type) {
	case EVENT_SCAN_START:
		tui_scan_start(s);
		break;
	case EVENT_HOST_STATE:
		tui_scan_host(s, payload);
		break;
	case EVENT_PORT_STATE:
		if (!was_open && ((const struct event_port *)payload)->state ==
		    EVENT_PORT_OPEN)
			tui_scan_port(s, payload);
		break;
	case EVENT_PROGRESS:
		tui_scan_progress(s, payload);
		break;
	case EVENT_WARNING:
		tui_scan_warning(s, hdr, payload);
		break;
	case EVENT_CONTROL:
		tui_scan_control(s, payload);
		break;
	case EVENT_SCAN_END:
		tui_scan_end(s, payload);
		break;
	}
	return (0);
}
