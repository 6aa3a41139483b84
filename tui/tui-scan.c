/*
 * The scan being watched. Every record, in order as it comes from the
 * journal and then the ring, goes to the results store (hosts, ports,
 * banners, progress, the scan's strings), the same store the outputs
 * are written from. Beside it this file keeps only what a live view
 * needs: the event log, the rate history for the sparkline (the whole
 * scan, coarser as it grows), warnings as lines to show, whether the
 * scan is paused and the limits it runs under. Text from a record is
 * escaped before it is kept here.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output-escape.h"
#include "port-spec.h"
#include "strnum.h"
#include "tui.h"
#include "xmalloc.h"

static void	tui_scan_log(struct tui_scan *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	tui_scan_warn(struct tui_scan *, const struct target_addr *,
		    const char *);
static char	*tui_scan_string(const struct tui_scan *, const char *);
static double	 tui_scan_number(const struct tui_scan *, const char *);
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

/* No more records will come: it ended, or its engine is gone. */
bool
tui_scan_over(const struct tui_scan *s)
{
	return (results_scan(s->results)->ended || s->interrupted);
}

/* A record's time since the scan started; 0 before it did. */
uint64_t
tui_scan_since(const struct tui_scan *s, uint64_t ns)
{
	uint64_t	start = results_scan(s->results)->start_ns;

	return (start != 0 && ns > start ? ns - start : 0);
}

/*
 * The state to show: timeout once a host was abandoned at host_timeout,
 * silent once it went silent.
 */
