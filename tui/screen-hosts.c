/*
 * The hosts of the watched scan: address, state, open/closed/filtered
 * counts and latency, sorted by a choice of column and filtered as the
 * user types. The list is rebuilt only when a record changed the scan or
 * the user changed the filter or the order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"
#include "xmalloc.h"

enum screen_hosts_sort {
	SORT_ADDRESS,
	SORT_OPEN,
	SORT_LATENCY,
	SORT_STATE,
	SORT_MAX
};

static const char *screen_hosts_sorts[SORT_MAX] = {
	[SORT_ADDRESS] = "address",
	[SORT_OPEN] = "open ports",
	[SORT_LATENCY] = "latency",
	[SORT_STATE] = "state",
};

struct screen_hosts {
	const struct results_host **v;		/* shown, in order */
	size_t			  n;
	uint64_t		  changes;	/* of the scan when built */
	uint64_t		  attaches;	/* of the dashboard then */
	bool			  stale;
	struct tui_list		  list;
	enum screen_hosts_sort	  sort;
	bool			  editing;	/* typing into the filter */
	char			  filter[256];
	struct tui_filter	 *f;
	char			 *error;	/* why the filter is bad */
};

static struct screen_hosts *screen_hosts_get(struct tui *);
static int	screen_hosts_cmp(const void *, const void *, void *);
static void	screen_hosts_build(struct tui *, struct screen_hosts *);
static void	screen_hosts_refilter(struct screen_hosts *);
static void	screen_hosts_free(struct tui *);
static void	screen_hosts_draw(struct tui *, WINDOW *);
static bool	screen_hosts_edit(struct screen_hosts *, int);
static bool	screen_hosts_key(struct tui *, int, enum tui_action);
static bool	screen_hosts_editing(struct tui *);

const struct screen_ops screen_hosts_ops = {
	.name = "hosts",
	.draw = screen_hosts_draw,
	.key = screen_hosts_key,
	.editing = screen_hosts_editing,
	.free = screen_hosts_free,
};

static struct screen_hosts *
screen_hosts_get(struct tui *t)
{
	struct screen_hosts	*h = t->data[SCREEN_HOSTS];

	if (h == NULL) {
		h = xcalloc(1, sizeof *h);
		h->stale = true;
		t->data[SCREEN_HOSTS] = h;
	}
	return (h);
}

static void
screen_hosts_free(struct tui *t)
{
	struct screen_hosts	*h = t->data[SCREEN_HOSTS];

	free(h->v);
	tui_filter_free(h->f);
	free(h->error);
	free(h);
}

static int
screen_hosts_cmp(const void *a0, const void *b0, void *arg)
{
	const struct results_host *a = *(const struct results_host **)a0;
	const struct results_host *b = *(const struct results_host **)b0;
	enum screen_hosts_sort	 sort = *(enum screen_hosts_sort *)arg;
	unsigned		 na, nb;
	uint8_t			 sa, sb;

	switch (sort) {
	case SORT_OPEN:
		na = tui_scan_count(a, TUI_COUNT_OPEN);
		nb = tui_scan_count(b, TUI_COUNT_OPEN);
		if (na != nb)
			return (na > nb ? -1 : 1);
		break;
	case SORT_LATENCY:
		na = tui_scan_host_rtt(a);
		nb = tui_scan_host_rtt(b);
		if (na != nb)
			return (na < nb ? -1 : 1);
		break;
	case SORT_STATE:
		sa = tui_scan_host_state(a);
		sb = tui_scan_host_state(b);
		if (sa != sb)
			return (sa < sb ? -1 : 1);
		break;
	default:
		break;
	}
	return (target_addr_cmp(&a->addr, &b->addr));
}

static void
screen_hosts_build(struct tui *t, struct screen_hosts *h)
{
	const struct tui_scan		*s = t->scan;
	const struct results_host	*host;
	size_t				 i, n;

	n = results_host_count(s->results);
	h->v = xreallocarray(h->v, n + 1, sizeof *h->v);
	h->n = 0;
	for (i = 0; i < n; i++) {
		host = results_host(s->results, i);
		if (tui_filter_match(h->f, host))
			h->v[h->n++] = host;
	}
	/* The store keeps hosts in address order already. */
	if (h->sort != SORT_ADDRESS)
		qsort_r(h->v, h->n, sizeof *h->v, screen_hosts_cmp, &h->sort);
	h->changes = s->changes;
	h->attaches = t->attaches;
	h->stale = false;
}

static void
screen_hosts_refilter(struct screen_hosts *h)
{
	struct tui_filter	*f;
	char			*cause;

	free(h->error);
	h->error = NULL;
	if ((f = tui_filter_parse(h->filter, &cause)) == NULL) {
		h->error = cause;
		return;
	}
	tui_filter_free(h->f);
	h->f = f;
	h->stale = true;
	h->list.cur = h->list.top = 0;
}

