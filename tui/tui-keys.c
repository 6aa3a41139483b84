/*
 * Every key binding of the dashboard, in one table: the key, the screens
 * it works on, what it does and how the help screen and the status line
 * describe it, and the state it needs (a running scan, a paused one,
 * a text field...). The help screen and the status line are generated
 * from this table, so they cannot drift from what the keys do, and the
 * status line offers only keys that work now.
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
	{ '?', SCREEN_ALL, 0, ACTION_HELP, "?", "help",
	    "show this help; again, or Esc, to leave it" },
	{ KEY_F(1), SCREEN_ALL, 0, ACTION_HELP, "F1", "help", NULL },
	{ 'q', SCREEN_ALL, 0, ACTION_QUIT, "q", "quit",
	    "quit; a running scan goes on" },
	{ KEY_F(10), SCREEN_ALL, 0, ACTION_QUIT, "F10", "quit", NULL },
	{ 27, BUILDER | HOSTS, TUI_WHEN_FIELD, ACTION_BACK, "Esc",
	    "leave field", "leave the text field" },
	{ 27, SCREEN_ALL, TUI_WHEN_BACK, ACTION_BACK, "Esc", "back",
	    "go back to the screen before" },
	{ KEY_LEFT, HOST | SCREEN_BIT(SCREEN_HELP), TUI_WHEN_BACK, ACTION_BACK,
	    "Left", NULL, "go back" },

	{ '\t', BUILDER, 0, ACTION_NEXT_FIELD, "Tab", "next field",
	    "next field" },
	{ KEY_BTAB, BUILDER, 0, ACTION_PREV_FIELD, "S-Tab", NULL,
	    "previous field" },
	{ KEY_UP, BUILDER, 0, ACTION_UP, "Up", NULL,
	    "previous profile on the profile list, else previous field" },
	{ KEY_DOWN, BUILDER, 0, ACTION_DOWN, "Down", NULL,
	    "next profile on the profile list, else next field" },
	{ '\n', BUILDER, 0, ACTION_START, "Enter", "start",
	    "check the scan and start it" },
	{ '\r', BUILDER, 0, ACTION_START, "Enter", NULL, NULL },
	{ KEY_ENTER, BUILDER, 0, ACTION_START, "Enter", NULL, NULL },
	{ 'a', BUILDER, 0, ACTION_SCANS, "a", "scans",
	    "the scans on this machine (on the profile list)" },

	{ KEY_UP, LISTS, 0, ACTION_UP, "Up", NULL, "move up" },
	{ 'k', LISTS, 0, ACTION_UP, "k", NULL, NULL },
	{ KEY_DOWN, LISTS, 0, ACTION_DOWN, "Down", NULL, "move down" },
	{ 'j', LISTS, 0, ACTION_DOWN, "j", NULL, NULL },
	{ KEY_PPAGE, LISTS, 0, ACTION_PAGE_UP, "PgUp", NULL, "a page up" },
	{ KEY_NPAGE, LISTS, 0, ACTION_PAGE_DOWN, "PgDn", NULL,
	    "a page down" },
	{ ' ', LISTS, 0, ACTION_PAGE_DOWN, "Space", NULL, NULL },
	{ KEY_HOME, LISTS, 0, ACTION_HOME, "Home", NULL, "first line" },
	{ 'g', LISTS, 0, ACTION_HOME, "g", NULL, NULL },
	{ KEY_END, LISTS, 0, ACTION_END, "End", NULL, "last line" },
	{ 'G', LISTS, 0, ACTION_END, "G", NULL, NULL },

	{ 'p', LIVE, TUI_WHEN_RUNNING | TUI_WHEN_GOING, ACTION_PAUSE, "p",
	    "pause", "pause the scan" },
	{ 'p', LIVE, TUI_WHEN_RUNNING | TUI_WHEN_PAUSED, ACTION_PAUSE, "p",
	    "resume", "resume the paused scan" },
	{ '-', LIVE, TUI_WHEN_RUNNING, ACTION_SLOWER, "-", "slower",
	    "halve the limit that binds (the scan's, or the per-host cap "
	    "times the hosts being scanned)" },
	{ '+', LIVE, TUI_WHEN_RUNNING, ACTION_FASTER, "+", "faster",
	    "double the limit that binds, never above the profile's" },
	{ '=', LIVE, TUI_WHEN_RUNNING, ACTION_FASTER, "=", NULL, NULL },
	{ 's', LIVE, TUI_WHEN_RUNNING, ACTION_STOP, "s", "stop",
	    "stop the scan (asks first)" },
	{ '/', HOSTS, 0, ACTION_FILTER, "/", "filter",
	    "filter: text, open:22, service:ssh, state:up" },
	{ 'o', HOSTS, 0, ACTION_SORT, "o", "sort",
	    "sort by address, open ports, latency, state" },
	{ '\n', HOSTS | SCANS, 0, ACTION_OPEN, "Enter", "open",
	    "open the host or scan" },
	{ '\r', HOSTS | SCANS, 0, ACTION_OPEN, "Enter", NULL, NULL },
	{ KEY_ENTER, HOSTS | SCANS, 0, ACTION_OPEN, "Enter", NULL, NULL },
	{ KEY_RIGHT, HOSTS | SCANS, 0, ACTION_OPEN, "Right", NULL, NULL },
	{ 'f', HOST, 0, ACTION_FOLD, "f", "fold/unfold",
	    "show or fold the ports that are not open" },
	{ 'e', HOST, 0, ACTION_EXPORT, "e", "export",
	    "export this host to a text file" },
	{ 'r', SCANS, 0, ACTION_REFRESH, "r", "reread", "read the list again" },

	{ 'd', WATCH, TUI_WHEN_RUNNING, ACTION_DETACH, "d", "detach",
	    "detach: leave the scan running and quit" },

	{ 'l', HOSTS | HOST | SCANS, TUI_WHEN_SCAN, ACTION_LIVE, "l", "live",
	    "the live dashboard of the scan" },
	{ 'h', LIVE | HOST | SCANS, TUI_WHEN_SCAN, ACTION_HOSTS, "h", "hosts",
	    "the hosts of the scan" },
	{ 'a', WATCH, 0, ACTION_SCANS, "a", "scans",
	    "the scans on this machine" },
	{ 'n', SCANS | LIVE, 0, ACTION_NEW, "n", "new", "build a new scan" },
};

#define TUI_KEYS_COUNT	(sizeof tui_keys / sizeof tui_keys[0])

/* A printable key types into a text field; no binding takes it there. */
static bool
tui_keys_works(const struct tui_key *k, enum tui_screen s, unsigned state)
{
	if (!(k->screens & SCREEN_BIT(s)) || (k->when & state) != k->when)
		return (false);
	return (!(state & TUI_WHEN_FIELD) || k->key < 0x20 || k->key > 0x7e);
}

