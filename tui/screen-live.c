/*
 * The live dashboard of one scan, laid out to fill the terminal: at the
 * top progress and ETA, what has been sent and heard, the rate against
 * the limit that binds (and the state entries in NAT and firewalls
 * against their cap) and its history over the whole scan, the
 * congestion state; below, side by side, the hosts being scanned (done,
 * open ports, rate, state) and the open ports as they are found; then
 * the warnings and the events as they come. A larger terminal shows more
 * of each. Its keys pause, slow, speed up, detach from or stop the scan;
 * they go to the engine over its control socket and come back as
 * records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output-escape.h"
#include "port-spec.h"
#include "tui.h"
#include "xmalloc.h"

/* Rows of the summary at the top. */
#define LIVE_TOP	5

struct screen_live {
	struct tui_list	log;
	bool		follow;		/* keep the newest line in view */
	int		log_rows;	/* as last drawn, for paging */
	const struct results_host **hosts;	/* the hosts pane's order */
	size_t		nhosts;
};

/* Columns of the state meter beside the rate: "state [...] 4096/4096". */
#define SCREEN_LIVE_STATE	28

static struct screen_live *screen_live_get(struct tui *);
static void	screen_live_free(struct tui *);
static void	screen_live_draw(struct tui *, WINDOW *);
static int	screen_live_figure(WINDOW *, int, int, const char *,
		    enum tui_role, uint64_t);
static void	screen_live_summary(struct tui *, WINDOW *);
static int	screen_live_host_rank(const struct tui_scan *,
		    const struct results_host *);
static int	screen_live_host_cmp(const void *, const void *, void *);
static void	screen_live_hosts(struct tui *, WINDOW *, int, int, int, int);
static void	screen_live_ports(struct tui *, WINDOW *, int, int, int, int);
static int	screen_live_warnings(struct tui *, WINDOW *, int, int);
static void	screen_live_log(struct tui *, WINDOW *, int, int);
static bool	screen_live_key(struct tui *, int, enum tui_action);
static int	screen_live_stop(struct tui *);
static char	*screen_live_rate(char *, size_t, double);

const struct screen_ops screen_live_ops = {
	.name = "live",
	.draw = screen_live_draw,
	.key = screen_live_key,
	.free = screen_live_free,
};

static struct screen_live *
screen_live_get(struct tui *t)
{
	struct screen_live	*l = t->data[SCREEN_LIVE];

	if (l == NULL) {
		l = xcalloc(1, sizeof *l);
		l->follow = true;
		t->data[SCREEN_LIVE] = l;
	}
	return (l);
}

static void
screen_live_free(struct tui *t)
{
	struct screen_live	*l = t->data[SCREEN_LIVE];

	free(l->hosts);
	free(l);
}

/* A rate in probes/s, as short as it reads: 0.5/s, 10/s, 2.5k/s. */
static char *
screen_live_rate(char *buf, size_t len, double r)
{
	if (r >= 10000)
		snprintf(buf, len, "%.1fk/s", r / 1000);
	else if (r >= 100)
		snprintf(buf, len, "%.0f/s", r);
	else
		snprintf(buf, len, "%.2g/s", r);
	return (buf);
}

/* A label and a count in the role's colour; returns the columns used. */
static int
screen_live_figure(WINDOW *w, int y, int x, const char *label,
    enum tui_role r, uint64_t n)
{
	char	buf[32];

	tui_draw_text(w, y, x, -1, ROLE_NORMAL, label);
	tui_draw_count(buf, sizeof buf, n);
	tui_draw_text(w, y, x + (int)strlen(label), -1, r, buf);
	return ((int)(strlen(label) + strlen(buf)) + 3);
}

