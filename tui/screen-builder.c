/*
 * The scan builder, the dashboard's first screen: the profiles side by
 * side, the targets, ports, scope file and purpose fields, and a live
 * estimate (tui-estimate.c, which asks libtact's) that follows every
 * key. A field with bad input is marked where it is, with the reason;
 * Start looks hostnames up, estimates once more, is refused while
 * anything is wrong or out of scope, and asks for confirmation where
 * the rules do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "port-spec.h"
#include "privs.h"
#include "profile.h"
#include "tui.h"
#include "xmalloc.h"

#define BUILDER_LABEL	10	/* columns before a field */
#define BUILDER_FIELD	32	/* a field's width */

struct screen_builder {
	char			**names;
	struct profile		**profiles;	/* NULL where it failed */
	char			**errors;	/* why it failed */
	size_t			  n;
	size_t			  sel;
	size_t			  top;
	enum tui_field		  focus;
	char			 *field[FIELD_MAX];
	int			  flags;	/* TUI_ESTIMATE_RAW or 0 */
	struct tui_estimate	  est;
};

static const char *screen_builder_labels[FIELD_MAX] = {
	[FIELD_PROFILE] = "Profile",
	[FIELD_TARGETS] = "Targets",
	[FIELD_PORTS] = "Ports",
	[FIELD_SCOPE] = "Scope",
	[FIELD_PURPOSE] = "Purpose",
};

static struct screen_builder *screen_builder_get(struct tui *);
static void	screen_builder_load(struct tui *, struct screen_builder *);
static void	screen_builder_update(struct screen_builder *, int);
static void	screen_builder_enter(struct tui *);
static void	screen_builder_free(struct tui *);
static void	screen_builder_draw(struct tui *, WINDOW *);
static int	screen_builder_profiles(struct tui *, struct screen_builder *,
		    WINDOW *, int);
static void	screen_builder_fields(struct screen_builder *, WINDOW *, int);
static void	screen_builder_estimate(struct tui *, struct screen_builder *,
		    WINDOW *, int);
static bool	screen_builder_key(struct tui *, int, enum tui_action);
static bool	screen_builder_editing(struct tui *);
static bool	screen_builder_edit(struct screen_builder *, int);
static void	screen_builder_start(struct tui *);
static int	screen_builder_go(struct tui *);
static char	*screen_builder_rate(char *, size_t, const struct profile *,
		    const char *);
static char	*screen_builder_time(char *, size_t, double);
static bool	 screen_builder_shown(const struct estimate *,
		    const struct estimate_warning *);
static size_t	 screen_builder_nports(const struct profile *);

const struct screen_ops screen_builder_ops = {
	.name = "new scan",
	.enter = screen_builder_enter,
	.draw = screen_builder_draw,
	.key = screen_builder_key,
	.editing = screen_builder_editing,
	.free = screen_builder_free,
};

static struct screen_builder *
screen_builder_get(struct tui *t)
{
	struct screen_builder	*b = t->data[SCREEN_BUILDER];
	int			 i;

	if (b != NULL)
		return (b);
	b = xcalloc(1, sizeof *b);
	for (i = 0; i < FIELD_MAX; i++)
		b->field[i] = xstrdup("");
	free(b->field[FIELD_TARGETS]);
	b->field[FIELD_TARGETS] = xstrdup(t->targets != NULL ? t->targets :
	    "127.0.0.1");
	if (t->scope != NULL) {
		free(b->field[FIELD_SCOPE]);
		b->field[FIELD_SCOPE] = xstrdup(t->scope);
	}
	b->focus = FIELD_TARGETS;
	if (privs_raw_allowed())
		b->flags = TUI_ESTIMATE_RAW;
	screen_builder_load(t, b);
	screen_builder_update(b, 0);
	t->data[SCREEN_BUILDER] = b;
	return (b);
}

