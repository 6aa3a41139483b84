/*
 * Run a scan from `tact scan`: load the profile, check the policy, start
 * the engine and write the outputs.
 */
#include "cmd.h"
#include "scan-opts.h"
#include "tact.h"

int
cmd_scan_run(struct scan_opts *o)
{
	(void)o;
	cmd_error("scan", "scanning is not built yet in this version");
	return (TACT_EXIT_INPUT);
}
