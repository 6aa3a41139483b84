/*
 * Every key binding of the dashboard, in one table: the key, the screens
 * it works on, what it does and how the help screen and the status line
 * describe it. The help screen is generated from this table, so it
 * cannot drift from what the keys do.
 */
#include <stdio.h>
#include <string.h>

#include "tui.h"

#define LISTS	(SCREEN_BIT(SCREEN_HOSTS) | SCREEN_BIT(SCREEN_HOST) | \
		    SCREEN_BIT(SCREEN_SCANS) | SCREEN_BIT(SCREEN_HELP) | \
		    SCREEN_BIT(SCREEN_LIVE))
#define WATCH	(SCREEN_BIT(SCREEN_LIVE) | SCREEN_BIT(SCREEN_HOSTS) | \
		    SCREEN_BIT(SCREEN_HOST))
#define BUILDER	SCREEN_BIT(SCREEN_BUILDER)
#define LIVE	SCREEN_BIT(SCREEN_LIVE)
#define HOSTS	SCREEN_BIT(SCREEN_HOSTS)
#define HOST	SCREEN_BIT(SCREEN_HOST)
#define SCANS	SCREEN_BIT(SCREEN_SCANS)

static const struct tui_key tui_keys[] = {
	{ '?', SCREEN_ALL, ACTION_HELP, "?", "help",
	    "show this help (F1 in a text field)" },
	{ KEY_F(1), SCREEN_ALL, ACTION_HELP, "F1", NULL, NULL },
	{ 'q', SCREEN_ALL, ACTION_QUIT, "q", "quit",
	    "quit; a running scan goes on (F10 in a text field)" },
	{ KEY_F(10), SCREEN_ALL, ACTION_QUIT, "F10", NULL, NULL },
	{ 27, SCREEN_ALL, ACTION_BACK, "Esc", NULL,
	    "go back; in the builder, leave the text field" },
	{ KEY_LEFT, HOST | SCREEN_BIT(SCREEN_HELP), ACTION_BACK, "Left",
	    NULL, NULL },

	{ '\t', BUILDER, ACTION_NEXT_FIELD, "Tab", "next field",
	    "next field" },
	{ KEY_BTAB, BUILDER, ACTION_PREV_FIELD, "S-Tab", NULL,
	    "previous field" },
	{ KEY_UP, BUILDER, ACTION_UP, "Up", NULL,
	    "previous profile on the profile list, else previous field" },
	{ KEY_DOWN, BUILDER, ACTION_DOWN, "Down", NULL,
	    "next profile on the profile list, else next field" },
	{ '\n', BUILDER, ACTION_START, "Enter", "start",
	    "check the scan and start it" },
	{ '\r', BUILDER, ACTION_START, "Enter", NULL, NULL },
	{ KEY_ENTER, BUILDER, ACTION_START, "Enter", NULL, NULL },
	{ 'a', BUILDER, ACTION_SCANS, "a", "scans",
	    "the scans on this machine (on the profile list)" },

	{ KEY_UP, LISTS, ACTION_UP, "Up", NULL, "move up" },
	{ 'k', LISTS, ACTION_UP, "k", NULL, NULL },
	{ KEY_DOWN, LISTS, ACTION_DOWN, "Down", NULL, "move down" },
	{ 'j', LISTS, ACTION_DOWN, "j", NULL, NULL },
	{ KEY_PPAGE, LISTS, ACTION_PAGE_UP, "PgUp", NULL, "page up" },
	{ KEY_NPAGE, LISTS, ACTION_PAGE_DOWN, "PgDn", NULL, "page down" },
	{ ' ', LISTS, ACTION_PAGE_DOWN, "Space", NULL, NULL },
	{ KEY_HOME, LISTS, ACTION_HOME, "Home", NULL, "first line" },
	{ 'g', LISTS, ACTION_HOME, "g", NULL, NULL },
	{ KEY_END, LISTS, ACTION_END, "End", NULL, "last line" },
	{ 'G', LISTS, ACTION_END, "G", NULL, NULL },

	{ 'p', LIVE, ACTION_PAUSE, "p", "pause", "pause or resume the scan" },
	{ '-', LIVE, ACTION_SLOWER, "-", "slower",
	    "lower the probe rate" },
	{ '+', LIVE, ACTION_FASTER, "+", "faster",
	    "raise the probe rate, never above the profile's" },
	{ '=', LIVE, ACTION_FASTER, "=", NULL, NULL },
	{ 'd', WATCH, ACTION_DETACH, "d", "detach",
	    "detach: leave the scan running and quit" },
	{ 's', LIVE, ACTION_STOP, "s", "stop",
	    "stop the scan (asks first)" },

	{ 'l', HOSTS | HOST | SCANS, ACTION_LIVE, "l", "live",
	    "the live dashboard of the scan" },
	{ 'h', LIVE | HOST | SCANS, ACTION_HOSTS, "h", "hosts",
	    "the hosts of the scan" },
	{ 'a', WATCH, ACTION_SCANS, "a", NULL,
	    "the scans on this machine" },
	{ 'n', SCANS | LIVE, ACTION_NEW, "n", NULL, "build a new scan" },

	{ '/', HOSTS, ACTION_FILTER, "/", "filter",
	    "filter: text, open:22, service:ssh, state:up" },
	{ 'o', HOSTS, ACTION_SORT, "o", "sort",
	    "sort by address, open ports, latency, state" },
	{ '\n', HOSTS | SCANS, ACTION_OPEN, "Enter", "open",
	    "open the host or scan" },
	{ '\r', HOSTS | SCANS, ACTION_OPEN, "Enter", NULL, NULL },
	{ KEY_ENTER, HOSTS | SCANS, ACTION_OPEN, "Enter", NULL, NULL },
	{ KEY_RIGHT, HOSTS | SCANS, ACTION_OPEN, "Right", NULL, NULL },
	{ 'e', HOST, ACTION_EXPORT, "e", "export",
	    "export this host to a text file" },
	{ 'r', SCANS, ACTION_REFRESH, "r", NULL, "read the list again" },
};

#define TUI_KEYS_COUNT	(sizeof tui_keys / sizeof tui_keys[0])

enum tui_action
tui_keys_lookup(enum tui_screen s, int key)
{
	size_t	i;

	for (i = 0; i < TUI_KEYS_COUNT; i++) {
		if (tui_keys[i].key == key &&
		    (tui_keys[i].screens & SCREEN_BIT(s)))
			return (tui_keys[i].action);
	}
	return (ACTION_NONE);
}

const struct tui_key *
tui_keys_table(size_t *n)
{
	*n = TUI_KEYS_COUNT;
	return (tui_keys);
}

/* The status line's "key word" list for a screen, from the table. */
void
tui_keys_hint(enum tui_screen s, char *buf, size_t len)
{
	size_t	i, off = 0;
	int	n;

	buf[0] = '\0';
	for (i = 0; i < TUI_KEYS_COUNT; i++) {
		if (tui_keys[i].hint == NULL ||
		    !(tui_keys[i].screens & SCREEN_BIT(s)))
			continue;
		n = snprintf(buf + off, len - off, "%s%s %s",
		    off == 0 ? "" : "  ", tui_keys[i].name, tui_keys[i].hint);
		if (n < 0 || (size_t)n >= len - off) {
			buf[off] = '\0';
			break;
		}
		off += (size_t)n;
	}
}
