/*
 * Drawing helpers shared by the screens: clipped and wrapped text,
 * borders that fall back to ASCII, the progress bar, the rate sparkline
 * (block elements, or ASCII where borders are ASCII), a list's scroll
 * position and the number and duration formats, so every screen looks
 * the same.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tui.h"

/* Sparkline levels, 0 (nothing) to TUI_DRAW_LEVELS (the scale's top). */
#define TUI_DRAW_LEVELS	8
static const char tui_draw_ascii[TUI_DRAW_LEVELS + 2] = " .,-~=+*#";
static const char *tui_draw_blocks[TUI_DRAW_LEVELS + 1] = {
	" ", "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586",
	"\u2587", "\u2588"
};

/* Text at y, x clipped to w columns (w < 0: to the window's edge). */
void
tui_draw_text(WINDOW *w, int y, int x, int width, enum tui_role r,
    const char *s)
{
	int	maxx = getmaxx(w);

	if (y < 0 || y >= getmaxy(w) || x >= maxx)
		return;
	if (width < 0 || x + width > maxx)
		width = maxx - x;
	wattrset(w, tui_colour(r));
	mvwaddnstr(w, y, x, s, width);
	wattrset(w, A_NORMAL);
}

void
tui_draw_printf(WINDOW *w, int y, int x, int width, enum tui_role r,
    const char *fmt, ...)
{
	va_list	ap;
	char	buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	tui_draw_text(w, y, x, width, r, buf);
}

void
tui_draw_hline(struct tui *t, WINDOW *w, int y, int x, int width)
{
	wmove(w, y, x);
	whline(w, t->ascii ? '-' : ACS_HLINE, width);
}

/* A box with a title on its top edge. */
void
tui_draw_box(struct tui *t, WINDOW *w, int y, int x, int h, int width,
    const char *title)
{
	chtype	hl = t->ascii ? '-' : ACS_HLINE, vl = t->ascii ? '|' : ACS_VLINE;

	mvwaddch(w, y, x, t->ascii ? '+' : ACS_ULCORNER);
	whline(w, hl, width - 2);
	mvwaddch(w, y, x + width - 1, t->ascii ? '+' : ACS_URCORNER);
	mvwvline(w, y + 1, x, vl, h - 2);
	mvwvline(w, y + 1, x + width - 1, vl, h - 2);
	mvwaddch(w, y + h - 1, x, t->ascii ? '+' : ACS_LLCORNER);
	whline(w, hl, width - 2);
	mvwaddch(w, y + h - 1, x + width - 1, t->ascii ? '+' : ACS_LRCORNER);
	if (title != NULL)
		tui_draw_printf(w, y, x + 2, width - 4, ROLE_LABEL, " %s ",
		    title);
}

/* A progress bar of width columns, filled to pct (0-100). */
void
tui_draw_bar(WINDOW *w, int y, int x, int width, double pct)
{
	int	fill, i;

	if (pct < 0)
		pct = 0;
	if (pct > 100)
		pct = 100;
	fill = (int)(pct * (width - 2) / 100.0 + 0.5);
	mvwaddch(w, y, x, '[');
	wattrset(w, tui_colour(ROLE_BAR));
	for (i = 0; i < fill; i++)
		waddch(w, '#');
	wattrset(w, A_NORMAL);
	for (; i < width - 2; i++)
		waddch(w, '.');
	waddch(w, ']');
}

/*
 * The n values of v in at most width columns (a column the mean of the
 * values it covers, so the whole history fits), each as a level from 0
 * to TUI_DRAW_LEVELS against scale (0: their maximum); a value above 0
 * is at least level 1, one at or above scale the top. Returns the
 * columns filled in levels.
 */
size_t
tui_draw_spark_levels(const uint32_t *v, size_t n, uint32_t scale,
    size_t width, uint8_t *levels, size_t len)
{
	size_t		cols = n < width ? n : width, c, i, from, to;
	uint64_t	sum, l;

	if (cols > len)
		cols = len;
	if (scale == 0) {
		for (i = 0; i < n; i++) {
			if (v[i] > scale)
				scale = v[i];
		}
	}
	for (c = 0; c < cols; c++) {
		from = c * n / cols;
		to = (c + 1) * n / cols;
		for (sum = 0, i = from; i < to; i++)
			sum += v[i];
		sum /= to - from;
		if (sum == 0 || scale == 0)
			l = 0;
		else
			l = (sum * TUI_DRAW_LEVELS + scale - 1) / scale;
		levels[c] = (uint8_t)(l > TUI_DRAW_LEVELS ? TUI_DRAW_LEVELS : l);
	}
	return (cols);
}