static void
screen_hosts_draw(struct tui *t, WINDOW *w)
{
	struct screen_hosts		*h = screen_hosts_get(t);
	const struct results_host	*host;
	int				 rows = getmaxy(w) - 2, y, aw;
	size_t				 i, total;
	unsigned			 nopen;
	char				 rtt[16], addr[64];
	const char			*state;
	uint8_t				 st;

	if (t->scan == NULL) {
		tui_draw_text(w, 1, 1, -1, ROLE_NORMAL, "no scan");
		return;
	}
	if (h->stale || h->changes != t->scan->changes ||
	    h->attaches != t->attaches)
		screen_hosts_build(t, h);
	total = results_host_count(t->scan->results);
	tui_draw_printf(w, 0, 1, 8, h->editing ? ROLE_SELECTED : ROLE_LABEL,
	    "filter");
	tui_draw_printf(w, 0, 9, 40, h->error != NULL ? ROLE_INVALID :
	    ROLE_NORMAL, "%s%s", h->filter, h->editing ? "_" : "");
	if (h->error != NULL)
		tui_draw_printf(w, 0, 50, -1, ROLE_INVALID, "! %s", h->error);
	else
		tui_draw_printf(w, 0, 50, -1, ROLE_LABEL, "%zu of %zu, by %s",
		    h->n, total, screen_hosts_sorts[h->sort]);
	tui_draw_list_fit(&h->list, h->n, rows);
	/* The address column fits the rows shown. */
	for (i = h->list.top, aw = 15; i < h->n && i < h->list.top +
	    (size_t)rows; i++) {
		target_addr_str(&h->v[i]->addr, addr, sizeof addr);
		if ((int)strlen(addr) > aw)
			aw = (int)strlen(addr);
	}
	tui_draw_printf(w, 1, 0, -1, ROLE_LABEL, " %-*s %-7s %6s %7s %8s "
	    "%9s", aw, "address", "state", "open", "closed", "filtered",
	    "latency");
	for (y = 2, i = h->list.top; i < h->n && y < rows + 2; i++, y++) {
		host = h->v[i];
		if (tui_scan_host_rtt(host) != 0)
			snprintf(rtt, sizeof rtt, "%.1f ms",
			    tui_scan_host_rtt(host) / 1000.0);
		else
			snprintf(rtt, sizeof rtt, "-");
		st = tui_scan_host_state(host);
		state = st != 0 ? event_host_state_name(st) : "?";
		nopen = tui_scan_count(host, TUI_COUNT_OPEN);
		tui_draw_printf(w, y, 0, -1, i == h->list.cur ? ROLE_SELECTED :
		    ROLE_NORMAL, " %-*s %-7s %6u %7u %8u %9s", aw,
		    target_addr_str(&host->addr, addr, sizeof addr), state,
		    nopen, tui_scan_count(host, TUI_COUNT_CLOSED),
		    tui_scan_count(host, TUI_COUNT_FILTERED), rtt);
		if (i == h->list.cur)
			continue;
		tui_draw_printf(w, y, aw + 2, 7, tui_colour_host(st), "%-7s",
		    state);
		if (nopen != 0)
			tui_draw_printf(w, y, aw + 10, 6, ROLE_OPEN, "%6u",
			    nopen);
	}
	if (h->n == 0)
		tui_draw_text(w, 2, 1, -1, ROLE_NORMAL, total == 0 ?
		    "no hosts found yet" : "no host matches the filter");
}

static bool
screen_hosts_editing(struct tui *t)
{
	return (screen_hosts_get(t)->editing);
}

/* Typing into the filter; false for keys that are not editing. */
static bool
screen_hosts_edit(struct screen_hosts *h, int key)
{
	size_t	len = strlen(h->filter);

	if (key == '\n' || key == '\r' || key == KEY_ENTER || key == 27) {
		h->editing = false;
		return (true);
	}
	if (key == KEY_BACKSPACE || key == 127 || key == 8) {
		if (len > 0)
			h->filter[len - 1] = '\0';
	} else if (key == 21)	/* ^U */
		h->filter[0] = '\0';
	else if (key >= 0x20 && key < 0x7f && len + 1 < sizeof h->filter) {
		h->filter[len] = (char)key;
		h->filter[len + 1] = '\0';
	} else
		return (false);
	screen_hosts_refilter(h);
	return (true);
}

static bool
screen_hosts_key(struct tui *t, int key, enum tui_action a)
{
	struct screen_hosts	*h = screen_hosts_get(t);

	if (t->scan == NULL)
		return (false);
	if (h->editing && screen_hosts_edit(h, key))
		return (true);
	switch (a) {
	case ACTION_FILTER:
		h->editing = true;
		return (true);
	case ACTION_SORT:
		h->sort = (h->sort + 1) % SORT_MAX;
		h->stale = true;
		return (true);
	case ACTION_OPEN:
		if (h->stale || h->changes != t->scan->changes ||
		    h->attaches != t->attaches)
			screen_hosts_build(t, h);
		if (h->list.cur < h->n) {
			t->host = h->v[h->list.cur];
			tui_go(t, SCREEN_HOST);
		}
		return (true);
	default:
		return (tui_draw_list_key(&h->list, h->n,
		    getmaxy(t->body) - 2, a));
	}
}
