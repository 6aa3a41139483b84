/*
 * The tact program: find the command named by argv[1] in one table and
 * run it. With no command, open the dashboard.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "scan-opts.h"
#include "tact.h"

static void	usage(FILE *);

/* Every command, in the order usage() lists them. */
static const struct cmd_entry cmd_table[] = {
	{ "ui", "[-P profile] [target ...]", "open the dashboard (the default)",
	    cmd_ui },
	{ "scan", NULL, "scan without the dashboard", cmd_scan },
	{ "estimate", NULL, "show what a scan would send, send nothing",
	    cmd_estimate },
	{ "attach", "[id]", "watch a running scan in the dashboard",
	    cmd_attach },
	{ "list", "", "list the scans on this machine", cmd_list },
	{ "resume", "[--detach] id", "continue an interrupted scan",
	    cmd_resume },
	{ "stop", "id", "stop a running scan", cmd_stop },
	{ "report", "id | journal [-oN|-oX|-oG|-oJ file] [-oA base]",
	    "write a scan's outputs again from its journal", cmd_report },
	{ "diff", "a b", "compare two scans (IDs, journals or XML outputs)",
	    cmd_diff },
	{ "profile", "list | show name | check file",
	    "list, show or check politeness profiles", cmd_profile },
	{ "scope", "check file | show [file]",
	    "check or show an authorization scope", cmd_scope },
};

#define CMD_COUNT	(sizeof cmd_table / sizeof cmd_table[0])

const struct cmd_entry *
cmd_find(const char *name)
{
	size_t	i;

	for (i = 0; i < CMD_COUNT; i++) {
		if (strcmp(cmd_table[i].name, name) == 0)
			return (&cmd_table[i]);
	}
	return (NULL);
}

static void
usage(FILE *f)
{
	size_t		 i;
	const char	*u;

	fprintf(f, "usage: tact [--help | --version] [command [args]]\n\n"
	    "commands:\n");
	for (i = 0; i < CMD_COUNT; i++) {
		u = cmd_table[i].usage;
		if (u == NULL)
			u = scan_opts_usage();
		fprintf(f, "  %-9s %s\n", cmd_table[i].name,
		    cmd_table[i].summary);
		fprintf(f, "            tact %s %s\n", cmd_table[i].name, u);
	}
	fprintf(f, "\nScan only networks you are authorized to scan.\n");
}

int
main(int argc, char **argv)
{
	const struct cmd_entry	*cmd;
	char			*dflt[] = { (char *)"ui", NULL };

	if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return (fflush(stdout) == 0 ? TACT_EXIT_OK : TACT_EXIT_RUNTIME);
	}
	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		printf("tact %s\n", PACKAGE_VERSION);
		return (fflush(stdout) == 0 ? TACT_EXIT_OK : TACT_EXIT_RUNTIME);
	}
	if (argc < 2) {
		argc = 1;
		argv = dflt;
	} else {
		argc--;
		argv++;
	}
	if ((cmd = cmd_find(argv[0])) == NULL) {
		cmd_error(NULL, "%s: unknown command (try tact --help)",
		    argv[0]);
		return (TACT_EXIT_INPUT);
	}
	return (cmd->exec(argc, argv));
}
