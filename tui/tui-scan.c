/*
 * The dashboard's picture of one scan, built only by applying event
 * records, in order, as they come from the journal and then the ring.
 * Besides hosts and ports it keeps what only a live view needs: the rate
 * history for the sparkline, the event log, the latest warnings and each
 * host's timeline. Every string that came from the network is escaped
 * here, before any screen can draw it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "port-spec.h"
#include "tui.h"
#include "xmalloc.h"

static void	 tui_scan_log(struct tui_scan *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	 tui_scan_warn(struct tui_scan *, const char *);
static uint32_t	 tui_scan_hash(const struct target_addr *);
static void	 tui_scan_rehash(struct tui_scan *);
static struct tui_host *tui_scan_host(struct tui_scan *,
		    const struct target_addr *);
static int	 tui_scan_port_cmp(uint8_t, uint16_t, const struct tui_port *);
static struct tui_port *tui_scan_port(struct tui_host *, uint16_t, uint8_t);
static void	 tui_scan_count(struct tui_host *, uint8_t, int);
static int	 tui_scan_start(struct tui_scan *, const void *, size_t,
		    char **);
static int	 tui_scan_host_state(struct tui_scan *,
		    const struct event_header *, const void *);
static int	 tui_scan_port_state(struct tui_scan *, const void *);
static int	 tui_scan_service(struct tui_scan *, const void *, size_t,
		    char **);
static int	 tui_scan_progress(struct tui_scan *, const void *);
static int	 tui_scan_warning(struct tui_scan *, const void *, size_t,
		    char **);
static int	 tui_scan_control(struct tui_scan *, const void *);
static int	 tui_scan_end(struct tui_scan *, const void *);

/* The fixed size of each record type's payload (at least this much). */
static const size_t tui_scan_sizes[EVENT_TYPE_MAX] = {
	[EVENT_SCAN_START] = sizeof (struct event_scan_start),
	[EVENT_HOST_STATE] = sizeof (struct event_host),
	[EVENT_PORT_STATE] = sizeof (struct event_port),
	[EVENT_SERVICE] = sizeof (struct event_service),
	[EVENT_PROGRESS] = sizeof (struct event_progress),
	[EVENT_WARNING] = sizeof (struct event_warning),
	[EVENT_CONTROL] = sizeof (struct event_control),
	[EVENT_SCAN_END] = sizeof (struct event_scan_end),
};

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

struct tui_scan *
tui_scan_create(void)
{
	struct tui_scan	*s;

	s = xcalloc(1, sizeof *s);
	s->nindex = 64;
	s->index = xcalloc(s->nindex, sizeof *s->index);
	return (s);
}

void
tui_scan_free(struct tui_scan *s)
{
	size_t	i, j;

	if (s == NULL)
		return;
	for (i = 0; i < s->nhosts; i++) {
		for (j = 0; j < s->hosts[i]->nports; j++)
			free(s->hosts[i]->ports[j].banner);
		free(s->hosts[i]->ports);
		free(s->hosts[i]);
	}
	free(s->hosts);
	free(s->index);
	for (i = 0; i < TUI_SCAN_LOG; i++)
		free(s->log[i]);
	for (i = 0; i < TUI_SCAN_WARN; i++)
		free(s->warn[i]);
	free(s->targets);
	free(s->profile);
	free(s->purpose);
	free(s);
}

/*
 * Make bytes from the network safe to draw: printable ASCII stays,
 * everything else becomes \n, \r, \t or \xNN.
 */
