/*
 * `tact scan`: parse the scan options and build the scan's definition,
 * so that bad input is refused before anything else happens; then list
 * the targets (-sL), or make the scan's plan (cmd-common.c) and print
 * the estimate of what it would send and whether it may (--dry-run, as
 * `tact estimate`) or run it. Listing and estimating send nothing.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "scan-def.h"
#include "scan-opts.h"
#include "tact.h"
#include "target.h"

static int	cmd_scan_list(const struct scan_def *);

/* -sL: every target address, one a line, in ascending order. */
static int
cmd_scan_list(const struct scan_def *def)
{
	struct target_addr	 a;
	char			 buf[64];
	uint64_t		 i, n = target_set_count(def->targets);

	for (i = 0; i < n; i++) {
		target_set_get(def->targets, i, &a);
		if (puts(target_addr_str(&a, buf, sizeof buf)) == EOF)
			break;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cmd_error("scan", "standard output: write error");
		return (TACT_EXIT_RUNTIME);
	}
	return (TACT_EXIT_OK);
}

/*
 * Parse the scan options of command name (taking --shard auto/n's index
 * from the job engine) and build the scan they define;
 * on bad input print why and return TACT_EXIT_INPUT, with nothing left to
 * free; with -h or -V print that and return CMD_DONE. Shared by `tact
 * scan` and `tact estimate`.
 */
int
cmd_scan_parse(const char *name, int argc, char **argv, struct scan_opts *o,
    struct scan_def **def)
{
	char	*cause;

	if (scan_opts_parse(o, argc, argv, &cause) != 0) {
		cmd_error(name, "%s", cause);
		free(cause);
		return (TACT_EXIT_INPUT);
	}
	if (o->help || o->show_version) {
		if (o->help) {
			printf("usage:\n");
			cmd_usage(cmd_find(name), stdout);
		} else
			printf("tact %s\n", PACKAGE_VERSION);
		scan_opts_free(o);
		return (cmd_flush() == TACT_EXIT_OK ? CMD_DONE :
		    TACT_EXIT_RUNTIME);
	}
	if (o->shard_auto && cmd_shard_auto(o, &cause) != 0) {
		cmd_error(name, "%s", cause);
		free(cause);
		scan_opts_free(o);
		return (TACT_EXIT_INPUT);
	}
	if ((*def = scan_def_create(o, &cause)) == NULL) {
		cmd_error(NULL, "%s", cause);
		free(cause);
		scan_opts_free(o);
		return (TACT_EXIT_INPUT);
	}
	return (TACT_EXIT_OK);
}

int
cmd_scan(int argc, char **argv)
{
	struct scan_opts	 o;
	struct scan_def		*def;
	struct cmd_plan		 c;
	char			*cause = NULL;
	int			 rc;

	if ((rc = cmd_scan_parse("scan", argc, argv, &o, &def)) != 0)
		return (rc == CMD_DONE ? TACT_EXIT_OK : rc);
	if (def->list_only) {
		rc = cmd_scan_list(def);
		scan_def_free(def);
		scan_opts_free(&o);
		return (rc);
	}
	if ((rc = cmd_plan_create(&c, &o, def, &cause)) != 0) {
		cmd_error(NULL, "%s", cause);
		free(cause);
		cmd_plan_free(&c);
		scan_def_free(def);
	} else if (o.dry_run) {
		rc = cmd_estimate_show("scan", &c);
		cmd_plan_free(&c);
		scan_def_free(def);
	} else
		rc = cmd_scan_run(&o, def, &c, NULL, NULL);	/* takes over */
	scan_opts_free(&o);
	return (rc);
}
