/*
 * The dashboard's main loop: set up curses, read keys and the watched
 * scan's records, and redraw at most TUI_FRAME_MS apart, only when
 * something changed. Curses draws into windows and doupdate() sends only
 * the difference, so a steady screen costs almost nothing on the wire.
 * Nothing is printed while curses owns the terminal: errors are kept and
 * printed after endwin(). A signal that ends the process restores the
 * terminal first and is then raised again; Ctrl-C (SIGINT) is not one:
 * it leaves the dashboard as `q` does, detached from a scan it watched,
 * with exit 0 (130 means a scan was interrupted, and this one goes on).
 * A watched scan whose engine is gone (tui-source.c) is shown
 * interrupted, with how to resume it, also after endwin().
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "output-escape.h"
#include "tui.h"
#include "xmalloc.h"

static uint64_t	 tui_now_ms(void);
static void	 tui_fatal_signal(int);
static void	 tui_interrupt(int);
static void	 tui_signals(void);
static void	 tui_layout(struct tui *);
static bool	 tui_too_small(void);
static void	 tui_draw(struct tui *);
static void	 tui_draw_title(struct tui *);
static void	 tui_draw_status(struct tui *);
static void	 tui_key(struct tui *, int);
static void	 tui_global(struct tui *, enum tui_action);
static void	 tui_follow(struct tui *);
static void	 tui_gone(struct tui *);
static void	 tui_gone_print(struct tui *);

static const struct screen_ops *tui_screens[SCREEN_MAX] = {
	[SCREEN_BUILDER] = &screen_builder_ops,
	[SCREEN_LIVE] = &screen_live_ops,
	[SCREEN_HOSTS] = &screen_hosts_ops,
	[SCREEN_HOST] = &screen_host_ops,
	[SCREEN_SCANS] = &screen_scans_ops,
	[SCREEN_HELP] = &screen_help_ops,
};

/* The most of $TERM an error quotes. */
#define TUI_TERM_MAX	64

/* How long a message stays on the status line. */
#define TUI_MESSAGE_MS	5000

/* Set while curses owns the terminal, for the signal handler. */
static volatile sig_atomic_t tui_curses_on;
/* Set by Ctrl-C (SIGINT): leave, detached. */
static volatile sig_atomic_t tui_interrupted;

/* The signals that end the process: restore the terminal, re-raise. */
static const int tui_fatal_signals[] = {
	SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTERM, SIGHUP, SIGQUIT
};

static uint64_t
tui_now_ms(void)
{
	return (clock_now_ns() / 1000000);
}

