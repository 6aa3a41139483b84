/*
 * `tact scan`: parse the scan options, then list (-sL), estimate
 * (--dry-run) or run the scan.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "scan-opts.h"
#include "tact.h"

int
cmd_scan(int argc, char **argv)
{
	struct scan_opts	 o;
	char			*cause;
	int			 rc;

	if (scan_opts_parse(&o, argc, argv, &cause) != 0) {
		cmd_error("scan", "%s", cause);
		free(cause);
		return (TACT_EXIT_INPUT);
	}
	rc = cmd_scan_run(&o);
	scan_opts_free(&o);
	return (rc);
}