/* Every profile on the search path, loaded to show its limits. */
static void
screen_builder_load(struct tui *t, struct screen_builder *b)
{
	const char	*want = t->profile != NULL ? t->profile :
			    PROFILE_DEFAULT;
	size_t		 i;

	b->names = profile_names((const char *const *)t->profile_dirs, &b->n);
	for (i = 0; i < b->n; i++) {
		if (strcmp(b->names[i], want) == 0)
			break;
	}
	/* A file, or a name not found: first, to show why it fails. */
	if (i == b->n) {
		b->names = xreallocarray(b->names, b->n + 1,
		    sizeof *b->names);
		memmove(b->names + 1, b->names, b->n * sizeof *b->names);
		b->names[0] = xstrdup(want);
		b->n++;
	}
	b->profiles = xcalloc(b->n, sizeof *b->profiles);
	b->errors = xcalloc(b->n, sizeof *b->errors);
	for (i = 0; i < b->n; i++) {
		b->profiles[i] = profile_load(b->names[i],
		    (const char *const *)t->profile_dirs, &b->errors[i]);
		if (strcmp(b->names[i], want) == 0)
			b->sel = i;
	}
}

/* The estimate again; flags TUI_ESTIMATE_RESOLVE at Start. */
static void
screen_builder_update(struct screen_builder *b, int flags)
{
	tui_estimate(&b->est, b->n != 0 ? b->names[b->sel] : NULL,
	    b->n != 0 ? b->profiles[b->sel] : NULL, b->field,
	    b->flags | flags);
	if (b->n != 0 && b->profiles[b->sel] == NULL) {
		free(b->est.error[FIELD_PROFILE]);
		b->est.error[FIELD_PROFILE] = xstrdup(b->errors[b->sel]);
	}
}

/* With targets from the command line, start at once, as Enter would. */
static void
screen_builder_enter(struct tui *t)
{
	screen_builder_get(t);
	if (t->start_now) {
		t->start_now = false;
		screen_builder_start(t);
	}
}

static void
screen_builder_free(struct tui *t)
{
	struct screen_builder	*b = t->data[SCREEN_BUILDER];
	size_t			 i;

	for (i = 0; i < b->n; i++) {
		free(b->names[i]);
		profile_free(b->profiles[i]);
		free(b->errors[i]);
	}
	free(b->names);
	free(b->profiles);
	free(b->errors);
	for (i = 0; i < FIELD_MAX; i++)
		free(b->field[i]);
	tui_estimate_clear(&b->est);
	free(b);
}

/* How many ports a profile's port list names. */
static size_t
screen_builder_nports(const struct profile *p)
{
	struct port_list	 l = { NULL, 0 };
	char			*cause;
	size_t			 n;

	if (port_spec_parse(&l, p->ports, p->scan_type == PROFILE_SCAN_UDP ?
	    PORT_UDP : PORT_TCP, &cause) != 0) {
		free(cause);
		return (0);
	}
	n = l.n;
	port_list_free(&l);
	return (n);
}

/* A profile's limit as `tact profile list` shows it ("10/s", "none"). */
static char *
screen_builder_rate(char *buf, size_t len, const struct profile *p,
    const char *key)
{
	char	*v = profile_value(p, key);

	snprintf(buf, len, "%s", v);
	free(v);
	return (buf);
}

/* Seconds as a duration; more than a year reads as such. */
static char *
screen_builder_time(char *buf, size_t len, double s)
{
	if (s >= 365 * 86400.0)
		snprintf(buf, len, "over a year");
	else
		tui_draw_duration(buf, len, (uint64_t)(s * 1e9));
	return (buf);
}