static void
tui_fatal_signal(int sig)
{
	if (tui_curses_on)
		endwin();
	tui_curses_on = 0;
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
tui_interrupt(int sig)
{
	(void)sig;
	tui_interrupted = 1;
}

static void
tui_signals(void)
{
	struct sigaction	sa;
	size_t			i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = tui_fatal_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < sizeof tui_fatal_signals /
	    sizeof tui_fatal_signals[0]; i++)
		sigaction(tui_fatal_signals[i], &sa, NULL);
	/* No SA_RESTART: the loop's poll() returns at once. */
	sa.sa_handler = tui_interrupt;
	sa.sa_flags = 0;
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* A title line, the screen's body and a status line. */
static void
tui_layout(struct tui *t)
{
	if (t->title != NULL) {
		delwin(t->title);
		delwin(t->body);
		delwin(t->status);
	}
	t->title = newwin(1, COLS, 0, 0);
	t->body = newwin(LINES > 2 ? LINES - 2 : 1, COLS, 1, 0);
	t->status = newwin(1, COLS, LINES > 1 ? LINES - 1 : 0, 0);
	t->dirty = true;
}

static bool
tui_too_small(void)
{
	return (COLS < TUI_MIN_COLS || LINES < TUI_MIN_ROWS);
}

static void
tui_draw_title(struct tui *t)
{
	const struct results_scan	*rs = NULL;
	const char			*state = "";
	char				 pct[16] = "";
	int				 width = 8;

	werase(t->title);
	wbkgdset(t->title, tui_colour(ROLE_TITLE) | ' ');
	werase(t->title);
	if (t->scan != NULL)
		rs = results_scan(t->scan->results);
	if (rs != NULL && rs->started) {
		if (rs->ended && rs->status == EVENT_END_DONE)
			state = "finished";
		else if (rs->ended && rs->status == EVENT_END_STOPPED)
			state = "stopped";
		else if (rs->ended)
			state = "failed";
		else if (t->scan->interrupted)
			state = "interrupted";
		else if (t->scan->paused)
			state = "paused";
		else
			state = "running";
		snprintf(pct, sizeof pct, "%.1f%%", tui_scan_percent(t->scan));
		/* A longer state takes its room from the ID's padding. */
		if (strlen(state) > 8)
			width = (int)strlen(state);
	}
	tui_draw_printf(t->title, 0, 0, COLS, ROLE_TITLE, " tact | %s",
	    tui_screens[t->screen]->name);
	if (t->scan_id != NULL)
		tui_draw_printf(t->title, 0, COLS - 50, 49, ROLE_TITLE,
		    "%*s %-*s %6s", 40 - width, t->scan_id, width, state, pct);
	wnoutrefresh(t->title);
}

static void
tui_draw_status(struct tui *t)
{
	char	hint[512];

	werase(t->status);
	if (t->confirm != NULL)
		tui_draw_printf(t->status, 0, 0, COLS, ROLE_ALERT,
		    " %s (y/n) ", t->confirm_text);
	else if (t->message != NULL)
		tui_draw_printf(t->status, 0, 0, COLS,
		    t->message_alert ? ROLE_ALERT : ROLE_NORMAL, " %s",
		    t->message);
	else {
		tui_keys_hint(t->screen, tui_state(t), hint, (size_t)COLS <
		    sizeof hint ? (size_t)COLS - 1 : sizeof hint);
		tui_draw_printf(t->status, 0, 0, COLS, ROLE_LABEL, " %s",
		    hint);
	}
	wnoutrefresh(t->status);
}

static void
tui_draw(struct tui *t)
{
	char	text[80];
	int	len;

	t->dirty = false;
	if (tui_too_small()) {
		werase(stdscr);
		len = snprintf(text, sizeof text, "enlarge the window to at "
		    "least %dx%d (now %dx%d)", TUI_MIN_COLS, TUI_MIN_ROWS,
		    COLS, LINES);
		mvwaddnstr(stdscr, LINES / 2, COLS > len ? (COLS - len) / 2 :
		    0, text, COLS);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	tui_draw_title(t);
	werase(t->body);
	tui_screens[t->screen]->draw(t, t->body);
	wnoutrefresh(t->body);
	tui_draw_status(t);
	doupdate();
}

void
tui_go(struct tui *t, enum tui_screen s)
{
	if (s == t->screen)
		return;
	if (t->nback == sizeof t->back / sizeof t->back[0]) {
		memmove(t->back, t->back + 1, sizeof t->back - sizeof
		    t->back[0]);
		t->nback--;
	}
	t->back[t->nback++] = t->screen;
	if (tui_screens[t->screen]->leave != NULL)
		tui_screens[t->screen]->leave(t);
	if (s == SCREEN_HELP)
		t->help_for = t->screen;
	t->screen = s;
	if (tui_screens[s]->enter != NULL)
		tui_screens[s]->enter(t);
	t->dirty = true;
}

void
tui_back(struct tui *t)
{
	enum tui_screen	s;

	if (t->nback == 0)
		return;
	s = t->back[--t->nback];
	if (tui_screens[t->screen]->leave != NULL)
		tui_screens[t->screen]->leave(t);
	t->screen = s;
	if (tui_screens[s]->enter != NULL)
		tui_screens[s]->enter(t);
	t->dirty = true;
}

void
tui_message(struct tui *t, bool alert, const char *fmt, ...)
{
	va_list	ap;
	char	text[512];

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	free(t->message);
	t->message = xstrdup(text);
	t->message_alert = alert;
	t->message_until = tui_now_ms() + TUI_MESSAGE_MS;
	t->dirty = true;
}

/* Ask a yes/no question on the status line; y calls fn. */
void
tui_ask(struct tui *t, int (*fn)(struct tui *), const char *fmt, ...)
{
	va_list	ap;
	char	text[512];

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	free(t->confirm_text);
	t->confirm_text = xstrdup(text);
	t->confirm = fn;
	t->dirty = true;
}

/* An error for after endwin(); it also shows on the status line. */
void
tui_error(struct tui *t, const char *fmt, ...)
{
	va_list	 ap;
	char	 line[512], *e, *all;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	e = output_escape_text(line, strlen(line));
	tui_message(t, true, "%s", e);
	xasprintf(&all, "%stact: ui: %s\n", t->errors != NULL ? t->errors : "",
	    e);
	free(e);
	free(t->errors);
	t->errors = all;
}

/* Watch a scan: read its journal to the end, then follow it. */
int
tui_attach(struct tui *t, const char *id, char **cause)
{
	struct tui_source	*src;
	struct tui_scan		*scan;
	char			*text;

	if ((src = tui_source_attach(&t->base, id, cause)) == NULL)
		return (-1);
	scan = tui_scan_create();
	if (tui_source_read(src, scan, cause) == -1) {
		tui_scan_free(scan);
		tui_source_free(src);
		return (-1);
	}
	tui_detach(t);
	t->source = src;
	t->scan = scan;
	t->scan_id = xstrdup(id);
	t->attaches++;
	t->dirty = true;
	/* What it did before: on the status line, and kept in the log. */
	if ((text = tui_scan_caught_up(scan)) != NULL) {
		tui_message(t, false, "%s", text);
		tui_scan_note(scan, text);
		free(text);
	}
	if (scan->interrupted)
		tui_gone(t);
	return (0);
}

/* The engine is gone without an end: say how to go on with the scan. */
static void
tui_gone(struct tui *t)
{
	char	*text;

	xasprintf(&text, "engine gone, scan interrupted: tact resume %s",
	    t->scan_id);
	tui_message(t, true, "%s", text);
	tui_scan_note(t->scan, text);
	free(text);
}

/* The same after endwin(), with its counts, as `tact attach` says it. */
static void
tui_gone_print(struct tui *t)
{
	const struct event_progress	*p = results_progress(t->scan->results);

	printf("scan %s interrupted: %llu host%s up, %llu open port%s; "
	    "continue it with: tact resume %s\n", t->scan_id,
	    (unsigned long long)p->hosts_up, p->hosts_up == 1 ? "" : "s",
	    (unsigned long long)p->open_ports, p->open_ports == 1 ? "" : "s",
	    t->scan_id);
}

void
tui_detach(struct tui *t)
{
	t->host = NULL;
	tui_source_free(t->source);
	tui_scan_free(t->scan);
	free(t->scan_id);
	t->source = NULL;
	t->scan = NULL;
	t->scan_id = NULL;
}

/* The TUI_WHEN_* bits that hold now, for the key table. */
unsigned
tui_state(struct tui *t)
{
	const struct results_scan	*rs;
	unsigned			 state = 0;

	if (t->scan != NULL) {
		state |= TUI_WHEN_SCAN;
		rs = results_scan(t->scan->results);
		if (t->source != NULL && rs->started && !tui_scan_over(t->scan))
			state |= TUI_WHEN_RUNNING | (t->scan->paused ?
			    TUI_WHEN_PAUSED : TUI_WHEN_GOING);
	}
	if (t->nback > 0)
		state |= TUI_WHEN_BACK;
	if (tui_screens[t->screen]->editing != NULL &&
	    tui_screens[t->screen]->editing(t))
		state |= TUI_WHEN_FIELD;
	return (state);
}

int
tui_control(struct tui *t, enum event_control_action a)
{
	char	*cause;

	if (t->source == NULL)
		return (-1);
	if (tui_source_control(t->source, a, &cause) != 0) {
		tui_message(t, true, "%s", cause);
		free(cause);
		return (-1);
	}
	return (0);
}

/* Keys every screen shares, when the screen did not take the key. */
static void
tui_global(struct tui *t, enum tui_action a)
{
	switch (a) {
	case ACTION_HELP:
		if (t->screen != SCREEN_HELP)
			tui_go(t, SCREEN_HELP);
		break;
	case ACTION_QUIT:
		t->quit = true;
		break;
	case ACTION_BACK:
		tui_back(t);
		break;
	case ACTION_LIVE:
		if (t->scan != NULL)
			tui_go(t, SCREEN_LIVE);
		break;
	case ACTION_HOSTS:
		if (t->scan != NULL)
			tui_go(t, SCREEN_HOSTS);
		break;
	case ACTION_SCANS:
		tui_go(t, SCREEN_SCANS);
		break;
	case ACTION_NEW:
		tui_go(t, SCREEN_BUILDER);
		break;
	case ACTION_DETACH:
		if (t->scan != NULL) {
			t->quit = true;
			t->detached = true;
		}
		break;
	default:
		break;
	}
}

static void
tui_key(struct tui *t, int key)
{
	enum tui_action		 a;
	int			(*fn)(struct tui *);

	if (key == KEY_RESIZE) {
		/* The terminal may have lost what it showed: repaint all. */
		clearok(curscr, TRUE);
		tui_layout(t);
		return;
	}
	t->dirty = true;
	if (t->confirm != NULL) {
		fn = t->confirm;
		t->confirm = NULL;
		if (key == 'y' || key == 'Y')
			fn(t);
		else
			tui_message(t, false, "cancelled");
		return;
	}
	free(t->message);
	t->message = NULL;
	a = tui_keys_lookup(t->screen, tui_state(t), key);
	if (tui_too_small()) {
		if (a == ACTION_QUIT)
			t->quit = true;
		return;
	}
	if (tui_screens[t->screen]->key != NULL &&
	    tui_screens[t->screen]->key(t, key, a))
		return;
	tui_global(t, a);
}

/* Apply the records that arrived since the last look. */
static void
tui_follow(struct tui *t)
{
	char		*cause;
	uint64_t	 before, controls;
	bool		 interrupted;

	if (t->source == NULL)
		return;
	before = t->scan->changes;
	controls = t->scan->controls;
	interrupted = t->scan->interrupted;
	if (tui_source_read(t->source, t->scan, &cause) == -1) {
		tui_error(t, "%s", cause);
		free(cause);
		tui_source_free(t->source);
		t->source = NULL;
		return;
	}
	if (t->scan->changes != before)
		t->dirty = true;
	/* What a command did, with the limit it left. */
	if (t->scan->controls != controls)
		tui_message(t, false, "%s", t->scan->control_text);
	if (t->scan->interrupted && !interrupted)
		tui_gone(t);
}

int
tui_run(struct tui *t)
{
	struct pollfd	 pfd;
	uint64_t	 now, last_draw = 0, last_tick = 0;
	int		 key, timeout, i;
	SCREEN		*sp;
	const char	*term;
	char		*e;

	tui_signals();
	if ((sp = newterm(NULL, stdout, stdin)) == NULL) {
		term = getenv("TERM") != NULL ? getenv("TERM") : "";
		e = output_escape_cut(term, strlen(term), TUI_TERM_MAX);
		fprintf(stderr, "tact: ui: cannot use terminal \"%s\"\n", e);
		free(e);
		return (1);
	}
	tui_curses_on = 1;
	set_escdelay(25);
	cbreak();
	noecho();
	nonl();
	curs_set(0);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	/* getch() refreshes stdscr: make that a no-op from the start. */
	wnoutrefresh(stdscr);
	tui_colour_init(t);
	tui_layout(t);
	if (tui_screens[t->screen]->enter != NULL)
		tui_screens[t->screen]->enter(t);

	pfd.fd = STDIN_FILENO;
	pfd.events = POLLIN;
	while (!t->quit) {
		now = tui_now_ms();
		if (now - last_tick >= TUI_FRAME_MS) {
			last_tick = now;
			tui_follow(t);
			if (t->message != NULL && now >= t->message_until) {
				free(t->message);
				t->message = NULL;
				t->dirty = true;
			}
			if (tui_screens[t->screen]->tick != NULL)
				tui_screens[t->screen]->tick(t);
		}
		if (t->dirty && now - last_draw >= TUI_FRAME_MS) {
			last_draw = now;
			tui_draw(t);
		}
		timeout = (int)(last_tick + TUI_FRAME_MS - now);
		if (t->dirty && last_draw + TUI_FRAME_MS - now <
		    (uint64_t)timeout)
			timeout = (int)(last_draw + TUI_FRAME_MS - now);
		if (timeout < 0)
			timeout = 0;
		pfd.revents = 0;
		if (poll(&pfd, 1, timeout) == -1 && errno != EINTR)
			break;
		/* The terminal is gone: nobody to draw for. */
		if (pfd.revents & (POLLHUP | POLLERR | POLLNVAL))
			break;
		while (!t->quit && (key = getch()) != ERR)
			tui_key(t, key);
		if (tui_interrupted) {
			t->quit = true;
			t->detached = t->scan != NULL;
		}
	}

	if (tui_screens[t->screen]->leave != NULL)
		tui_screens[t->screen]->leave(t);
	endwin();
	tui_curses_on = 0;
	for (i = 0; i < SCREEN_MAX; i++) {
		if (tui_screens[i]->free != NULL && t->data[i] != NULL)
			tui_screens[i]->free(t);
		t->data[i] = NULL;
	}
	delwin(t->title);
	delwin(t->body);
	delwin(t->status);
	delscreen(sp);
	if (t->errors != NULL)
		fputs(t->errors, stderr);
	else if (t->scan != NULL && t->scan->interrupted)
		tui_gone_print(t);
	else if (t->detached && t->scan_id != NULL)
		printf("detached from scan %s, which goes on; watch it again "
		    "with: tact attach %s\n", t->scan_id, t->scan_id);
	return (t->errors != NULL ? 1 : 0);
}