uint8_t
tui_scan_host_state(const struct results_host *h)
{
	if (h->timedout)
		return (EVENT_HOST_TIMEOUT);
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

/*
 * Probes a host has had: what its last host record said, and while it
 * is not done, beside that the tries of every port settled since (the
 * records of a host that is being scanned do not count them).
 */
uint64_t
tui_scan_host_probes(const struct results_host *h)
{
	uint64_t	n = 0;
	size_t		i;

	if (h->done || h->silent)
		return (h->probes);
	for (i = 0; i < h->nports; i++)
		n += h->ports[i].tries;
	return (h->probes + n);
}

/* Its round-trip time, or else the mean of its ports' replies. */
uint32_t
tui_scan_host_rtt(const struct results_host *h)
{
	uint64_t	sum = 0, n = 0;
	size_t		i;

	if (h->rtt_us != 0)
		return (h->rtt_us);
	for (i = 0; i < h->nports; i++) {
		if (h->ports[i].rtt_us != 0 &&
		    h->ports[i].reason != EVENT_REASON_NO_RESPONSE) {
			sum += h->ports[i].rtt_us;
			n++;
		}
	}
	return (n == 0 ? 0 : (uint32_t)(sum / n));
}

/* Its TTL, or else the first its ports' replies had. */
uint8_t
tui_scan_host_ttl(const struct results_host *h)
{
	size_t	i;

	for (i = 0; h->ttl == 0 && i < h->nports; i++) {
		if (h->ports[i].ttl != 0)
			return (h->ports[i].ttl);
	}
	return (h->ttl);
}

/* Whether the host is up and its ports are still being scanned. */
bool
tui_scan_host_active(const struct tui_scan *s, const struct results_host *h)
{
	return (h->state == EVENT_HOST_UP && !h->done && !h->silent &&
	    !tui_scan_over(s));
}

/* How much of a host is done: its ports settled of the scan's a host. */
unsigned
tui_scan_host_percent(const struct tui_scan *s, const struct results_host *h)
{
	const struct results_scan	*rs = results_scan(s->results);
	uint64_t			 each, n;

	if (h->done || h->silent || h->state == EVENT_HOST_DOWN)
		return (100);
	if (rs->hosts == 0 || (each = rs->pairs / rs->hosts) == 0)
		return (0);
	n = results_port_count(h, 0);
	return (n >= each ? 99 : (unsigned)(100 * n / each));
}

/*
 * The top of the rate sparkline's fixed scale, in milli: the least of
 * the scan's cap and the per-host cap times the hosts it scans at once,
 * never below the highest rate seen; the highest rate seen when the
 * caps are not known.
 */
uint32_t
tui_scan_rate_scale(const struct tui_scan *s)
{
	const struct results_scan	*rs = results_scan(s->results);
	double				 top = s->max_rate, hosts;

	hosts = (double)rs->hosts;
	if (s->group_size != 0 && (double)s->group_size < hosts)
		hosts = (double)s->group_size;
	if (s->host_max_rate > 0 && hosts > 0 &&
	    (top == 0 || s->host_max_rate * hosts < top))
		top = s->host_max_rate * hosts;
	if (top * 1000 < s->peak_rate)
		return (s->peak_rate);
	return (top > 0 && top < UINT32_MAX / 1000 ? (uint32_t)(top * 1000) :
	    s->peak_rate);
}

/*
 * The limit that binds now, in probes/s (0: none): the scan's own (its
 * last control record's, else its cap) or, when lower, the per-host cap
 * times the hosts being scanned; *per_host says it is that one.
 */
double
tui_scan_binding(const struct tui_scan *s, bool *per_host)
{
	const struct results_host	*h;
	double				 limit, hosts = 0;
	size_t				 i, n;

	limit = s->rate_limit > 0 ? s->rate_limit : s->max_rate;
	*per_host = false;
	if (s->host_max_rate <= 0)
		return (limit);
	n = results_host_count(s->results);
	for (i = 0; i < n; i++) {
		h = results_host(s->results, i);
		if (tui_scan_host_active(s, h))
			hosts++;
	}
	if (hosts == 0)
		hosts = 1;
	if (limit == 0 || s->host_max_rate * hosts < limit) {
		*per_host = true;
		return (s->host_max_rate * hosts);
	}
	return (limit);
}

/*
 * What the records read so far say, for a user who attaches to a scan
 * that has been running: how long, hosts up, open ports, warnings. NULL
 * when there is nothing to tell (the scan has just started).
 */
char *
tui_scan_caught_up(const struct tui_scan *s)
{
	const struct event_progress	*p = results_progress(s->results);
	size_t				 warnings;
	char				*text, when[16];

	warnings = results_warning_count(s->results);
	if (results_host_count(s->results) == 0 && warnings == 0)
		return (NULL);
	tui_draw_duration(when, sizeof when, tui_scan_since(s, s->now_ns));
	xasprintf(&text, "%s of scan so far: %zu host%s up, %llu open "
	    "port%s, %zu warning%s", when, results_hosts_up(s->results),
	    results_hosts_up(s->results) == 1 ? "" : "s",
	    (unsigned long long)p->open_ports, p->open_ports == 1 ? "" : "s",
	    warnings, warnings == 1 ? "" : "s");
	return (text);
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
tui_scan_warn(struct tui_scan *s, const struct target_addr *addr,
    const char *text)
{
	size_t	i;

	if (s->nwarn == TUI_SCAN_WARN) {
		free(s->warn[0]);
		for (i = 1; i < TUI_SCAN_WARN; i++) {
			s->warn[i - 1] = s->warn[i];
			s->warn_addr[i - 1] = s->warn_addr[i];
		}
		s->nwarn--;
	}
	if (addr != NULL)
		s->warn_addr[s->nwarn] = *addr;
	else
		memset(&s->warn_addr[s->nwarn], 0, sizeof s->warn_addr[0]);
	s->warn[s->nwarn++] = xstrdup(text);
}

/* A line of the dashboard's own in the event log. */
void
tui_scan_note(struct tui_scan *s, const char *text)
{
	tui_scan_log(s, "%s", text);
}

/* Whether one of the warnings kept names the address. */
bool
tui_scan_warned(const struct tui_scan *s, const struct target_addr *a)
{
	size_t	i;

	for (i = 0; i < s->nwarn; i++) {
		if (s->warn_addr[i].family != 0 &&
		    target_addr_cmp(&s->warn_addr[i], a) == 0)
			return (true);
	}
	return (false);
}

/* The i-th port found open (from 0), while it is still kept, or NULL. */
const struct tui_scan_open *
tui_scan_open_port(const struct tui_scan *s, size_t i)
{
	if (i >= s->nopen || i + TUI_SCAN_OPEN < s->nopen)
		return (NULL);
	return (&s->open[i % TUI_SCAN_OPEN]);
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

/* A number from the scan-start strings; 0 when absent or not one. */
static double
tui_scan_number(const struct tui_scan *s, const char *key)
{
	const char	*v;
	char		*cause;
	double		 d;

	if ((v = results_scan_string(s->results, key)) == NULL)
		return (0);
	if (strnum_double(v, 0, 1e12, &d, &cause) != 0) {
		free(cause);
		return (0);
	}
	return (d);
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
	s->max_rate = tui_scan_number(s, "max_rate");
	s->host_max_rate = tui_scan_number(s, "host_max_rate");
	s->group_size = (uint64_t)tui_scan_number(s, "group_size");
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
		tui_scan_warn(s, &e->addr, text);
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
	struct tui_scan_open	*o = &s->open[s->nopen++ % TUI_SCAN_OPEN];
	const char		*svc;
	char			 addr[64];

	o->addr = e->addr;
	o->port = e->port;
	o->proto = e->proto;
	svc = port_spec_service(e->port, e->proto);
	tui_scan_log(s, "%s %u/%s open %s",
	    target_addr_str(&e->addr, addr, sizeof addr), e->port,
	    e->proto == PORT_UDP ? "udp" : "tcp", svc != NULL ? svc : "");
}

/* One more rate for the history; when it is full, halve its detail. */
static void
tui_scan_progress(struct tui_scan *s, const struct event_progress *p)
{
	size_t	i;

	if (s->rate_step == 0)
		s->rate_step = 1;
	s->rate_sum += p->rate_milli;
	if (++s->rate_n == s->rate_step) {
		s->rates[s->nrates++] = (uint32_t)(s->rate_sum / s->rate_n);
		s->rate_sum = 0;
		s->rate_n = 0;
	}
	if (s->nrates == TUI_SCAN_RATES) {
		for (i = 0; i < TUI_SCAN_RATES / 2; i++)
			s->rates[i] = (uint32_t)(((uint64_t)s->rates[2 * i] +
			    s->rates[2 * i + 1]) / 2);
		s->nrates = TUI_SCAN_RATES / 2;
		s->rate_step *= 2;
	}
	if (p->rate_milli > s->peak_rate)
		s->peak_rate = p->rate_milli;
}

static void
tui_scan_warning(struct tui_scan *s, const struct event_header *hdr,
    const struct event_warning *w)
{
	char	*text;
	size_t	 len = w->len;

	if (len > hdr->len - sizeof *w)
		len = hdr->len - sizeof *w;
	/* A host's warning names the host itself, as every output keeps it. */
	text = output_escape_text(w + 1, len);
	tui_scan_log(s, "! %s", text);
	tui_scan_warn(s, w->addr.family != 0 ? &w->addr : NULL, text);
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
	if (c->rate > 0)
		snprintf(s->control_text, sizeof s->control_text, "%s by uid "
		    "%u (limit %g/s)", NAME_OF(tui_scan_control_names,
		    c->action, "unknown action"), c->uid, c->rate);
	else
		snprintf(s->control_text, sizeof s->control_text, "%s by uid "
		    "%u (no limit)", NAME_OF(tui_scan_control_names,
		    c->action, "unknown action"), c->uid);
	s->controls++;
	tui_scan_log(s, "%s", s->control_text);
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