/* The rate history as a sparkline of at most width columns. */
void
tui_draw_spark(struct tui *t, WINDOW *w, int y, int x, int width,
    const uint32_t *v, size_t n, uint32_t scale)
{
	uint8_t	levels[512];
	size_t	cols, c;

	if (width <= 0)
		return;
	cols = tui_draw_spark_levels(v, n, scale, (size_t)width, levels,
	    sizeof levels);
	wmove(w, y, x);
	wattrset(w, tui_colour(ROLE_LABEL));
	for (c = 0; c < cols; c++) {
		if (t->ascii)
			waddch(w, (chtype)(unsigned char)
			    tui_draw_ascii[levels[c]]);
		else
			waddstr(w, tui_draw_blocks[levels[c]]);
	}
	wattrset(w, A_NORMAL);
}

/*
 * Text wrapped to width columns, at a space where there is one, on at
 * most rows rows from y; returns the rows used.
 */
int
tui_draw_wrap(WINDOW *w, int y, int x, int width, int rows, enum tui_role r,
    const char *s)
{
	size_t	len = strlen(s), cut;
	int	used = 0;

	if (width <= 0)
		return (0);
	while (len > 0 && used < rows) {
		cut = len;
		if (len > (size_t)width) {
			for (cut = (size_t)width; cut > 0 && s[cut] != ' ';
			    cut--)
				;
			if (cut == 0)
				cut = (size_t)width;
		}
		tui_draw_text(w, y + used, x, (int)cut, r, s);
		used++;
		s += cut;
		len -= cut;
		while (len > 0 && *s == ' ') {
			s++;
			len--;
		}
	}
	return (used);
}

/* Where a list of n lines is, shown from top, at the end of row y. */
void
tui_draw_scroll(WINDOW *w, int y, size_t top, size_t shown, size_t n)
{
	char	text[64];
	int	len;

	if (n <= shown)
		return;
	len = snprintf(text, sizeof text, "[%zu-%zu of %zu%s%s]", top + 1,
	    top + shown < n ? top + shown : n, n, top > 0 ? " ^" : "",
	    top + shown < n ? " v" : "");
	tui_draw_text(w, y, getmaxx(w) - len - 1, len, ROLE_LABEL, text);
}

/* A duration in nanoseconds as 12s, 3m04s or 2h05m. */
char *
tui_draw_duration(char *buf, size_t len, uint64_t ns)
{
	uint64_t	s = ns / 1000000000ULL;

	if (s < 60)
		snprintf(buf, len, "%llus", (unsigned long long)s);
	else if (s < 3600)
		snprintf(buf, len, "%llum%02llus",
		    (unsigned long long)(s / 60),
		    (unsigned long long)(s % 60));
	else
		snprintf(buf, len, "%lluh%02llum",
		    (unsigned long long)(s / 3600),
		    (unsigned long long)(s / 60 % 60));
	return (buf);
}

/* A count as 999, 12.3k, 4.56M. */
char *
tui_draw_count(char *buf, size_t len, uint64_t n)
{
	if (n < 10000)
		snprintf(buf, len, "%llu", (unsigned long long)n);
	else if (n < 10000000)
		snprintf(buf, len, "%.1fk", n / 1e3);
	else if (n < 10000000000ULL)
		snprintf(buf, len, "%.2fM", n / 1e6);
	else
		snprintf(buf, len, "%.2fG", n / 1e9);
	return (buf);
}

/* Move a list's cursor for a navigation action; false for any other. */
bool
tui_draw_list_key(struct tui_list *l, size_t n, int rows,
    enum tui_action a)
{
	size_t	page = rows > 1 ? (size_t)rows - 1 : 1;

	switch (a) {
	case ACTION_UP:
		if (l->cur > 0)
			l->cur--;
		break;
	case ACTION_DOWN:
		l->cur++;
		break;
	case ACTION_PAGE_UP:
		l->cur = l->cur > page ? l->cur - page : 0;
		break;
	case ACTION_PAGE_DOWN:
		l->cur += page;
		break;
	case ACTION_HOME:
		l->cur = 0;
		break;
	case ACTION_END:
		l->cur = n;
		break;
	default:
		return (false);
	}
	tui_draw_list_fit(l, n, rows);
	return (true);
}

/* Keep the cursor inside the list and on the rows shown. */
void
tui_draw_list_fit(struct tui_list *l, size_t n, int rows)
{
	if (rows < 1)
		rows = 1;
	if (l->cur >= n)
		l->cur = n > 0 ? n - 1 : 0;
	if (l->cur < l->top)
		l->top = l->cur;
	if (l->cur >= l->top + (size_t)rows)
		l->top = l->cur - (size_t)rows + 1;
	if (n <= (size_t)rows)
		l->top = 0;
}
