/*
 * The live dashboard of one scan: progress and ETA, what has been sent
 * and heard, the rate now and as a sparkline (and the state entries in
 * NAT and firewalls against their cap), hosts and open ports found,
 * the congestion and backoff state, warnings and a scrolling event log.
 * Its keys pause, slow, speed up, detach from or stop the scan; they go
 * to the engine over its control socket and come back as records.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tui.h"
#include "xmalloc.h"

struct screen_live {
	struct tui_list	log;
	bool		follow;		/* keep the newest line in view */
};

/* Columns of the state meter beside the rate: "state [...] 4096/4096". */
#define SCREEN_LIVE_STATE	28

static struct screen_live *screen_live_get(struct tui *);
static void	screen_live_free(struct tui *);
static void	screen_live_draw(struct tui *, WINDOW *);
static int	screen_live_summary(struct tui *, WINDOW *);
static void	screen_live_log(struct tui *, WINDOW *, int);
static bool	screen_live_key(struct tui *, int, enum tui_action);
static int	screen_live_stop(struct tui *);

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
	free(t->data[SCREEN_LIVE]);
}

/* The figures at the top; returns the first free row. */
static int
screen_live_summary(struct tui *t, WINDOW *w)
{
	const struct tui_scan		*s = t->scan;
	const struct event_progress	*p = results_progress(s->results);
	bool				 ended = results_scan(s->results)->ended;
	int				 cols = getmaxx(w), y = 0, x;
	char				 a[32], b[32], c[32], d[32], e[32];
	const char			*state;
	size_t				 i;

	tui_draw_bar(w, y, 1, cols - 34, tui_scan_percent(s));
	if (ended || s->nrates == 0 || p->eta_ms == UINT32_MAX)
		snprintf(b, sizeof b, "-");
	else
		tui_draw_duration(b, sizeof b, (uint64_t)p->eta_ms * 1000000);
	tui_draw_printf(w, y++, cols - 32, 32, ROLE_NORMAL, "%6.1f%%  ETA %s",
	    tui_scan_percent(s), b);

	tui_draw_printf(w, y++, 1, -1, ROLE_NORMAL, "probes %s   replies %s"
	    "   drops %s   retries %s   elapsed %s",
	    tui_draw_count(a, sizeof a, p->probes_sent),
	    tui_draw_count(b, sizeof b, p->replies),
	    tui_draw_count(c, sizeof c, p->drops),
	    tui_draw_count(d, sizeof d, p->retransmits),
	    tui_draw_duration(e, sizeof e, tui_scan_since(s, s->now_ns)));

	tui_draw_printf(w, y, 1, -1, ROLE_NORMAL, "rate %7.1f/s  peak %.1f/s"
	    "  ", p->rate_milli / 1000.0, s->peak_rate / 1000.0);
	if (p->state_max == 0)
		tui_draw_spark(w, y++, 34, cols - 36, s->rates, s->nrates);
	else {
		/* The state entries in NAT and firewalls, against the cap. */
		tui_draw_spark(w, y, 34, cols - 36 - SCREEN_LIVE_STATE,
		    s->rates, s->nrates);
		x = cols - 1 - SCREEN_LIVE_STATE;
		tui_draw_text(w, y, x, -1, ROLE_LABEL, "state");
		tui_draw_bar(w, y, x + 6, 10,
		    100.0 * p->state_entries / p->state_max);
		tui_draw_printf(w, y++, x + 17, SCREEN_LIVE_STATE - 17,
		    ROLE_NORMAL, "%s/%s", tui_draw_count(a, sizeof a,
		    p->state_entries), tui_draw_count(b, sizeof b,
		    p->state_max));
	}

	if (ended)
		state = "ended";
	else if (s->paused)
		state = "PAUSED";
	else if (p->delay_us > 0)
		state = "backing off";
	else
		state = "steady";
	tui_draw_printf(w, y, 1, -1, ROLE_NORMAL, "congestion window %u   "
	    "scan delay %.1f ms   ", p->cwnd, p->delay_us / 1000.0);
	tui_draw_text(w, y, 54, -1, s->paused || p->delay_us > 0 ? ROLE_WARN :
	    ROLE_UP, state);
	if (s->rate_limit > 0)
		tui_draw_printf(w, y, 66, -1, ROLE_NORMAL, "limit %g/s",
		    s->rate_limit);
	y++;

	tui_draw_printf(w, y, 1, -1, ROLE_NORMAL, "hosts up ");
	tui_draw_printf(w, y, 10, 8, ROLE_UP, "%llu",
	    (unsigned long long)p->hosts_up);
	tui_draw_printf(w, y, 18, -1, ROLE_NORMAL, "down ");
	tui_draw_printf(w, y, 23, 8, ROLE_DOWN, "%llu",
	    (unsigned long long)p->hosts_down);
	tui_draw_printf(w, y, 31, -1, ROLE_NORMAL, "open ports ");
	tui_draw_printf(w, y++, 42, -1, ROLE_OPEN, "%llu",
	    (unsigned long long)p->open_ports);

	tui_draw_printf(w, y++, 1, -1, ROLE_LABEL, "%s  profile %s%s%s",
	    s->targets != NULL ? s->targets : "",
	    s->profile != NULL ? s->profile : "?",
	    s->purpose != NULL ? "  purpose: " : "",
	    s->purpose != NULL ? s->purpose : "");

	tui_draw_hline(t, w, y, 0, cols);
	tui_draw_text(w, y++, 2, -1, ROLE_LABEL, " warnings ");
	if (s->nwarn == 0)
		tui_draw_text(w, y++, 1, -1, ROLE_NORMAL, "none");
	for (i = s->nwarn > 2 ? s->nwarn - 2 : 0; i < s->nwarn; i++)
		tui_draw_printf(w, y++, 1, -1, ROLE_WARN, "! %s", s->warn[i]);
	tui_draw_hline(t, w, y, 0, cols);
	tui_draw_text(w, y++, 2, -1, ROLE_LABEL, " events ");
	return (y);
}