/* The summary: LIVE_TOP rows. */
static void
screen_live_summary(struct tui *t, WINDOW *w)
{
	const struct tui_scan		*s = t->scan;
	const struct event_progress	*p = results_progress(s->results);
	bool				 ended = tui_scan_over(s);
	bool				 per_host;
	int				 cols = getmaxx(w), x;
	char				 a[32], b[32], c[32], d[32], e[32];
	char				 line[160];
	const char			*state;
	double				 limit;
	uint64_t			 span;

	/* Progress, ETA, elapsed. */
	tui_draw_duration(e, sizeof e, tui_scan_since(s, s->now_ns));
	if (ended || s->nrates == 0 || p->eta_ms == UINT32_MAX)
		snprintf(b, sizeof b, "-");
	else
		tui_draw_duration(b, sizeof b, (uint64_t)p->eta_ms * 1000000);
	tui_draw_bar(w, 0, 1, cols - 36, tui_scan_percent(s));
	tui_draw_printf(w, 0, cols - 34, 34, ROLE_NORMAL, "%6.1f%%  ETA %-6s "
	    "elapsed %s", tui_scan_percent(s), b, e);

	/* Counts. */
	snprintf(e, sizeof e, "%s", tui_draw_count(a, sizeof a,
	    p->probes_sent));
	x = 1 + snprintf(line, sizeof line, "probes %s  replies %s  drops %s  "
	    "retries %s   ", e, tui_draw_count(b, sizeof b, p->replies),
	    tui_draw_count(c, sizeof c, p->drops),
	    tui_draw_count(d, sizeof d, p->retransmits));
	tui_draw_text(w, 1, 1, -1, ROLE_NORMAL, line);
	x += screen_live_figure(w, 1, x, "up ", ROLE_UP, p->hosts_up);
	x += screen_live_figure(w, 1, x, "down ", ROLE_DOWN, p->hosts_down);
	screen_live_figure(w, 1, x, "open ", ROLE_OPEN, p->open_ports);

	/*
	 * The rate against the limit that binds. The right third of the
	 * row is left free for other meters.
	 */
	limit = tui_scan_binding(s, &per_host);
	if (ended)
		d[0] = '\0';
	else if (limit > 0 && per_host)
		snprintf(d, sizeof d, "limit %s (%s a host)",
		    screen_live_rate(a, sizeof a, limit),
		    screen_live_rate(b, sizeof b, s->host_max_rate));
	else if (limit > 0)
		snprintf(d, sizeof d, "limit %s",
		    screen_live_rate(a, sizeof a, limit));
	else
		snprintf(d, sizeof d, "no limit");
	/* With a cap, the state entries in NAT and firewalls beside it. */
	x = p->state_max != 0 ? cols - 1 - SCREEN_LIVE_STATE : cols;
	tui_draw_printf(w, 2, 1, x - 2, ROLE_NORMAL, "rate %-7s peak %-7s %s",
	    screen_live_rate(b, sizeof b, p->rate_milli / 1000.0),
	    screen_live_rate(c, sizeof c, s->peak_rate / 1000.0), d);
	if (p->state_max != 0) {
		tui_draw_text(w, 2, x, -1, ROLE_LABEL, "state");
		tui_draw_bar(w, 2, x + 6, 10,
		    100.0 * p->state_entries / p->state_max);
		tui_draw_printf(w, 2, x + 17, SCREEN_LIVE_STATE - 17,
		    ROLE_NORMAL, "%s/%s", tui_draw_count(a, sizeof a,
		    p->state_entries), tui_draw_count(b, sizeof b,
		    p->state_max));
	}

	/* The rate over the whole scan, on a fixed scale. */
	span = tui_scan_since(s, s->now_ns);
	snprintf(c, sizeof c, " 0-%s, %s", screen_live_rate(a, sizeof a,
	    tui_scan_rate_scale(s) / 1000.0), tui_draw_duration(b, sizeof b,
	    span));
	tui_draw_text(w, 3, 1, -1, ROLE_LABEL, "history");
	tui_draw_spark(t, w, 3, 9, cols - 10 - (int)strlen(c), s->rates,
	    s->nrates, tui_scan_rate_scale(s));
	tui_draw_text(w, 3, cols - 1 - (int)strlen(c), -1, ROLE_LABEL, c);

	/* State, congestion, what is scanned. */
	if (s->interrupted)
		state = "interrupted";
	else if (ended)
		state = "ended";
	else if (s->paused)
		state = "PAUSED";
	else if (p->delay_us > 0)
		state = "backing off";
	else
		state = "steady";
	tui_draw_text(w, 4, 1, 11, s->interrupted ? ROLE_ALERT : s->paused ||
	    p->delay_us > 0 ? ROLE_WARN : ended ? ROLE_NORMAL : ROLE_UP, state);
	/* Its engine is gone: how to go on, in place of what it did. */
	if (s->interrupted) {
		tui_draw_printf(w, 4, 13, -1, ROLE_ALERT, "continue it with: "
		    "tact resume %s", t->scan_id);
		return;
	}
	tui_draw_printf(w, 4, 13, -1, ROLE_NORMAL, "cwnd %-4u delay %-7s",
	    p->cwnd, p->delay_us == 0 ? "0" : (snprintf(a, sizeof a,
	    "%.1fms", p->delay_us / 1000.0), a));
	tui_draw_printf(w, 4, 36, -1, ROLE_LABEL, "%s  profile %s%s%s",
	    s->targets != NULL ? s->targets : "",
	    s->profile != NULL ? s->profile : "?",
	    s->purpose != NULL ? "  purpose: " : "",
	    s->purpose != NULL ? s->purpose : "");
}