char *
tui_scan_escape(const void *buf, size_t len)
{
	const unsigned char	*p = buf;
	char			*out, *o;
	size_t			 i;

	out = o = xmalloc(len * 4 + 1);
	for (i = 0; i < len; i++) {
		if (p[i] == '\\') {
			*o++ = '\\';
			*o++ = '\\';
		} else if (p[i] == '\n' || p[i] == '\r' || p[i] == '\t') {
			*o++ = '\\';
			*o++ = p[i] == '\n' ? 'n' : p[i] == '\r' ? 'r' : 't';
		} else if (p[i] >= 0x20 && p[i] < 0x7f)
			*o++ = (char)p[i];
		else
			o += sprintf(o, "\\x%02x", p[i]);
	}
	*o = '\0';
	return (out);
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
	const struct event_progress	*p = &s->progress;

	if (s->end_status == EVENT_END_DONE)
		return (100.0);
	if (!s->have_progress || p->pairs_total == 0)
		return (0.0);
	return (100.0 * (double)p->pairs_done / (double)p->pairs_total);
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
	tui_draw_duration(when, sizeof when, s->now_ns - s->start_ns);
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

/* FNV-1a over the address bytes. */
static uint32_t
tui_scan_hash(const struct target_addr *a)
{
	uint32_t	h = 2166136261U;
	size_t		i, n = a->family == 0 ? 0 : 16;

	h = (h ^ a->family) * 16777619U;
	for (i = 0; i < n; i++)
		h = (h ^ a->addr[i]) * 16777619U;
	return (h);
}

static void
tui_scan_rehash(struct tui_scan *s)
{
	size_t		i, slot;

	free(s->index);
	s->nindex *= 2;
	s->index = xcalloc(s->nindex, sizeof *s->index);
	for (i = 0; i < s->nhosts; i++) {
		slot = tui_scan_hash(&s->hosts[i]->addr) & (s->nindex - 1);
		while (s->index[slot] != 0)
			slot = (slot + 1) & (s->nindex - 1);
		s->index[slot] = (uint32_t)(i + 1);
	}
}

struct tui_host *
tui_scan_find(const struct tui_scan *s, const struct target_addr *a)
{
	size_t			 slot;
	struct tui_host		*h;

	slot = tui_scan_hash(a) & (s->nindex - 1);
	while (s->index[slot] != 0) {
		h = s->hosts[s->index[slot] - 1];
		if (target_addr_cmp(&h->addr, a) == 0)
			return (h);
		slot = (slot + 1) & (s->nindex - 1);
	}
	return (NULL);
}

/* The host with this address, added when new. */
static struct tui_host *
tui_scan_host(struct tui_scan *s, const struct target_addr *a)
{
	struct tui_host	*h;
	size_t		 slot;

	if ((h = tui_scan_find(s, a)) != NULL)
		return (h);
	if ((s->nhosts + 1) * 2 > s->nindex)
		tui_scan_rehash(s);
	if (s->nhosts == s->ahosts) {
		s->ahosts = s->ahosts == 0 ? 64 : s->ahosts * 2;
		s->hosts = xreallocarray(s->hosts, s->ahosts,
		    sizeof *s->hosts);
	}
	h = xcalloc(1, sizeof *h);
	h->addr = *a;
	target_addr_str(a, h->addrstr, sizeof h->addrstr);
	s->hosts[s->nhosts++] = h;
	slot = tui_scan_hash(a) & (s->nindex - 1);
	while (s->index[slot] != 0)
		slot = (slot + 1) & (s->nindex - 1);
	s->index[slot] = (uint32_t)s->nhosts;
	return (h);
}

static int
tui_scan_port_cmp(uint8_t proto, uint16_t port, const struct tui_port *p)
{
	if (proto != p->proto)
		return (proto < p->proto ? -1 : 1);
	if (port != p->port)
		return (port < p->port ? -1 : 1);
	return (0);
}

/* The port of a host, added in order when new. */
static struct tui_port *
tui_scan_port(struct tui_host *h, uint16_t port, uint8_t proto)
{
	size_t	lo = 0, hi = h->nports, mid;
	int	c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = tui_scan_port_cmp(proto, port, &h->ports[mid]);
		if (c == 0)
			return (&h->ports[mid]);
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (h->nports == h->aports) {
		h->aports = h->aports == 0 ? 16 : h->aports * 2;
		h->ports = xreallocarray(h->ports, h->aports,
		    sizeof *h->ports);
	}
	memmove(&h->ports[lo + 1], &h->ports[lo],
	    (h->nports - lo) * sizeof *h->ports);
	memset(&h->ports[lo], 0, sizeof h->ports[lo]);
	h->ports[lo].port = port;
	h->ports[lo].proto = proto;
	h->nports++;
	return (&h->ports[lo]);
}

static void
tui_scan_count(struct tui_host *h, uint8_t state, int by)
{
	switch (state) {
	case 0:
		break;
	case EVENT_PORT_OPEN:
		h->nopen += by;
		break;
	case EVENT_PORT_CLOSED:
	case EVENT_PORT_UNFILTERED:
		h->nclosed += by;
		break;
	default:
		h->nfiltered += by;
		break;
	}
}

static int
tui_scan_start(struct tui_scan *s, const void *payload, size_t len,
    char **cause)
{
	const char	*p, *end = (const char *)payload + len, *nul;
	uint32_t	 i;

	memcpy(&s->start, payload, sizeof s->start);
	p = (const char *)payload + sizeof s->start;
	for (i = 0; i < s->start.nstrings; i++) {
		if ((nul = memchr(p, '\0', (size_t)(end - p))) == NULL) {
			xasprintf(cause, "scan-start: string %u not "
			    "terminated", i);
			return (-1);
		}
		if (strncmp(p, "targets=", 8) == 0 && s->targets == NULL)
			s->targets = tui_scan_escape(p + 8, strlen(p + 8));
		else if (strncmp(p, "profile=", 8) == 0 && s->profile == NULL)
			s->profile = tui_scan_escape(p + 8, strlen(p + 8));
		else if (strncmp(p, "purpose=", 8) == 0 && s->purpose == NULL)
			s->purpose = tui_scan_escape(p + 8, strlen(p + 8));
		p = nul + 1;
	}
	s->started = true;
	tui_scan_log(s, "scan started: %s, profile %s",
	    s->targets != NULL ? s->targets : "?",
	    s->profile != NULL ? s->profile : "?");
	return (0);
}

static int
tui_scan_host_state(struct tui_scan *s, const struct event_header *hdr,
    const void *payload)
{
	struct event_host	 e;
	struct tui_host		*h;
	uint64_t		 t = hdr->mono_ns - s->start_ns;
	char			 text[160];

	memcpy(&e, payload, sizeof e);
	h = tui_scan_host(s, &e.addr);
	h->probes = e.probes;
	switch (e.state) {
	case EVENT_HOST_UP:
		h->state = e.state;
		h->reason = e.reason;
		h->ttl = e.ttl;
		h->rtt_us = e.rtt_us;
		h->found_ns = t;
		tui_scan_log(s, "%s up (%s, %.1f ms)", h->addrstr,
		    event_reason_name(e.reason), e.rtt_us / 1000.0);
		break;
	case EVENT_HOST_DOWN:
		h->state = e.state;
		h->reason = e.reason;
		tui_scan_log(s, "%s down", h->addrstr);
		break;
	case EVENT_HOST_SILENT:
		h->state = e.state;
		h->silent_ns = t;
		snprintf(text, sizeof text, "%s went silent after %llu "
		    "probes", h->addrstr, (unsigned long long)e.probes);
		tui_scan_log(s, "! %s", text);
		tui_scan_warn(s, text);
		break;
	case EVENT_HOST_DONE:
		if (h->state == 0)
			h->state = EVENT_HOST_UP;
		h->done_ns = t;
		if (e.rtt_us != 0)
			h->rtt_us = e.rtt_us;
		break;
	}
	return (0);
}

static int
tui_scan_port_state(struct tui_scan *s, const void *payload)
{
	struct event_port	 e;
	struct tui_host		*h;
	struct tui_port		*p;
	const char		*svc;

	memcpy(&e, payload, sizeof e);
	h = tui_scan_host(s, &e.addr);
	if (h->state == 0)
		h->state = EVENT_HOST_UP;
	p = tui_scan_port(h, e.port, e.proto);
	tui_scan_count(h, p->state, -1);
	tui_scan_count(h, e.state, 1);
	if (e.state == EVENT_PORT_OPEN && p->state != EVENT_PORT_OPEN) {
		svc = port_spec_service(e.port, e.proto);
		tui_scan_log(s, "%s %u/%s open %s", h->addrstr, e.port,
		    e.proto == PORT_UDP ? "udp" : "tcp",
		    svc != NULL ? svc : "");
	}
	p->state = e.state;
	p->reason = e.reason;
	p->ttl = e.ttl;
	p->rtt_us = e.rtt_us;
	return (0);
}

static int
tui_scan_service(struct tui_scan *s, const void *payload, size_t len,
    char **cause)
{
	struct event_service	 e;
	struct tui_port		*p;

	memcpy(&e, payload, sizeof e);
	if (e.len > len - sizeof e) {
		xasprintf(cause, "service: banner of %u bytes in a record "
		    "of %zu", e.len, len);
		return (-1);
	}
	p = tui_scan_port(tui_scan_host(s, &e.addr), e.port, e.proto);
	free(p->banner);
	p->banner = tui_scan_escape((const char *)payload + sizeof e, e.len);
	return (0);
}

static int
tui_scan_progress(struct tui_scan *s, const void *payload)
{
	memcpy(&s->progress, payload, sizeof s->progress);
	s->have_progress = true;
	if (s->nrates == TUI_SCAN_RATES) {
		memmove(s->rates, s->rates + 1,
		    (TUI_SCAN_RATES - 1) * sizeof *s->rates);
		s->nrates--;
	}
	s->rates[s->nrates++] = s->progress.rate_milli;
	if (s->progress.rate_milli > s->peak_rate)
		s->peak_rate = s->progress.rate_milli;
	return (0);
}

static int
tui_scan_warning(struct tui_scan *s, const void *payload, size_t len,
    char **cause)
{
	struct event_warning	 e;
	char			*text, *line, addr[48];

	memcpy(&e, payload, sizeof e);
	if (e.len > len - sizeof e) {
		xasprintf(cause, "warning: text of %u bytes in a record of "
		    "%zu", e.len, len);
		return (-1);
	}
	text = tui_scan_escape((const char *)payload + sizeof e, e.len);
	if (e.addr.family != 0)
		xasprintf(&line, "%s: %s",
		    target_addr_str(&e.addr, addr, sizeof addr), text);
	else
		line = xstrdup(text);
	tui_scan_log(s, "! %s", line);
	tui_scan_warn(s, line);
	free(line);
	free(text);
	return (0);
}

static int
tui_scan_control(struct tui_scan *s, const void *payload)
{
	struct event_control	 e;
	const char		*what = "unknown action";

	memcpy(&e, payload, sizeof e);
	if (e.action < sizeof tui_scan_control_names /
	    sizeof tui_scan_control_names[0] &&
	    tui_scan_control_names[e.action] != NULL)
		what = tui_scan_control_names[e.action];
	if (e.action == EVENT_CONTROL_PAUSE)
		s->paused = true;
	else if (e.action == EVENT_CONTROL_RESUME)
		s->paused = false;
	s->rate_limit = e.rate;
	tui_scan_log(s, "%s by uid %u (limit %.0f/s)", what, e.uid, e.rate);
	return (0);
}

static int
tui_scan_end(struct tui_scan *s, const void *payload)
{
	struct event_scan_end	 e;
	const char		*what = "scan ended";

	memcpy(&e, payload, sizeof e);
	s->end_status = e.status != 0 ? e.status : EVENT_END_FAILED;
	s->paused = false;
	if (e.status < sizeof tui_scan_end_names /
	    sizeof tui_scan_end_names[0] && tui_scan_end_names[e.status] !=
	    NULL)
		what = tui_scan_end_names[e.status];
	tui_scan_log(s, "%s", what);
	return (0);
}

/*
 * Apply one record. Records must come in sequence; an unknown type is
 * skipped (a newer engine), a short one is an error.
 */
int
tui_scan_apply(struct tui_scan *s, const struct event_header *hdr,
    const void *payload, char **cause)
{
	size_t	len = hdr->len;
	int	rc = 0;

	if (s->seq != 0 && hdr->seq != s->seq + 1) {
		xasprintf(cause, "record %llu after %llu: records missing",
		    (unsigned long long)hdr->seq,
		    (unsigned long long)s->seq);
		return (-1);
	}
	s->seq = hdr->seq;
	if (hdr->type == EVENT_SCAN_START || s->start_ns == 0)
		s->start_ns = hdr->mono_ns;
	s->now_ns = hdr->mono_ns;
	s->changes++;
	if (hdr->type == 0 || hdr->type >= EVENT_TYPE_MAX)
		return (0);
	if (len < tui_scan_sizes[hdr->type]) {
		xasprintf(cause, "%s record %llu: %zu bytes, want %zu",
		    event_type_name(hdr->type), (unsigned long long)hdr->seq,
		    len, tui_scan_sizes[hdr->type]);
		return (-1);
	}
	switch (hdr->type) {
	case EVENT_SCAN_START:
		rc = tui_scan_start(s, payload, len, cause);
		break;
	case EVENT_HOST_STATE:
		rc = tui_scan_host_state(s, hdr, payload);
		break;
	case EVENT_PORT_STATE:
		rc = tui_scan_port_state(s, payload);
		break;
	case EVENT_SERVICE:
		rc = tui_scan_service(s, payload, len, cause);
		break;
	case EVENT_PROGRESS:
		rc = tui_scan_progress(s, payload);
		break;
	case EVENT_WARNING:
		rc = tui_scan_warning(s, payload, len, cause);
		break;
	case EVENT_CONTROL:
		rc = tui_scan_control(s, payload);
		break;
	case EVENT_SCAN_END:
		rc = tui_scan_end(s, payload);
		break;
	}
	return (rc);
}