enum tui_action
tui_keys_lookup(enum tui_screen s, unsigned state, int key)
{
	size_t	i;

	for (i = 0; i < TUI_KEYS_COUNT; i++) {
		if (tui_keys[i].key == key &&
		    tui_keys_works(&tui_keys[i], s, state))
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

/*
 * Add the hints of the keys that work on screen s in this state to buf
 * (off bytes used), one per action, those every screen shares (help,
 * quit, back) or the others, as many whole ones as fit in len - 1.
 */
static size_t
tui_keys_hints(enum tui_screen s, unsigned state, bool shared, bool *shown,
    char *buf, size_t off, size_t len)
{
	size_t	i;
	int	n;

	for (i = 0; i < TUI_KEYS_COUNT; i++) {
		if (tui_keys[i].hint == NULL || shown[tui_keys[i].action] ||
		    (tui_keys[i].screens == SCREEN_ALL) != shared ||
		    !tui_keys_works(&tui_keys[i], s, state))
			continue;
		n = snprintf(buf + off, len - off, "%s%s %s",
		    off == 0 ? "" : "  ", tui_keys[i].name, tui_keys[i].hint);
		if (n < 0 || (size_t)n >= len - off) {
			buf[off] = '\0';
			break;
		}
		shown[tui_keys[i].action] = true;
		off += (size_t)n;
	}
	return (off);
}

/*
 * The status line's "key word" list: the keys that work on screen s in
 * this state, at most len - 1 bytes; those of the screen first, as many
 * as leave room for the ones every screen shares, which end it.
 */
void
tui_keys_hint(enum tui_screen s, unsigned state, char *buf, size_t len)
{
	bool	shown[ACTION_MAX] = { false };
	char	shared[128];
	size_t	off, room;

	buf[0] = '\0';
	off = tui_keys_hints(s, state, true, shown, shared, 0,
	    sizeof shared);
	room = len > off + 2 ? len - off - 2 : 1;
	off = tui_keys_hints(s, state, false, shown, buf, 0, room);
	snprintf(buf + off, len - off, "%s%s", off == 0 ? "" : "  ",
	    shared);
}