/* Being scanned first, then silent, then done; down last. */
static int
screen_live_host_rank(const struct tui_scan *s, const struct results_host *h)
{
	if (tui_scan_host_active(s, h))
		return (0);
	if (h->silent)
		return (1);
	if (h->state == EVENT_HOST_UP)
		return (2);
	return (3);
}

/* By rank, then the most open ports, then address. */
static int
screen_live_host_cmp(const void *a0, const void *b0, void *arg)
{
	const struct results_host *a = *(const struct results_host **)a0;
	const struct results_host *b = *(const struct results_host **)b0;
	int			   ra = screen_live_host_rank(arg, a);
	int			   rb = screen_live_host_rank(arg, b);
	unsigned		   na, nb;

	if (ra != rb)
		return (ra < rb ? -1 : 1);
	na = tui_scan_count(a, TUI_COUNT_OPEN);
	nb = tui_scan_count(b, TUI_COUNT_OPEN);
	if (na != nb)
		return (na > nb ? -1 : 1);
	return (target_addr_cmp(&a->addr, &b->addr));
}

/* The hosts pane: rows rows at y, x, width columns. */
static void
screen_live_hosts(struct tui *t, WINDOW *w, int y, int x, int width,
    int rows)
{
	struct screen_live		*l = screen_live_get(t);
	const struct tui_scan		*s = t->scan;
	const struct results_host	*h;
	size_t				 n, i, active = 0;
	int				 aw = 15, row;
	bool				 wide;
	uint64_t			 until, probes;
	char				 addr[64], rate[16], title[64];
	const char			*state;
	enum tui_role			 role;

	n = results_host_count(s->results);
	l->hosts = xreallocarray(l->hosts, n + 1, sizeof *l->hosts);
	l->nhosts = 0;
	for (i = 0; i < n; i++) {
		h = results_host(s->results, i);
		if (h->state == EVENT_HOST_UP) {
			l->hosts[l->nhosts++] = h;
			if (tui_scan_host_active(s, h))
				active++;
		}
	}
	qsort_r(l->hosts, l->nhosts, sizeof *l->hosts, screen_live_host_cmp,
	    (void *)s);
	snprintf(title, sizeof title, " hosts: %zu being scanned, %zu up ",
	    active, l->nhosts);
	tui_draw_text(w, y, x + 2, width - 3, ROLE_LABEL, title);
	for (i = 0; i < l->nhosts && (int)i < rows - 2; i++) {
		target_addr_str(&l->hosts[i]->addr, addr, sizeof addr);
		if ((int)strlen(addr) > aw)
			aw = (int)strlen(addr);
	}
	if (aw > width - 29)
		aw = width - 29;
	wide = width >= aw + 29 + 18;
	tui_draw_printf(w, y + 1, x + 1, width - 1, ROLE_LABEL, "%-*s %4s "
	    "%4s %7s %-8s %s", aw, "address", "done", "open", "rate", "state",
	    wide ? "  probes  latency" : "");
	if (l->nhosts == 0)
		tui_draw_text(w, y + 2, x + 1, width - 1, ROLE_NORMAL,
		    tui_scan_over(s) ? "no host was up" :
		    "none up yet");
	for (i = 0, row = y + 2; i < l->nhosts && row < y + rows;
	    i++, row++) {
		h = l->hosts[i];
		if (h->timedout) {
			state = "timeout";
			role = ROLE_WARN;
		} else if (h->silent) {
			state = "silent";
			role = ROLE_WARN;
		} else if (tui_scan_warned(s, &h->addr)) {
			state = "warned";
			role = ROLE_WARN;
		} else if (h->done) {
			state = "done";
			role = ROLE_NORMAL;
		} else if (tui_scan_over(s)) {
			state = "ended";
			role = ROLE_NORMAL;
		} else {
			state = "scanning";
			role = ROLE_UP;
		}
		until = h->done ? h->done_ns : h->silent ? h->silent_ns :
		    s->now_ns;
		probes = tui_scan_host_probes(h);
		if (h->up_ns != 0 && until > h->up_ns + 500000000ULL)
			screen_live_rate(rate, sizeof rate, (double)probes *
			    1e9 / (double)(until - h->up_ns));
		else
			snprintf(rate, sizeof rate, "-");
		tui_draw_printf(w, row, x + 1, width - 1, ROLE_NORMAL,
		    "%-*.*s %3u%% %4u %7s ", aw, aw,
		    target_addr_str(&h->addr, addr, sizeof addr),
		    tui_scan_host_percent(s, h), tui_scan_count(h,
		    TUI_COUNT_OPEN), rate);
		if (tui_scan_count(h, TUI_COUNT_OPEN) != 0)
			tui_draw_printf(w, row, x + aw + 7, 4, ROLE_OPEN, "%4u",
			    tui_scan_count(h, TUI_COUNT_OPEN));
		tui_draw_text(w, row, x + aw + 20, width - aw - 21, role,
		    state);
		if (wide)
			tui_draw_printf(w, row, x + aw + 29, width - aw - 30,
			    ROLE_NORMAL, "%8s %6.1fms", tui_draw_count(rate,
			    sizeof rate, probes), tui_scan_host_rtt(h) / 1000.0);
	}
}