/* The profiles, one a line with their limits; returns the rows used. */
static int
screen_builder_profiles(struct tui *t, struct screen_builder *b,
    WINDOW *w, int rows)
{
	const struct profile	*p;
	struct tui_list		 l = { b->sel, b->top };
	char			 r1[16], r2[16], ports[16], quota[16];
	size_t			 i;
	int			 y;
	enum tui_role		 role;

	tui_draw_text(w, 0, 1, BUILDER_LABEL - 1, b->focus == FIELD_PROFILE ?
	    ROLE_SELECTED : ROLE_LABEL, screen_builder_labels[FIELD_PROFILE]);
	tui_draw_printf(w, 0, BUILDER_LABEL, -1, ROLE_LABEL, "  %-11s %6s "
	    "%8s %6s %7s %8s %9s %5s", "name", "rate", "per host", "flight",
	    "retries", "parallel", "ports", "quota");
	tui_draw_list_fit(&l, b->n, rows);
	b->top = l.top;
	for (y = 1, i = b->top; i < b->n && y <= rows; i++, y++) {
		role = ROLE_NORMAL;
		if (i == b->sel)
			role = b->focus == FIELD_PROFILE ? ROLE_SELECTED :
			    ROLE_LABEL;
		if ((p = b->profiles[i]) == NULL) {
			tui_draw_printf(w, y, BUILDER_LABEL, -1, role,
			    "%c %-11s %s", i == b->sel ? '>' : ' ',
			    b->names[i], "invalid");
			continue;
		}
		if (p->ports != NULL && strlen(p->ports) > 9)
			snprintf(ports, sizeof ports, "%zu ports",
			    screen_builder_nports(p));
		else if (p->ports != NULL)
			snprintf(ports, sizeof ports, "%s", p->ports);
		else if (p->scan_type == PROFILE_SCAN_PING)
			snprintf(ports, sizeof ports, "none");
		else
			snprintf(ports, sizeof ports, "top %u", p->top_ports);
		if (p->daily_quota != 0)
			snprintf(quota, sizeof quota, "%u/d", p->daily_quota);
		else
			snprintf(quota, sizeof quota, "-");
		tui_draw_printf(w, y, BUILDER_LABEL, -1, role, "%c %-11.11s "
		    "%6s %8s %6u %7u %8u %9.9s %5s", i == b->sel ? '>' : ' ',
		    p->name, screen_builder_rate(r1, sizeof r1, p, "max_rate"),
		    screen_builder_rate(r2, sizeof r2, p, "host_max_rate"),
		    p->host_max_outstanding, p->max_retries,
		    p->max_parallel_hosts, ports, quota);
	}
	y = rows + 1;
	if (b->n != 0 && b->profiles[b->sel] != NULL)
		tui_draw_printf(w, y, BUILDER_LABEL, -1, ROLE_NORMAL, "%s",
		    b->profiles[b->sel]->description != NULL ?
		    b->profiles[b->sel]->description : "");
	else if (b->est.error[FIELD_PROFILE] != NULL)
		tui_draw_printf(w, y, BUILDER_LABEL, -1, ROLE_INVALID, "! %s",
		    b->est.error[FIELD_PROFILE]);
	tui_draw_scroll(w, y, b->top, (size_t)rows, b->n);
	tui_draw_hline(t, w, y + 1, 0, getmaxx(w));
	return (y + 2);
}

/* The text fields, each with its error beside it. */
static void
screen_builder_fields(struct screen_builder *b, WINDOW *w, int y)
{
	const char	*text, *hint;
	size_t		 len;
	int		 i, shown;

	for (i = FIELD_TARGETS; i < FIELD_MAX; i++, y++) {
		tui_draw_text(w, y, 1, BUILDER_LABEL - 1,
		    b->focus == (enum tui_field)i ? ROLE_SELECTED : ROLE_LABEL,
		    screen_builder_labels[i]);
		text = b->field[i];
		len = strlen(text);
		shown = BUILDER_FIELD - 1;
		if (len > (size_t)shown)
			text += len - (size_t)shown;
		mvwaddch(w, y, BUILDER_LABEL, '[');
		tui_draw_printf(w, y, BUILDER_LABEL + 1, BUILDER_FIELD,
		    b->est.error[i] != NULL ? ROLE_INVALID : ROLE_NORMAL,
		    "%-*s", BUILDER_FIELD, text);
		if (b->focus == (enum tui_field)i)
			tui_draw_text(w, y, BUILDER_LABEL + 1 +
			    (int)strlen(text), 1, ROLE_SELECTED, " ");
		mvwaddch(w, y, BUILDER_LABEL + 1 + BUILDER_FIELD, ']');
		hint = NULL;
		if (i == FIELD_PORTS && *b->field[i] == '\0')
			hint = "(the profile's)";
		else if (i == FIELD_SCOPE && *b->field[i] == '\0')
			hint = "(none: loopback only)";
		if (b->est.error[i] != NULL)
			tui_draw_printf(w, y, BUILDER_LABEL + BUILDER_FIELD + 3,
			    -1, ROLE_INVALID, "! %s", b->est.error[i]);
		else if (hint != NULL)
			tui_draw_text(w, y, BUILDER_LABEL + BUILDER_FIELD + 3,
			    -1, ROLE_NORMAL, hint);
	}
}

