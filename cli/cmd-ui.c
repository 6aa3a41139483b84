/*
 * `tact` and `tact ui`: open the dashboard on the scan builder, with the
 * profile given by -T (or --profile) chosen; with targets, start
 * scanning them at once.
 * The dashboard starts scans as processes of their own (`tact scan
 * --detach`), so it needs the path of this program.
 */
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "tact.h"
#include "xmalloc.h"
#include "../tui/tui.h"

static char	*cmd_ui_self(const char *);
static char	*cmd_ui_join(int, char **);
static int	 cmd_ui_init(struct tui *, const char *);
static void	 cmd_ui_free(struct tui *);
static int	 cmd_ui_run(struct tui *, const char *);

/* This program's path, so the dashboard can start the engine. */
static char *
cmd_ui_self(const char *argv0)
{
	char	buf[PATH_MAX];
	ssize_t	n;

	if ((n = readlink("/proc/self/exe", buf, sizeof buf - 1)) > 0) {
		buf[n] = '\0';
		return (xstrdup(buf));
	}
	return (xstrdup(argv0));
}

/* The targets of `tact ui TARGET...`, as the builder's field holds them. */
static char *
cmd_ui_join(int argc, char **argv)
{
	char	*s, *old;
	int	 i;

	s = xstrdup(argv[0]);
	for (i = 1; i < argc; i++) {
		old = s;
		xasprintf(&s, "%s %s", old, argv[i]);
		free(old);
	}
	return (s);
}

/* What every view needs: this program, the profiles, the scan dirs. */
static int
cmd_ui_init(struct tui *t, const char *argv0)
{
	char	*cause;

	if (cmd_scan_dir_base(&t->base, NULL, &cause) != 0) {
		cmd_error("ui", "%s", cause);
		free(cause);
		return (-1);
	}
	t->self = cmd_ui_self(argv0);
	t->profile_dirs = cmd_profile_dirs();
	t->scope = cmd_scope_path(NULL);
	return (0);
}

static void
cmd_ui_free(struct tui *t)
{
	tui_detach(t);
	scan_dir_base_free(&t->base);
	cmd_profile_dirs_free(t->profile_dirs);
	free(t->self);
	free(t->profile);
	free(t->scope);
	free(t->targets);
	free(t->message);
	free(t->confirm_text);
	free(t->errors);
}

/* Open the dashboard: on the builder, or watching the scan id. */
static int
cmd_ui_run(struct tui *t, const char *id)
{
	char	*cause;
	int	 rc;

	/* Without one, curses would read nothing for ever. */
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		cmd_error("ui", "needs a terminal");
		return (TACT_EXIT_INPUT);
	}
	t->screen = SCREEN_BUILDER;
	if (id != NULL) {
		if (tui_attach(t, id, &cause) != 0) {
			cmd_error("attach", "%s", cause);
			free(cause);
			return (TACT_EXIT_INPUT);
		}
		t->screen = SCREEN_LIVE;
		t->back[t->nback++] = SCREEN_BUILDER;
	}
	rc = tui_run(t);
	if (rc != 0)
		return (TACT_EXIT_RUNTIME);
	/* Left watching a scan whose engine is gone, as attach says. */
	return (t->scan != NULL && t->scan->interrupted ?
	    TACT_EXIT_INTERRUPTED : TACT_EXIT_OK);
}

int
cmd_ui(int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "profile", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 }
	};
	struct tui			 t;
	int				 ch, rc;

	setlocale(LC_ALL, "");
	memset(&t, 0, sizeof t);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "T:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'T':
			free(t.profile);
			t.profile = xstrdup(optarg);
			break;
		default:
			cmd_error("ui", "usage: tact ui [-T profile] "
			    "[target ...]");
			free(t.profile);
			return (TACT_EXIT_INPUT);
		}
	}
	if (cmd_ui_init(&t, argv[0]) != 0) {
		free(t.profile);
		return (TACT_EXIT_RUNTIME);
	}
	if (optind != argc) {
		t.targets = cmd_ui_join(argc - optind, argv + optind);
		t.start_now = true;
	}
	rc = cmd_ui_run(&t, NULL);
	cmd_ui_free(&t);
	return (rc);
}

/* `tact attach ID` on a terminal: the dashboard, watching that scan. */
int
cmd_ui_attach(const char *id)
{
	struct tui	 t;
	int		 rc;

	setlocale(LC_ALL, "");
	memset(&t, 0, sizeof t);
	if (cmd_ui_init(&t, "tact") != 0)
		return (TACT_EXIT_RUNTIME);
	rc = cmd_ui_run(&t, id);
	cmd_ui_free(&t);
	return (rc);
}