/* The open ports pane: the newest that fit, newest last. */
static void
screen_live_ports(struct tui *t, WINDOW *w, int y, int x, int width,
    int rows)
{
	const struct tui_scan		*s = t->scan;
	const struct tui_scan_open	*o;
	const struct results_host	*h;
	const struct results_port	*p;
	struct results_port		 buf;
	const char			*svc;
	size_t				 first, i, shown;
	int				 row, aw = 15, px, bx;
	char				 addr[64], port[16], title[48];
	char				*banner;

	snprintf(title, sizeof title, " open ports: %zu found ", s->nopen);
	tui_draw_text(w, y, x + 2, width - 3, ROLE_LABEL, title);
	shown = rows > 2 ? (size_t)rows - 2 : 0;
	first = s->nopen > shown ? s->nopen - shown : 0;
	for (i = first; i < s->nopen; i++) {
		if ((o = tui_scan_open_port(s, i)) != NULL &&
		    (int)strlen(target_addr_str(&o->addr, addr,
		    sizeof addr)) > aw)
			aw = (int)strlen(addr);
	}
	px = x + 2 + aw;
	bx = px + 10 + 9;
	tui_draw_printf(w, y + 1, x + 1, width - 1, ROLE_LABEL, "%-*s %-9s "
	    "%-8s %s", aw, "address", "port", "service", "banner");
	if (s->nopen == 0)
		tui_draw_text(w, y + 2, x + 1, width - 1, ROLE_NORMAL,
		    "none yet");
	for (i = first, row = y + 2; i < s->nopen && row < y + rows;
	    i++, row++) {
		if ((o = tui_scan_open_port(s, i)) == NULL)
			continue;
		snprintf(port, sizeof port, "%u/%s", o->port,
		    o->proto == PORT_UDP ? "udp" : "tcp");
		svc = port_spec_service(o->port, o->proto);
		tui_draw_printf(w, row, x + 1, width - 1, ROLE_NORMAL,
		    "%-*s %-9s %-8.8s", aw, target_addr_str(&o->addr, addr,
		    sizeof addr), port, svc != NULL ? svc : "-");
		tui_draw_text(w, row, px, 9, ROLE_OPEN, port);
		if (bx >= x + width - 1 ||
		    (h = results_host_find(s->results, &o->addr)) == NULL ||
		    (p = results_port_find(h, o->port, o->proto,
		    &buf)) == NULL ||
		    p->banner == NULL)
			continue;
		banner = output_escape_text(p->banner, p->banner_len);
		tui_draw_text(w, row, bx, x + width - bx, ROLE_NORMAL, banner);
		free(banner);
	}
}

/* The warnings, newest last, at most max; returns the rows used. */
static int
screen_live_warnings(struct tui *t, WINDOW *w, int y, int max)
{
	const struct tui_scan	*s = t->scan;
	size_t			 i, n = s->nwarn;

	if (n == 0 || max < 2)
		return (0);
	if (n > (size_t)max - 1)
		n = (size_t)max - 1;
	tui_draw_hline(t, w, y, 0, getmaxx(w));
	tui_draw_text(w, y, 2, -1, ROLE_WARN, " warnings ");
	for (i = s->nwarn - n; i < s->nwarn; i++)
		tui_draw_printf(w, ++y, 1, -1, ROLE_WARN, "! %s", s->warn[i]);
	return ((int)n + 1);
}

