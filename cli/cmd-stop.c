/*
 * `tact stop ID`: ask a running scan to stop through its control socket
 * and wait (a little) until its engine has written the end and exited,
 * so that `tact list` shows it stopped once this returns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cmd.h"
#include "control.h"
#include "scan-dir.h"
#include "tact.h"
#include "xmalloc.h"

#define STOP_WAIT_MS	10000
#define STOP_POLL_MS	50

int
cmd_stop(int argc, char **argv)
{
	struct scan_dir_base	 b;
	struct scan_dir		*d = NULL;
	struct timespec		 nap = { 0, STOP_POLL_MS * 1000000L };
	char			*cause = NULL, *reply = NULL;
	int			 rc = TACT_EXIT_INPUT, waited;

	if (argc != 2) {
		cmd_error("stop", "usage: tact stop id");
		return (TACT_EXIT_INPUT);
	}
	if (cmd_scan_dir_base(&b, &cause) != 0) {
		cmd_error("stop", "%s", cause);
		free(cause);
		return (TACT_EXIT_INPUT);
	}
	if ((d = scan_dir_open(&b, argv[1], &cause)) == NULL)
		goto out;
	rc = TACT_EXIT_RUNTIME;
	if (!scan_dir_running(d)) {
		xasprintf(&cause, "%s: not running", d->id);
		goto out;
	}
	if (control_send(d->control, EVENT_CONTROL_STOP, &reply, &cause) != 0)
		goto out;
	for (waited = 0; waited < STOP_WAIT_MS && scan_dir_running(d);
	    waited += STOP_POLL_MS)
		nanosleep(&nap, NULL);
	if (scan_dir_running(d)) {
		xasprintf(&cause, "%s: asked to stop, still running after %d s",
		    d->id, STOP_WAIT_MS / 1000);
		goto out;
	}
	rc = TACT_EXIT_OK;

out:
	if (cause != NULL) {
		cmd_error("stop", "%s", cause);
		free(cause);
	}
	free(reply);
	scan_dir_free(d);
	scan_dir_base_free(&b);
	return (rc);
}