static void
screen_live_log(struct tui *t, WINDOW *w, int y)
{
	struct screen_live	*l = screen_live_get(t);
	const struct tui_scan	*s = t->scan;
	size_t			 first, n, i;
	int			 rows = getmaxy(w) - y;
	const char		*line;

	first = s->nlog > TUI_SCAN_LOG ? s->nlog - TUI_SCAN_LOG : 0;
	n = s->nlog - first;
	if (l->follow)
		l->log.cur = n > 0 ? n - 1 : 0;
	tui_draw_list_fit(&l->log, n, rows);
	for (i = l->log.top; i < n && y < getmaxy(w); i++, y++) {
		if ((line = tui_scan_log_line(s, first + i)) == NULL)
			continue;
		tui_draw_text(w, y, 1, -1, line[10] == '!' ? ROLE_WARN :
		    ROLE_NORMAL, line);
	}
}

static void
screen_live_draw(struct tui *t, WINDOW *w)
{
	if (t->scan == NULL) {
		tui_draw_text(w, 1, 1, -1, ROLE_NORMAL, "no scan");
		return;
	}
	screen_live_log(t, w, screen_live_summary(t, w));
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

	if (t->scan == NULL)
		return (false);
	n = t->scan->nlog > TUI_SCAN_LOG ? TUI_SCAN_LOG : t->scan->nlog;
	switch (a) {
	case ACTION_PAUSE:
		if (tui_control(t, t->scan->paused ? EVENT_CONTROL_RESUME :
		    EVENT_CONTROL_PAUSE) == 0)
			tui_message(t, false, "asked the scan to %s",
			    t->scan->paused ? "resume" : "pause");
		return (true);
	case ACTION_SLOWER:
		if (tui_control(t, EVENT_CONTROL_SLOWER) == 0)
			tui_message(t, false, "asked the scan to slow down");
		return (true);
	case ACTION_FASTER:
		if (tui_control(t, EVENT_CONTROL_FASTER) == 0)
			tui_message(t, false, "asked the scan to speed up");
		return (true);
	case ACTION_STOP:
		if (results_scan(t->scan->results)->ended)
			tui_message(t, false, "the scan has ended");
		else
			tui_ask(t, screen_live_stop, "stop the scan? Its "
			    "results so far are kept");
		return (true);
	default:
		if (!tui_draw_list_key(&l->log, n, getmaxy(t->body) / 2, a))
			return (false);
		l->follow = l->log.cur + 1 >= n;
		return (true);
	}
}
