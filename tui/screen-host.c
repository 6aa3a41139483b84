/*
 * One host in detail, from the results store: its state, latency and
 * timeline (found, went silent, done), then every port with state,
 * reason, TTL, service and banner, and a key to export it all to a text
 * file. Banners are escaped as they are drawn or written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output-escape.h"
#include "port-spec.h"
#include "tui.h"
#include "xmalloc.h"

/* Lines for the selected port's banner. */
#define SCREEN_HOST_BANNER	3

static void	screen_host_enter(struct tui *);
static void	screen_host_free(struct tui *);
static void	screen_host_draw(struct tui *, WINDOW *);
static void	screen_host_line(const struct results_port *, char *,
		    size_t);
static void	screen_host_times(const struct tui_scan *,
		    const struct results_host *, char *, size_t);
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

/* A new host: back to its first port. */
static void
screen_host_enter(struct tui *t)
{
	if (t->data[SCREEN_HOST] == NULL)
		t->data[SCREEN_HOST] = xcalloc(1, sizeof (struct tui_list));
	memset(t->data[SCREEN_HOST], 0, sizeof (struct tui_list));
}

static void
screen_host_free(struct tui *t)
{
	free(t->data[SCREEN_HOST]);
}

static void
screen_host_line(const struct results_port *p, char *buf, size_t len)
{
	const char	*svc = port_spec_service(p->port, p->proto);
	char		 port[16], *banner;

	snprintf(port, sizeof port, "%u/%s", p->port,
	    p->proto == PORT_UDP ? "udp" : "tcp");
	banner = output_escape_text(p->banner != NULL ? p->banner : "",
	    p->banner_len);
	snprintf(buf, len, "%-10s %-15s %-16s %4u %-12s %s", port,
	    event_port_state_name(p->state), event_reason_name(p->reason),
	    p->ttl, svc != NULL ? svc : "-", banner);
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
	struct tui_list			*l = t->data[SCREEN_HOST];
	struct results_port		*v = NULL;
	char				 line[512], addr[64];
	int				 y = 0, rows;
	size_t				 i, n, av = 0;
	uint8_t				 st;

	if (h == NULL || l == NULL) {
		tui_draw_text(w, 1, 1, -1, ROLE_NORMAL, "no host");
		return;
	}
	st = tui_scan_host_state(h);
	target_addr_str(&h->addr, addr, sizeof addr);
	tui_draw_text(w, y, 1, -1, ROLE_TITLE, addr);
	tui_draw_printf(w, y, 3 + (int)strlen(addr), -1, tui_colour_host(st),
	    "%s", st != 0 ? event_host_state_name(st) : "?");
	tui_draw_printf(w, y++, 44, -1, ROLE_NORMAL, "latency %.1f ms  "
	    "probes %llu", h->rtt_us / 1000.0, (unsigned long long)h->probes);
	tui_draw_printf(w, y++, 1, -1, ROLE_NORMAL, "reason %s   ttl %u   "
	    "open %u   closed %u   filtered %u", event_reason_name(h->reason),
	    h->ttl, tui_scan_count(h, TUI_COUNT_OPEN),
	    tui_scan_count(h, TUI_COUNT_CLOSED),
	    tui_scan_count(h, TUI_COUNT_FILTERED));
	screen_host_times(t->scan, h, line, sizeof line);
	tui_draw_text(w, y++, 1, -1, ROLE_NORMAL, line);
	tui_draw_hline(t, w, y, 0, getmaxx(w));
	tui_draw_text(w, y++, 2, -1, ROLE_LABEL, " ports ");
	tui_draw_printf(w, y++, 1, -1, ROLE_LABEL, "%-10s %-15s %-16s %4s "
	    "%-12s %s", "port", "state", "reason", "ttl", "service",
	    "banner");
	rows = getmaxy(w) - y - SCREEN_HOST_BANNER - 1;
	n = results_host_ports(h, &v, &av);
	tui_draw_list_fit(l, n, rows);
	for (i = l->top; i < n && y < getmaxy(w); i++, y++) {
		screen_host_line(&v[i], line, sizeof line);
		tui_draw_text(w, y, 1, -1, i == l->cur ? ROLE_SELECTED :
		    tui_colour_port(v[i].state), line);
	}
	if (n == 0)
		tui_draw_text(w, y, 1, -1, ROLE_NORMAL, "no ports yet");
	else
		screen_host_banner(t, w, &v[l->cur]);
	free(v);
}

/* The selected port's whole banner, wrapped, at the bottom. */
static void
screen_host_banner(struct tui *t, WINDOW *w, const struct results_port *p)
{
	char		*text, *b;
	int		 y = getmaxy(w) - SCREEN_HOST_BANNER - 1, i;
	int		 width = getmaxx(w) - 2;
	size_t		 len;

	if (p->banner != NULL)
		text = output_escape_text(p->banner, p->banner_len);
	else
		text = xstrdup("(none)");
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
	fprintf(f, "host %s %s, latency %.1f ms, %llu probes\n", addr,
	    st != 0 ? event_host_state_name(st) : "unknown",
	    h->rtt_us / 1000.0, (unsigned long long)h->probes);
	screen_host_times(t->scan, h, line, sizeof line);
	fprintf(f, "%s\n%-10s %-15s %-16s %4s %-12s %s\n", line, "PORT",
	    "STATE", "REASON", "TTL", "SERVICE", "BANNER");
	n = results_host_ports(h, &v, &av);
	for (i = 0; i < n; i++) {
		screen_host_line(&v[i], line, sizeof line);
		fprintf(f, "%s\n", line);
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
	struct tui_list	*l = t->data[SCREEN_HOST];

	if (t->host == NULL || l == NULL)
		return (false);
	if (a == ACTION_EXPORT) {
		screen_host_export(t);
		return (true);
	}
	return (tui_draw_list_key(l, results_port_count(t->host, 0),
	    getmaxy(t->body) - 6 -
	    SCREEN_HOST_BANNER - 1, a));
}