/* The event log from row y to the bottom. */
static void
screen_live_log(struct tui *t, WINDOW *w, int y, int rows)
{
	struct screen_live	*l = screen_live_get(t);
	const struct tui_scan	*s = t->scan;
	size_t			 first, n, i;
	const char		*line;

	tui_draw_hline(t, w, y, 0, getmaxx(w));
	tui_draw_text(w, y++, 2, -1, ROLE_LABEL, " events ");
	rows--;
	l->log_rows = rows;
	first = s->nlog > TUI_SCAN_LOG ? s->nlog - TUI_SCAN_LOG : 0;
	n = s->nlog - first;
	if (l->follow)
		l->log.cur = n > 0 ? n - 1 : 0;
	tui_draw_list_fit(&l->log, n, rows);
	tui_draw_scroll(w, y - 1, l->log.top, (size_t)rows, n);
	for (i = l->log.top; i < n && rows > 0; i++, y++, rows--) {
		if ((line = tui_scan_log_line(s, first + i)) == NULL)
			continue;
		tui_draw_text(w, y, 1, -1, line[10] == '!' ? ROLE_WARN :
		    ROLE_NORMAL, line);
	}
}

/*
 * Below the summary: the hosts and open ports side by side, then the
 * warnings, then the events, each growing with the terminal; the events
 * take the rows the hosts and ports do not need.
 */
static void
screen_live_draw(struct tui *t, WINDOW *w)
{
	int	rows = getmaxy(w), cols = getmaxx(w), left, panes, y, r;
	size_t	need;

	if (t->scan == NULL) {
		tui_draw_text(w, 1, 1, -1, ROLE_NORMAL, "no scan");
		return;
	}
	screen_live_summary(t, w);
	y = LIVE_TOP;
	r = rows - y;
	/* Half of what is left, or what the hosts and ports need. */
	need = results_hosts_up(t->scan->results);
	if (t->scan->nopen > need)
		need = t->scan->nopen;
	panes = r / 2;
	if (need + 3 < (size_t)panes)
		panes = (int)need + 3;
	tui_draw_hline(t, w, y, 0, cols);
	left = cols * 11 / 20;
	if (!t->ascii)
		mvwaddch(w, y, left, ACS_TTEE);
	else
		mvwaddch(w, y, left, '+');
	mvwvline(w, y + 1, left, t->ascii ? '|' : ACS_VLINE, panes - 1);
	screen_live_hosts(t, w, y, 0, left, panes);
	screen_live_ports(t, w, y, left, cols - left, panes);
	y += panes;
	r -= panes;
	y += screen_live_warnings(t, w, y, r / 3 > 2 ? r / 3 : 2);
	screen_live_log(t, w, y, rows - y);
}

static int
screen_live_stop(struct tui *t)
{
	if (tui_control(t, EVENT_CONTROL_STOP) == 0)
		tui_message(t, false, "stopping the scan");
	return (0);
}

static bool
screen_live_key(struct tui *t, int key, enum tui_action a)
{
	struct screen_live	*l = screen_live_get(t);
	size_t			 n;
	bool			 per_host;
	double			 limit, own;
	char			 r[16], h[16];

	if (t->scan == NULL)
		return (false);
	n = t->scan->nlog > TUI_SCAN_LOG ? TUI_SCAN_LOG : t->scan->nlog;
	limit = tui_scan_binding(t->scan, &per_host);
	switch (a) {
	case ACTION_PAUSE:
		if (tui_control(t, t->scan->paused ? EVENT_CONTROL_RESUME :
		    EVENT_CONTROL_PAUSE) == 0)
			tui_message(t, false, "asked the scan to %s",
			    t->scan->paused ? "resume" : "pause");
		return (true);
	case ACTION_SLOWER:
		if (tui_control(t, EVENT_CONTROL_SLOWER) == 0)
			tui_message(t, false, "asked the scan to slow down "
			    "from %s", limit > 0 ? screen_live_rate(r,
			    sizeof r, limit) : "its rate now");
		return (true);
	case ACTION_FASTER:
		own = t->scan->rate_limit > 0 ? t->scan->rate_limit :
		    t->scan->max_rate;
		if (per_host && (own == 0 || own >= limit))
			tui_message(t, false, "the per-host cap binds: %s a "
			    "host is the profile's most",
			    screen_live_rate(h, sizeof h,
			    t->scan->host_max_rate));
		else if (tui_control(t, EVENT_CONTROL_FASTER) == 0)
			tui_message(t, false, "asked the scan to speed up "
			    "from %s", limit > 0 ? screen_live_rate(r,
			    sizeof r, limit) : "its rate now");
		return (true);
	case ACTION_STOP:
		tui_ask(t, screen_live_stop, "stop the scan? Its results so "
		    "far are kept");
		return (true);
	default:
		if (!tui_draw_list_key(&l->log, n, l->log_rows, a))
			return (false);
		l->follow = l->log.cur + 1 >= n;
		return (true);
	}
}
