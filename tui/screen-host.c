/*
 * One host in detail, from the results store: its state, latency, TTL,
 * probes and timeline (found, went silent, done), then its ports with
 * state, reason, TTL, service and banner: the open ones first, the
 * others folded into one line a state ("997 closed") until a key
 * unfolds them; the selected port's banner in a pane of its own at the
 * bottom, and a key to export it all to a text file. Banners are
 * escaped as they are drawn or written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output-escape.h"
#include "output.h"
#include "port-spec.h"
#include "tui.h"
#include "xmalloc.h"

/* Lines for the selected port's banner. */
#define SCREEN_HOST_BANNER	3
/* Rows above the port list. */
#define SCREEN_HOST_TOP		5

/* A row of the port list: a port (its index in ports), or a count. */
#define SCREEN_HOST_FOLD_CLOSED		((size_t)-1)
#define SCREEN_HOST_FOLD_FILTERED	((size_t)-2)

struct screen_host {
	struct tui_list		 list;
	bool			 unfolded;
	struct results_port	*ports;		/* results_host_ports()' */
	size_t			 nports;
	size_t			 aports;
	size_t			*rows;
	size_t			 nrows;
};

static void	screen_host_enter(struct tui *);
static void	screen_host_rows(struct screen_host *,
		    const struct results_host *);
static const struct results_port *screen_host_selected(
		    const struct screen_host *);
static void	screen_host_free(struct tui *);
static void	screen_host_draw(struct tui *, WINDOW *);
static void	screen_host_line(const struct results_port *, char *,
		    size_t);
static void	screen_host_times(const struct tui_scan *,
		    const struct results_host *, char *, size_t);
static char	*screen_host_pane(const struct results_port *);
static void	screen_host_banner(struct tui *, WINDOW *,
		    const struct results_port *);
static bool	screen_host_key(struct tui *, int, enum tui_action);
static void	screen_host_export(struct tui *);

const struct screen_ops screen_host_ops = {
	.name = "host",
	.enter = screen_host_enter,
	.draw = screen_host_draw,
	.key = screen_host_key,
	.free = screen_host_free,
};

/* A new host: back to its first port, folded. */
static void
screen_host_enter(struct tui *t)
{
	struct screen_host	*sh = t->data[SCREEN_HOST];

	if (sh == NULL)
		t->data[SCREEN_HOST] = sh = xcalloc(1, sizeof *sh);
	memset(&sh->list, 0, sizeof sh->list);
	sh->unfolded = false;
}

static void
screen_host_free(struct tui *t)
{
	struct screen_host	*sh = t->data[SCREEN_HOST];

	free(sh->ports);
	free(sh->rows);
	free(sh);
}

/* The list's rows: open ports, then the others or a line a count. */
static void
screen_host_rows(struct screen_host *sh, const struct results_host *h)
{
	size_t	i;

	sh->nports = results_host_ports(h, &sh->ports, &sh->aports);
	sh->rows = xreallocarray(sh->rows, sh->nports + 2, sizeof *sh->rows);
	sh->nrows = 0;
	for (i = 0; i < sh->nports; i++) {
		if (sh->ports[i].state == EVENT_PORT_OPEN)
			sh->rows[sh->nrows++] = i;
	}
	if (sh->unfolded) {
		for (i = 0; i < sh->nports; i++) {
			if (sh->ports[i].state != EVENT_PORT_OPEN)
				sh->rows[sh->nrows++] = i;
		}
		return;
	}
	if (tui_scan_count(h, TUI_COUNT_CLOSED) != 0)
		sh->rows[sh->nrows++] = SCREEN_HOST_FOLD_CLOSED;
	if (tui_scan_count(h, TUI_COUNT_FILTERED) != 0)
		sh->rows[sh->nrows++] = SCREEN_HOST_FOLD_FILTERED;
}

/* The port the cursor is on, or the first open one; NULL: none. */
static const struct results_port *
screen_host_selected(const struct screen_host *sh)
{
	if (sh->list.cur < sh->nrows && sh->rows[sh->list.cur] < sh->nports)
		return (&sh->ports[sh->rows[sh->list.cur]]);
	if (sh->nrows > 0 && sh->rows[0] < sh->nports)
		return (&sh->ports[sh->rows[0]]);
	return (NULL);
}

static void
screen_host_line(const struct results_port *p, char *buf, size_t len)
{
	char		 port[16], *banner, *raw, *svc;

	snprintf(port, sizeof port, "%u/%s", p->port,
	    p->proto == PORT_UDP ? "udp" : "tcp");
	/* -sV's name and version, else the services file's and the banner. */
	raw = output_service_name(p);
	svc = output_escape_text(raw != NULL ? raw : "-",
	    raw != NULL ? strlen(raw) : 1);
	free(raw);
	if ((raw = output_service_version(p->service)) != NULL) {
		banner = output_escape_text(raw, strlen(raw));
		free(raw);
	} else
		banner = output_escape_text(p->banner != NULL ? p->banner : "",
		    p->banner_len);
	snprintf(buf, len, "%-10s %-15s %-16s %4u %-12s %s", port,
	    event_port_state_name(p->state), event_reason_name(p->reason),
	    p->ttl, svc, banner);
	free(svc);
	free(banner);
}

