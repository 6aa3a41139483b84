/*
 * The tact program: find the command named by argv[1] in one table and
 * run it. With no command, open the dashboard. `tact help [command]`,
 * `tact -h`, `tact --help` and `tact COMMAND --help` (or -h) say how to
 * use it; `tact -V` and `--version` which version it is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "scan-opts.h"
#include "tact.h"

static void	usage(FILE *);
static int	cmd_help(int, char **);
static int	version(void);

/* Every command, in the order usage() lists them. */
static const struct cmd_entry cmd_table[] = {
	{ "ui", "[-T profile] [target ...]", "open the dashboard (the default)",
	    cmd_ui },
	{ "scan", NULL, "scan without the dashboard", cmd_scan },
	{ "estimate", NULL, "show what a scan would send, send nothing",
	    cmd_estimate },
	{ "attach", "[id]", "watch a running scan in the dashboard",
	    cmd_attach },
	{ "list", "[--state-dir dir]", "list the scans on this machine",
	    cmd_list },
	{ "resume", "[--detach] [--state-dir dir] id",
	    "continue an interrupted scan",
	    cmd_resume },
	{ "stop", "id", "stop a running scan", cmd_stop },
	{ "report", "id | journal [-oN|-oX|-oG|-oJ file] [-oA base]",
	    "write a scan's outputs again from its journal", cmd_report },
	{ "diff", "a b", "compare two scans (IDs, journals or XML outputs)",
	    cmd_diff },
	{ "merge", "[-oN|-oX|-oG|-oJ file] [-oA base] shard ...",
	    "merge the shards of a scan (IDs, journals or directories)",
	    cmd_merge },
	{ "profile", "list | show name | check file",
	    "list, show or check politeness profiles", cmd_profile },
	{ "scope", "check file | show [file]",
	    "check or show an authorization scope", cmd_scope },
	{ "help", "[command]", "show how to use tact or one command",
	    cmd_help },
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

void
cmd_usage(const struct cmd_entry *cmd, FILE *f)
{
	const char	*u = cmd->usage;

	if (u == NULL)
		u = scan_opts_usage();
	fprintf(f, "  %-9s %s\n", cmd->name, cmd->summary);
	fprintf(f, "            tact %s %s\n", cmd->name, u);
}

static void
usage(FILE *f)
{
	size_t	i;

	fprintf(f, "usage: tact [-h | --help | -V | --version] "
	    "[command [args]]\n\ncommands:\n");
	for (i = 0; i < CMD_COUNT; i++)
		cmd_usage(&cmd_table[i], f);
	fprintf(f, "\nSee tact(1). Scan only networks you are authorized to "
	    "scan.\n");
}

/* Flush what was printed on stdout: 0, or 1 when it could not be. */
int
cmd_flush(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cmd_error(NULL, "standard output: write error");
		return (TACT_EXIT_RUNTIME);
	}
	return (TACT_EXIT_OK);
}

static int
version(void)
{
	printf("tact %s\n", PACKAGE_VERSION);
	return (cmd_flush());
}

/* `tact help [command]`. */
static int
cmd_help(int argc, char **argv)
{
	const struct cmd_entry	*cmd;

	if (argc > 2) {
		cmd_error("help", "usage: tact help [command]");
		return (TACT_EXIT_INPUT);
	}
	if (argc == 1) {
		usage(stdout);
		return (cmd_flush());
	}
	if ((cmd = cmd_find(argv[1])) == NULL) {
		cmd_error("help", "%s: unknown command (try tact help)",
		    argv[1]);
		return (TACT_EXIT_INPUT);
	}
	printf("usage:\n");
	cmd_usage(cmd, stdout);
	return (cmd_flush());
}

int
main(int argc, char **argv)
{
	const struct cmd_entry	*cmd;
	char			*dflt[] = { (char *)"ui", NULL };

	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return (cmd_flush());
	}
	if (argc >= 2 && (strcmp(argv[1], "--version") == 0 ||
	    strcmp(argv[1], "-V") == 0))
		return (version());
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
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		printf("usage:\n");
		cmd_usage(cmd, stdout);
		return (cmd_flush());
	}
	return (cmd->exec(argc, argv));
}