/* Whether a warning is shown already, at a field or as the verdict. */
static bool
screen_builder_shown(const struct estimate *e, const struct estimate_warning *w)
{
	return (w->code == ESTIMATE_WARN_HOSTS ||
	    w->code == ESTIMATE_WARN_PORTS ||
	    (e->reason != NULL && strcmp(w->text, e->reason) == 0));
}

static void
screen_builder_estimate(struct tui *t, struct screen_builder *b,
    WINDOW *w, int y)
{
	const struct tui_estimate	*te = &b->est;
	const struct estimate		*e = &te->est;
	char				 a[32], c[32], d[32], r[32], *text;
	size_t				 i;
	int				 cols = getmaxx(w) - 2;
	enum tui_role			 role;

	tui_draw_hline(t, w, y, 0, getmaxx(w));
	tui_draw_text(w, y++, 2, -1, ROLE_LABEL, " estimate ");
	/* The first error whole, wrapped: beside its field it is cut. */
	for (i = 0; i < FIELD_MAX; i++) {
		if (te->error[i] == NULL)
			continue;
		xasprintf(&text, "%s: %s", screen_builder_labels[i],
		    te->error[i]);
		y += tui_draw_wrap(w, y, 1, cols, getmaxy(w) - y,
		    ROLE_INVALID, text);
		free(text);
		break;
	}
	if (!te->valid)
		return;
	tui_draw_printf(w, y++, 1, -1, ROLE_NORMAL, "hosts %s%s   ports %s   "
	    "probes %s (at most %s with retries)",
	    tui_draw_count(a, sizeof a, e->hosts), te->names != 0 ?
	    " + names" : "", tui_draw_count(c, sizeof c, e->ports),
	    tui_draw_count(d, sizeof d, e->probes),
	    tui_draw_count(r, sizeof r, e->probes_worst));
	screen_builder_time(a, sizeof a, e->seconds);
	screen_builder_time(d, sizeof d, e->seconds_worst);
	tui_draw_printf(w, y++, 1, -1, ROLE_NORMAL, "takes at least %s, %s "
	    "if nothing answers", a, d);
	snprintf(r, sizeof r, "%u", e->outstanding);
	if (e->host_rate > 0)
		snprintf(c, sizeof c, "%g/s", e->host_rate);
	tui_draw_printf(w, y++, 1, -1, ROLE_NORMAL, "peak a host: %s, %s in "
	    "flight", e->host_rate > 0 ? c : "congestion control",
	    e->outstanding > 0 ? r : "any number");
	role = te->verdict == VERDICT_OK ? ROLE_UP : te->verdict ==
	    VERDICT_CONFIRM ? ROLE_WARN : ROLE_ALERT;
	xasprintf(&text, "scope: %s", te->verdict_text);
	y += tui_draw_wrap(w, y, 1, cols, getmaxy(w) - y, role, text);
	free(text);
	for (i = 0; i < e->nwarn && y < getmaxy(w); i++) {
		if (screen_builder_shown(e, &e->warn[i]))
			continue;
		xasprintf(&text, "warning: %s", e->warn[i].text);
		y += tui_draw_wrap(w, y, 1, cols, getmaxy(w) - y, ROLE_WARN,
		    text);
		free(text);
	}
}

static void
screen_builder_draw(struct tui *t, WINDOW *w)
{
	struct screen_builder	*b = screen_builder_get(t);
	int			 rows = getmaxy(w), prows, y;

	prows = (int)b->n;
	if (prows > rows - 15)
		prows = rows - 15;
	if (prows < 3)
		prows = 3;
	y = screen_builder_profiles(t, b, w, prows);
	screen_builder_fields(b, w, y);
	screen_builder_estimate(t, b, w, y + FIELD_MAX - 1);
}

/* The focus is on a text field, not on the profile list. */
static bool
screen_builder_editing(struct tui *t)
{
	return (screen_builder_get(t)->focus != FIELD_PROFILE);
}