static void
screen_host_times(const struct tui_scan *s, const struct results_host *h,
    char *buf, size_t len)
{
	char	found[16] = "-", silent[16] = "-", done[16] = "-";

	if (h->up_ns != 0)
		tui_draw_duration(found, sizeof found,
		    tui_scan_since(s, h->up_ns));
	if (h->silent_ns != 0)
		tui_draw_duration(silent, sizeof silent,
		    tui_scan_since(s, h->silent_ns));
	if (h->done_ns != 0)
		tui_draw_duration(done, sizeof done,
		    tui_scan_since(s, h->done_ns));
	snprintf(buf, len, "found at %s   went silent at %s   done at %s",
	    found, silent, done);
}

static void
screen_host_draw(struct tui *t, WINDOW *w)
{
	const struct results_host	*h = t->host;
	struct screen_host		*sh = t->data[SCREEN_HOST];
	const struct results_port	*sel;
	char				 line[512], addr[64];
	int				 y = 0, rows, end;
	size_t				 i, r;
	uint8_t				 st;

	if (h == NULL || sh == NULL) {
		tui_draw_text(w, 1, 1, -1, ROLE_NORMAL, "no host");
		return;
	}
	st = tui_scan_host_state(h);
	target_addr_str(&h->addr, addr, sizeof addr);
	tui_draw_text(w, y, 1, -1, ROLE_TITLE, addr);
	tui_draw_printf(w, y, 3 + (int)strlen(addr), -1, tui_colour_host(st),
	    "%s", st != 0 ? event_host_state_name(st) : "?");
	tui_draw_printf(w, y++, 44, -1, ROLE_NORMAL, "latency %.1f ms  "
	    "probes %llu", tui_scan_host_rtt(h) / 1000.0,
	    (unsigned long long)tui_scan_host_probes(h));
	snprintf(line, sizeof line, "reason %s   ttl %u   open ",
	    event_reason_name(h->reason), tui_scan_host_ttl(h));
	tui_draw_text(w, y, 1, -1, ROLE_NORMAL, line);
	tui_draw_printf(w, y, 1 + (int)strlen(line), -1, ROLE_OPEN, "%u",
	    tui_scan_count(h, TUI_COUNT_OPEN));
	tui_draw_printf(w, y++, 1 + (int)strlen(line) + 6, -1, ROLE_NORMAL,
	    "closed %u   filtered %u", tui_scan_count(h, TUI_COUNT_CLOSED),
	    tui_scan_count(h, TUI_COUNT_FILTERED));
	screen_host_times(t->scan, h, line, sizeof line);
	tui_draw_text(w, y++, 1, -1, ROLE_NORMAL, line);
	tui_draw_hline(t, w, y, 0, getmaxx(w));
	tui_draw_text(w, y++, 2, -1, ROLE_LABEL, " ports: open first ");
	tui_draw_printf(w, y++, 1, -1, ROLE_LABEL, "%-10s %-15s %-16s %4s "
	    "%-12s %s", "port", "state", "reason", "ttl", "service",
	    "banner");
	/* The list ends where the banner pane begins. */
	end = getmaxy(w) - SCREEN_HOST_BANNER - 1;
	rows = end - y;
	screen_host_rows(sh, h);
	tui_draw_list_fit(&sh->list, sh->nrows, rows);
	tui_draw_scroll(w, SCREEN_HOST_TOP - 2, sh->list.top, (size_t)rows,
	    sh->nrows);
	for (i = sh->list.top; i < sh->nrows && y < end; i++, y++) {
		r = sh->rows[i];
		if (r == SCREEN_HOST_FOLD_CLOSED || r ==
		    SCREEN_HOST_FOLD_FILTERED) {
			snprintf(line, sizeof line, "%u %s  (f shows them)",
			    tui_scan_count(h, r == SCREEN_HOST_FOLD_CLOSED ?
			    TUI_COUNT_CLOSED : TUI_COUNT_FILTERED),
			    r == SCREEN_HOST_FOLD_CLOSED ? "closed" :
			    "filtered");
			tui_draw_text(w, y, 1, -1, i == sh->list.cur ?
			    ROLE_SELECTED : r == SCREEN_HOST_FOLD_CLOSED ?
			    ROLE_CLOSED : ROLE_FILTERED, line);
			continue;
		}
		screen_host_line(&sh->ports[r], line, sizeof line);
		tui_draw_text(w, y, 1, -1, i == sh->list.cur ? ROLE_SELECTED :
		    tui_colour_port(sh->ports[r].state), line);
	}
	if (sh->nports == 0)
		tui_draw_text(w, y, 1, -1, ROLE_NORMAL, "no ports yet");
	if ((sel = screen_host_selected(sh)) != NULL)
		screen_host_banner(t, w, sel);
}

/*
 * The pane's text, escaped: -sV's version and certificate (subject,
 * issuer, expiry), then the banner, or "(none)".
 */
