/*
 * `tact` and `tact ui`: open the dashboard on the scan builder, with the
 * profile given by -P chosen. The dashboard starts scans as processes of
 * their own (`tact scan --detach`), so it needs the path of this program.
 */
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
static void	 cmd_ui_free(struct tui *);

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

static void
cmd_ui_free(struct tui *t)
{
	tui_detach(t);
	cmd_profile_dirs_free(t->profile_dirs);
	free(t->self);
	free(t->profile);
	free(t->message);
	free(t->confirm_text);
	free(t->errors);
}

int
cmd_ui(int argc, char **argv)
{
	struct tui	 t;
	int		 ch, rc;

	setlocale(LC_ALL, "");
	memset(&t, 0, sizeof t);
	optind = 1;
	while ((ch = getopt(argc, argv, "P:")) != -1) {
		switch (ch) {
		case 'P':
			free(t.profile);
			t.profile = xstrdup(optarg);
			break;
		default:
			cmd_error("ui", "usage: tact ui [-P profile]");
			free(t.profile);
			return (TACT_EXIT_INPUT);
		}
	}
	if (optind != argc) {
		cmd_error("ui", "%s: unexpected argument", argv[optind]);
		free(t.profile);
		return (TACT_EXIT_INPUT);
	}
	t.self = cmd_ui_self(argv[0]);
	t.profile_dirs = cmd_profile_dirs();
	t.screen = SCREEN_BUILDER;
	rc = tui_run(&t);
	cmd_ui_free(&t);
	return (rc == 0 ? TACT_EXIT_OK : TACT_EXIT_RUNTIME);
}
