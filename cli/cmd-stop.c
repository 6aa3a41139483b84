/*
 * `tact stop ID`: ask a running scan to stop through its control socket
 * and wait (a little) until its engine has written the end and exited,
 * so that `tact list` shows it stopped once this returns; then say what
 * was stopped, and how far it had come, from its journal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "control.h"
#include "output-escape.h"
#include "scan-dir.h"
#include "tact.h"
#include "xmalloc.h"

#define STOP_WAIT_MS	10000
#define STOP_POLL_MS	50
/* The most characters of the targets the line shows. */
#define STOP_TARGETS_MAX	200

static int	stop_said(const struct scan_dir *, char **);

/* "stopped scan ID of TARGETS at 42.0%: 1 host up, 2 open ports". */
static int
stop_said(const struct scan_dir *d, char **cause)
{
	struct scan_dir_summary	 s;
	char			 pct[16] = "-", *t;

	if (scan_dir_summary(d, &s, cause) != 0) {
		scan_dir_summary_free(&s);
		return (-1);
	}
	if (s.pairs_total != 0)
		snprintf(pct, sizeof pct, "%.1f%%",
		    100.0 * (double)s.pairs_done / (double)s.pairs_total);
	t = output_escape_cut(s.targets != NULL ? s.targets : "-",
	    s.targets != NULL ? strlen(s.targets) : 1, STOP_TARGETS_MAX);
	printf("stopped scan %s of %s at %s: %llu host%s up, %llu open "
	    "port%s\n", d->id, t, pct, (unsigned long long)s.hosts_up,
	    s.hosts_up == 1 ? "" : "s", (unsigned long long)s.open_ports,
	    s.open_ports == 1 ? "" : "s");
	free(t);
	scan_dir_summary_free(&s);
	return (0);
}

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
	if (cmd_scan_dir_base(&b, NULL, &cause) != 0) {
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
	if (stop_said(d, &cause) != 0)
		goto out;
	rc = cmd_flush();

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