static char *
screen_host_pane(const struct results_port *p)
{
	const struct results_service	*sv = p->service;
	char				*raw, *ver = NULL, *s, *e, day[16];
	time_t				 t;
	struct tm			 tm;

	if (sv != NULL && (raw = output_service_version(sv)) != NULL) {
		xasprintf(&ver, "%s | ", raw);
		free(raw);
	}
	day[0] = '\0';
	if (sv != NULL && sv->cert) {
		t = (time_t)sv->cert_not_after;
		if (gmtime_r(&t, &tm) == NULL ||
		    strftime(day, sizeof day, "%Y-%m-%d", &tm) == 0)
			snprintf(day, sizeof day, "?");
	}
	xasprintf(&s, "%s%s%s%s%s%s%s%s", ver != NULL ? ver : "",
	    day[0] != '\0' ? "certificate " : "",
	    day[0] != '\0' && sv->cert_subject != NULL ? sv->cert_subject : "",
	    day[0] != '\0' ? ", issuer " : "",
	    day[0] != '\0' && sv->cert_issuer != NULL ? sv->cert_issuer : "",
	    day[0] != '\0' ? ", expires " : "", day,
	    day[0] != '\0' ? " | " : "");
	e = output_escape_text(s, strlen(s));
	free(s);
	free(ver);
	if (p->banner != NULL) {
		raw = output_escape_text(p->banner, p->banner_len);
		xasprintf(&s, "%s%s", e, raw);
		free(raw);
	} else
		xasprintf(&s, "%s%s", e, e[0] == '\0' ? "(none)" : "no banner");
	free(e);
	return (s);
}

/* The selected port's whole banner, wrapped, at the bottom. */
static void
screen_host_banner(struct tui *t, WINDOW *w, const struct results_port *p)
{
	char		*text, *b;
	int		 y = getmaxy(w) - SCREEN_HOST_BANNER - 1, i;
	int		 width = getmaxx(w) - 2;
	size_t		 len;

	text = screen_host_pane(p);
	b = text;
	len = strlen(b);
	tui_draw_hline(t, w, y, 0, getmaxx(w));
	tui_draw_printf(w, y++, 2, -1, ROLE_LABEL, " banner of %u/%s ",
	    p->port, p->proto == PORT_UDP ? "udp" : "tcp");
	for (i = 0; i < SCREEN_HOST_BANNER && len > 0; i++, y++) {
		tui_draw_text(w, y, 1, width, ROLE_NORMAL, b);
		if (len <= (size_t)width)
			break;
		b += width;
		len -= (size_t)width;
	}
	free(text);
}

/* Write the host as text to tact-host-ADDRESS.txt in this directory. */
static void
screen_host_export(struct tui *t)
{
	const struct results_host	*h = t->host;
	FILE				*f;
	struct results_port		*v = NULL;
	char				*path, line[512], addr[64], *c;
	size_t				 i, n, av = 0;
	int				 open;
	uint8_t				 st = tui_scan_host_state(h);

	target_addr_str(&h->addr, addr, sizeof addr);
	xasprintf(&path, "tact-host-%s.txt", addr);
	for (c = path; *c != '\0'; c++) {
		if (*c == ':')
			*c = '_';
	}
	if ((f = fopen(path, "w")) == NULL) {
		tui_message(t, true, "%s: %s", path, strerror(errno));
		free(path);
		return;
	}
	fprintf(f, "host %s %s, latency %.1f ms, ttl %u, %llu probes\n",
	    addr, st != 0 ? event_host_state_name(st) : "unknown",
	    tui_scan_host_rtt(h) / 1000.0, tui_scan_host_ttl(h),
	    (unsigned long long)tui_scan_host_probes(h));
	screen_host_times(t->scan, h, line, sizeof line);
	fprintf(f, "%s\n%-10s %-15s %-16s %4s %-12s %s\n", line, "PORT",
	    "STATE", "REASON", "TTL", "SERVICE", "BANNER");
	/* Open ports first, as the screen shows them. */
	n = results_host_ports(h, &v, &av);
	for (open = 1; open >= 0; open--) {
		for (i = 0; i < n; i++) {
			if ((v[i].state == EVENT_PORT_OPEN) != open)
				continue;
			screen_host_line(&v[i], line, sizeof line);
			fprintf(f, "%s\n", line);
		}
	}
	free(v);
	if (fclose(f) != 0)
		tui_message(t, true, "%s: %s", path, strerror(errno));
	else
		tui_message(t, false, "exported to %s", path);
	free(path);
}

static bool
screen_host_key(struct tui *t, int key, enum tui_action a)
{
	struct screen_host	*sh = t->data[SCREEN_HOST];

	if (t->host == NULL || sh == NULL)
		return (false);
	switch (a) {
	case ACTION_EXPORT:
		screen_host_export(t);
		return (true);
	case ACTION_FOLD:
		sh->unfolded = !sh->unfolded;
		sh->list.cur = sh->list.top = 0;
		return (true);
	default:
		screen_host_rows(sh, t->host);
		return (tui_draw_list_key(&sh->list, sh->nrows,
		    getmaxy(t->body) - SCREEN_HOST_TOP - SCREEN_HOST_BANNER -
		    1, a));
	}
}
