/*
 * Colours by role. Each role has a colour pair and an attribute for
 * terminals without colour, so a vt100 or NO_COLOR still tells open from
 * filtered. Screens ask for a role, never for a colour. Green is open
 * or up, closed and down are dim, yellow is filtered or a warning, and
 * red is kept for errors.
 */
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

static const struct {
	short	fg;
	short	bg;
	attr_t	colour;	/* added when colour is on */
	attr_t	mono;	/* used alone when it is off */
} tui_colour_roles[ROLE_MAX] = {
	[ROLE_NORMAL] =		{ -1, -1, 0, 0 },
	[ROLE_TITLE] =		{ COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE },
	[ROLE_LABEL] =		{ COLOR_CYAN, -1, 0, 0 },
	[ROLE_SELECTED] =	{ COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[ROLE_OPEN] =		{ COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[ROLE_CLOSED] =		{ -1, -1, A_DIM, A_DIM },
	[ROLE_FILTERED] =	{ COLOR_YELLOW, -1, 0, A_DIM },
	[ROLE_UP] =		{ COLOR_GREEN, -1, 0, 0 },
	[ROLE_DOWN] =		{ -1, -1, A_DIM, A_DIM },
	[ROLE_ALERT] =		{ COLOR_WHITE, COLOR_RED, A_BOLD,
				    A_BOLD | A_REVERSE },
	[ROLE_WARN] =		{ COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[ROLE_BAR] =		{ COLOR_BLACK, COLOR_GREEN, 0, A_REVERSE },
	[ROLE_INVALID] =	{ COLOR_RED, -1, A_BOLD, A_UNDERLINE },
};

/* The attributes of each role once tui_colour_init has decided. */
static attr_t tui_colour_attrs[ROLE_MAX];

/*
 * Colour when the terminal has it and NO_COLOR is unset or empty
 * (no-color.org). Line drawing and block elements only where they are
 * sure to show: colour on and a UTF-8 locale. Elsewhere (vt100,
 * NO_COLOR, the C locale, where multiplexers may show ACS as letters)
 * ASCII borders and an ASCII sparkline.
 */
void
tui_colour_init(struct tui *t)
{
	const char	*nc = getenv("NO_COLOR");
	int		 i;

	t->colour = has_colors() && (nc == NULL || *nc == '\0');
	t->ascii = !t->colour || strcmp(nl_langinfo(CODESET), "UTF-8") != 0;
	if (t->colour) {
		start_color();
		use_default_colors();
	}
	for (i = 0; i < ROLE_MAX; i++) {
		if (!t->colour) {
			tui_colour_attrs[i] = tui_colour_roles[i].mono;
			continue;
		}
		init_pair((short)(i + 1), tui_colour_roles[i].fg,
		    tui_colour_roles[i].bg);
		tui_colour_attrs[i] = COLOR_PAIR(i + 1) |
		    tui_colour_roles[i].colour;
	}
}

attr_t
tui_colour(enum tui_role r)
{
	return (tui_colour_attrs[r]);
}

enum tui_role
tui_colour_port(uint8_t state)
{
	switch (state) {
	case EVENT_PORT_OPEN:
		return (ROLE_OPEN);
	case EVENT_PORT_CLOSED:
	case EVENT_PORT_UNFILTERED:
		return (ROLE_CLOSED);
	default:
		return (ROLE_FILTERED);
	}
}

enum tui_role
tui_colour_host(uint8_t state)
{
	switch (state) {
	case EVENT_HOST_UP:
		return (ROLE_UP);
	case EVENT_HOST_SILENT:
	case EVENT_HOST_TIMEOUT:
		return (ROLE_WARN);
	case EVENT_HOST_DOWN:
		return (ROLE_DOWN);
	default:
		return (ROLE_NORMAL);
	}
}