/* Typing into a text field; false for keys that are not editing. */
static bool
screen_builder_edit(struct screen_builder *b, int key)
{
	char	*f = b->field[b->focus];
	size_t	 len = strlen(f);

	if (b->focus == FIELD_PROFILE)
		return (false);
	if (key == KEY_BACKSPACE || key == 127 || key == 8) {
		if (len > 0)
			f[len - 1] = '\0';
	} else if (key == 21)	/* ^U */
		f[0] = '\0';
	else if (key >= 0x20 && key < 0x7f && len < TUI_FIELD_MAX) {
		b->field[b->focus] = f = xreallocarray(f, len + 2, 1);
		f[len] = (char)key;
		f[len + 1] = '\0';
	} else
		return (false);
	return (true);
}

static bool
screen_builder_key(struct tui *t, int key, enum tui_action a)
{
	struct screen_builder	*b = screen_builder_get(t);

	if (screen_builder_edit(b, key)) {
		screen_builder_update(b, 0);
		return (true);
	}
	switch (a) {
	case ACTION_NEXT_FIELD:
		b->focus = (b->focus + 1) % FIELD_MAX;
		return (true);
	case ACTION_PREV_FIELD:
		b->focus = (b->focus + FIELD_MAX - 1) % FIELD_MAX;
		return (true);
	case ACTION_UP:
	case ACTION_DOWN:
		if (b->focus != FIELD_PROFILE) {
			b->focus = (b->focus + (a == ACTION_UP ? FIELD_MAX -
			    1 : 1)) % FIELD_MAX;
			return (true);
		}
		if (b->n == 0)
			return (true);
		if (a == ACTION_UP)
			b->sel = b->sel == 0 ? b->n - 1 : b->sel - 1;
		else
			b->sel = (b->sel + 1) % b->n;
		screen_builder_update(b, 0);
		return (true);
	case ACTION_START:
		screen_builder_start(t);
		return (true);
	case ACTION_BACK:
		if (b->focus == FIELD_PROFILE)
			return (false);
		b->focus = FIELD_PROFILE;
		return (true);
	default:
		return (false);
	}
}

static void
screen_builder_start(struct tui *t)
{
	struct screen_builder	*b = screen_builder_get(t);
	struct tui_estimate	*e = &b->est;
	int			 i;

	screen_builder_update(b, TUI_ESTIMATE_RESOLVE);
	for (i = 0; i < FIELD_MAX; i++) {
		if (e->error[i] != NULL) {
			b->focus = i;
			tui_message(t, true, "%s: %s",
			    screen_builder_labels[i], e->error[i]);
			return;
		}
	}
	if (!e->valid || e->verdict == VERDICT_REFUSED) {
		tui_message(t, true, "refused: %s", e->verdict_text != NULL ?
		    e->verdict_text : "cannot estimate");
		return;
	}
	if (e->verdict == VERDICT_CONFIRM) {
		tui_ask(t, screen_builder_go, "not loopback, no scope file: "
		    "have you written permission to scan?");
		return;
	}
	screen_builder_go(t);
}

/*
 * Start the engine as a process of its own and watch it: the arguments
 * estimated at Start, with the permission the user confirmed.
 */
static int
screen_builder_go(struct tui *t)
{
	struct screen_builder	*b = screen_builder_get(t);
	char			**args, **argv, *copy, *cause;
	size_t			  names, n;
	int			  rc;

	args = tui_estimate_argv(b->names[b->sel], b->field,
	    TUI_ESTIMATE_RESOLVE, b->est.verdict == VERDICT_CONFIRM, &names,
	    &copy);
	for (n = 0; args[n] != NULL; n++)
		;
	argv = xcalloc(n + 2, sizeof *argv);
	argv[0] = t->self;
	memcpy(argv + 1, args, (n + 1) * sizeof *argv);
	rc = tui_start(t, argv, &cause);
	free(argv);
	free(args);
	free(copy);
	if (rc != 0) {
		tui_message(t, true, "%s", cause);
		free(cause);
		return (-1);
	}
	tui_go(t, SCREEN_LIVE);
	return (0);
}
