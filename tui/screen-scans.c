/*
 * The scans on this machine, as `tact list` knows them (from each scan's
 * directory and journal): open one to watch it if it runs, or to explore
 * it if it has ended. The list is read again every few seconds. What a
 * journal says (profile, targets, why it cannot be read) is escaped and
 * cut before it is drawn.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output-escape.h"
#include "scan-dir.h"
#include "tui.h"
#include "xmalloc.h"

/* Read the list again this often, in ticks of TUI_FRAME_MS. */
#define SCREEN_SCANS_TICKS	8

/* The most of a journal's string a row shows (it is escaped first). */
#define SCREEN_SCANS_TEXT	200

struct screen_scans_row {
	char			 id[SCAN_ID_LEN + 1];
	struct scan_dir_summary	 sum;
	char			*error;		/* its journal is unreadable */
};

struct screen_scans {
	struct screen_scans_row	*v;
	size_t			 n;
	struct tui_list		 list;
	unsigned		 ticks;
	char			*error;		/* listing failed */
};

static struct screen_scans *screen_scans_get(struct tui *);
static void	screen_scans_clear(struct screen_scans *);
static void	screen_scans_read(struct tui *, struct screen_scans *);
static void	screen_scans_enter(struct tui *);
static void	screen_scans_tick(struct tui *);
static void	screen_scans_free(struct tui *);
static void	screen_scans_draw(struct tui *, WINDOW *);
static char	*screen_scans_text(const char *);
static bool	screen_scans_key(struct tui *, int, enum tui_action);

const struct screen_ops screen_scans_ops = {
	.name = "scans",
	.enter = screen_scans_enter,
	.draw = screen_scans_draw,
	.key = screen_scans_key,
	.tick = screen_scans_tick,
	.free = screen_scans_free,
};

static struct screen_scans *
screen_scans_get(struct tui *t)
{
	if (t->data[SCREEN_SCANS] == NULL)
		t->data[SCREEN_SCANS] = xcalloc(1, sizeof (struct screen_scans));
	return (t->data[SCREEN_SCANS]);
}

static void
screen_scans_clear(struct screen_scans *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		scan_dir_summary_free(&l->v[i].sum);
		free(l->v[i].error);
	}
	free(l->v);
	free(l->error);
	l->v = NULL;
	l->n = 0;
	l->error = NULL;
}

/* Every scan, newest first. */
static void
screen_scans_read(struct tui *t, struct screen_scans *l)
{
	struct scan_dir	 *d;
	char		**ids, *cause;
	size_t		  n, i;

	screen_scans_clear(l);
	if (scan_dir_list(&t->base, &ids, &n, &cause) != 0) {
		l->error = cause;
		return;
	}
	l->v = xcalloc(n + 1, sizeof *l->v);
	for (i = 0; i < n; i++) {
		struct screen_scans_row	*r = &l->v[l->n++];

		snprintf(r->id, sizeof r->id, "%s", ids[n - 1 - i]);
		if ((d = scan_dir_open(&t->base, r->id, &cause)) == NULL ||
		    scan_dir_summary(d, &r->sum, &cause) != 0) {
			memset(&r->sum, 0, sizeof r->sum);
			r->error = cause;
		}
		scan_dir_free(d);
	}
	scan_dir_list_free(ids, n);
	tui_draw_list_fit(&l->list, l->n, 1);
	t->dirty = true;
}

static void
screen_scans_free(struct tui *t)
{
	screen_scans_clear(t->data[SCREEN_SCANS]);
	free(t->data[SCREEN_SCANS]);
}

static void
screen_scans_enter(struct tui *t)
{
	struct screen_scans	*l = screen_scans_get(t);

	screen_scans_read(t, l);
	l->ticks = 0;
}

static void
screen_scans_tick(struct tui *t)
{
	struct screen_scans	*l = screen_scans_get(t);

	if (++l->ticks >= SCREEN_SCANS_TICKS) {
		l->ticks = 0;
		screen_scans_read(t, l);
	}
}

/* A journal's string, escaped and cut; "?" for none. */
static char *
screen_scans_text(const char *v)
{
	if (v == NULL)
		return (xstrdup("?"));
	return (output_escape_cut(v, strlen(v), SCREEN_SCANS_TEXT));
}

static void
screen_scans_draw(struct tui *t, WINDOW *w)
{
	struct screen_scans		*l = screen_scans_get(t);
	const struct screen_scans_row	*r;
	char				 started[32], pct[16], *e, *p, *g;
	struct tm			 tm;
	time_t				 when;
	size_t				 i;
	int				 y;

	tui_draw_printf(w, 0, 0, -1, ROLE_LABEL, " %-20s %-11s %5s %5s %5s "
	    "%-11s %s", "id", "state", "done", "up", "open", "started",
	    "profile, targets");
	if (l->error != NULL) {
		e = screen_scans_text(l->error);
		tui_draw_text(w, 1, 1, -1, ROLE_ALERT, e);
		free(e);
		return;
	}
	if (l->n == 0)
		tui_draw_text(w, 1, 1, -1, ROLE_NORMAL, "no scans yet: n "
		    "builds one");
	tui_draw_list_fit(&l->list, l->n, getmaxy(w) - 1);
	for (i = l->list.top, y = 1; i < l->n && y < getmaxy(w); i++, y++) {
		r = &l->v[i];
		if (r->error != NULL) {
			e = screen_scans_text(r->error);
			tui_draw_printf(w, y, 0, -1, i == l->list.cur ?
			    ROLE_SELECTED : ROLE_ALERT, " %-20s %s", r->id, e);
			free(e);
			continue;
		}
		when = (time_t)r->sum.wall_start;
		if (when != 0 && gmtime_r(&when, &tm) != NULL)
			strftime(started, sizeof started, "%m-%d %H:%M",
			    &tm);
		else
			snprintf(started, sizeof started, "-");
		if (r->sum.pairs_total != 0)
			snprintf(pct, sizeof pct, "%.0f%%", 100.0 *
			    r->sum.pairs_done / r->sum.pairs_total);
		else
			snprintf(pct, sizeof pct, "-");
		p = screen_scans_text(r->sum.profile);
		g = screen_scans_text(r->sum.targets);
		tui_draw_printf(w, y, 0, -1, i == l->list.cur ?
		    ROLE_SELECTED : ROLE_NORMAL, " %-20s %-11s %5s %5llu %5llu "
		    "%-11s %s %s", r->id, scan_dir_state_name(r->sum.state),
		    pct, (unsigned long long)r->sum.hosts_up,
		    (unsigned long long)r->sum.open_ports, started, p, g);
		free(p);
		free(g);
	}
}

static bool
screen_scans_key(struct tui *t, int key, enum tui_action a)
{
	struct screen_scans	*l = screen_scans_get(t);
	char			*cause, *e;

	switch (a) {
	case ACTION_REFRESH:
		screen_scans_read(t, l);
		return (true);
	case ACTION_OPEN:
		if (l->list.cur >= l->n)
			return (true);
		if (tui_attach(t, l->v[l->list.cur].id, &cause) != 0) {
			e = screen_scans_text(cause);
			tui_message(t, true, "%s", e);
			free(e);
			free(cause);
			return (true);
		}
		tui_go(t, SCREEN_LIVE);
		return (true);
	default:
		return (tui_draw_list_key(&l->list, l->n, getmaxy(t->body) - 1,
		    a));
	}
}
