/*
 * The help screen, generated from the key table: the keys of the screen
 * it was opened on first, then the keys every screen shares (listed once,
 * not in each section), then those of every other screen. It pages by
 * the page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"
#include "xmalloc.h"

struct screen_help {
	char		**lines;
	size_t		  n;
	size_t		  top;
};

static const char *screen_help_names[SCREEN_MAX] = {
	[SCREEN_BUILDER] = "scan builder",
	[SCREEN_LIVE] = "live dashboard",
	[SCREEN_HOSTS] = "hosts",
	[SCREEN_HOST] = "host detail",
	[SCREEN_SCANS] = "scans",
	[SCREEN_HELP] = "help",
};

static void	screen_help_add(struct screen_help *, const char *);
static bool	screen_help_has(const struct tui_key *, int);
static void	screen_help_section(struct screen_help *, int);
static void	screen_help_free(struct screen_help *);
static void	screen_help_enter(struct tui *);
static void	screen_help_leave(struct tui *);
static void	screen_help_draw(struct tui *, WINDOW *);
static bool	screen_help_key(struct tui *, int, enum tui_action);

const struct screen_ops screen_help_ops = {
	.name = "help",
	.enter = screen_help_enter,
	.leave = screen_help_leave,
	.draw = screen_help_draw,
	.key = screen_help_key,
	.free = screen_help_leave,
};

static void
screen_help_add(struct screen_help *h, const char *line)
{
	h->lines = xreallocarray(h->lines, h->n + 1, sizeof *h->lines);
	h->lines[h->n++] = xstrdup(line);
}

/* Whether a binding belongs to section s (-1: every screen's). */
static bool
screen_help_has(const struct tui_key *k, int s)
{
	if (s == -1)
		return (k->screens == SCREEN_ALL);
	return (k->screens != SCREEN_ALL && (k->screens & SCREEN_BIT(s)));
}

/* One line per binding of section s: its keys, then what it does. */
static void
screen_help_section(struct screen_help *h, int s)
{
	const struct tui_key	*k;
	size_t			 n, i, j, len;
	char			 names[32], line[160];

	if (s == -1)
		snprintf(line, sizeof line, "On every screen:");
	else
		snprintf(line, sizeof line, "On the %s screen:",
		    screen_help_names[s]);
	screen_help_add(h, line);
	k = tui_keys_table(&n);
	for (i = 0; i < n; i++) {
		if (k[i].help == NULL || !screen_help_has(&k[i], s))
			continue;
		len = (size_t)snprintf(names, sizeof names, "%s", k[i].name);
		for (j = i + 1; j < n && k[j].help == NULL; j++) {
			if (!screen_help_has(&k[j], s) ||
			    strstr(names, k[j].name) != NULL ||
			    len >= sizeof names)
				continue;
			len += (size_t)snprintf(names + len, sizeof names - len,
			    ", %s", k[j].name);
		}
		snprintf(line, sizeof line, "  %-16s %s", names, k[i].help);
		screen_help_add(h, line);
	}
	screen_help_add(h, "");
}

static void
screen_help_free(struct screen_help *h)
{
	size_t	i;

	for (i = 0; i < h->n; i++)
		free(h->lines[i]);
	free(h->lines);
	free(h);
}

static void
screen_help_enter(struct tui *t)
{
	struct screen_help	*h;
	int			 s;

	h = xcalloc(1, sizeof *h);
	screen_help_section(h, t->help_for);
	screen_help_section(h, -1);
	for (s = 0; s < SCREEN_MAX; s++) {
		if (s != (int)t->help_for && s != SCREEN_HELP)
			screen_help_section(h, s);
	}
	t->data[SCREEN_HELP] = h;
}

static void
screen_help_leave(struct tui *t)
{
	screen_help_free(t->data[SCREEN_HELP]);
	t->data[SCREEN_HELP] = NULL;
}

static void
screen_help_draw(struct tui *t, WINDOW *w)
{
	struct screen_help	*h = t->data[SCREEN_HELP];
	int			 rows = getmaxy(w), y;
	size_t			 i;

	for (y = 0, i = h->top; y < rows && i < h->n; y++, i++) {
		tui_draw_text(w, y, 1, -1, h->lines[i][0] == ' ' ?
		    ROLE_NORMAL : ROLE_LABEL, h->lines[i]);
	}
	tui_draw_scroll(w, 0, h->top, (size_t)rows, h->n);
}

/* Scroll: a line with Up and Down, a page with PgUp, PgDn and Space. */
static bool
screen_help_key(struct tui *t, int key, enum tui_action a)
{
	struct screen_help	*h = t->data[SCREEN_HELP];
	size_t			 rows = (size_t)getmaxy(t->body);
	size_t			 last = h->n > rows ? h->n - rows : 0;
	size_t			 page = rows > 1 ? rows - 1 : 1;

	switch (a) {
	case ACTION_HELP:
		tui_back(t);
		return (true);
	case ACTION_UP:
		h->top = h->top > 0 ? h->top - 1 : 0;
		return (true);
	case ACTION_DOWN:
		h->top = h->top < last ? h->top + 1 : last;
		return (true);
	case ACTION_PAGE_UP:
		h->top = h->top > page ? h->top - page : 0;
		return (true);
	case ACTION_PAGE_DOWN:
		h->top = h->top + page < last ? h->top + page : last;
		return (true);
	case ACTION_HOME:
		h->top = 0;
		return (true);
	case ACTION_END:
		h->top = last;
		return (true);
	default:
		return (false);
	}
}
