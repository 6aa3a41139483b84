/*
 * `tact list`: every scan of this user on this machine, oldest first,
 * with its state, progress and what it scans, read from the journals and
 * the engines' locks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cmd.h"
#include "scan-dir.h"
#include "tact.h"
#include "xmalloc.h"

static void	list_row(const char *, const struct scan_dir_summary *);

static void
list_row(const char *id, const struct scan_dir_summary *s)
{
	struct tm	tm;
	time_t		t = (time_t)s->wall_start;
	char		started[32], progress[16];

	if (s->wall_start != 0 && localtime_r(&t, &tm) != NULL)
		strftime(started, sizeof started, "%Y-%m-%d %H:%M", &tm);
	else
		snprintf(started, sizeof started, "-");
	if (s->pairs_total != 0)
		snprintf(progress, sizeof progress, "%.1f%%",
		    100.0 * (double)s->pairs_done / (double)s->pairs_total);
	else
		snprintf(progress, sizeof progress, "-");
	printf("%-20s  %-11s  %-16s  %8s  %5llu  %5llu  %-10s  %s\n", id,
	    scan_dir_state_name(s->state), started, progress,
	    (unsigned long long)s->hosts_up,
	    (unsigned long long)s->open_ports,
	    s->profile != NULL ? s->profile : "-",
	    s->targets != NULL ? s->targets : "-");
}

int
cmd_list(int argc, char **argv)
{
	struct scan_dir_base	  b;
	struct scan_dir		 *d;
	struct scan_dir_summary	 *s;
	char			**ids, *cause;
	size_t			  n, i, nread;
	int			  rc = TACT_EXIT_OK;

	if (argc != 1) {
		cmd_error("list", "takes no arguments");
		return (TACT_EXIT_INPUT);
	}
	if (cmd_scan_dir_base(&b, &cause) != 0) {
		cmd_error("list", "%s", cause);
		free(cause);
		return (TACT_EXIT_RUNTIME);
	}
	if (scan_dir_list(&b, &ids, &n, &cause) != 0) {
		cmd_error("list", "%s", cause);
		free(cause);
		scan_dir_base_free(&b);
		return (TACT_EXIT_RUNTIME);
	}

	/* Read every journal first: a damaged one means no output at all. */
	s = xcalloc(n + 1, sizeof *s);
	for (nread = 0; nread < n; nread++) {
		if ((d = scan_dir_open(&b, ids[nread], &cause)) == NULL ||
		    scan_dir_summary(d, &s[nread], &cause) != 0) {
			cmd_error("list", "%s", cause);
			free(cause);
			scan_dir_free(d);
			rc = TACT_EXIT_INPUT;
			break;
		}
		scan_dir_free(d);
	}
	if (rc == TACT_EXIT_OK && n > 0) {
		printf("%-20s  %-11s  %-16s  %8s  %5s  %5s  %-10s  %s\n", "ID",
		    "STATE", "STARTED", "PROGRESS", "UP", "OPEN", "PROFILE",
		    "TARGETS");
		for (i = 0; i < n; i++)
			list_row(ids[i], &s[i]);
	}
	for (i = 0; i < nread; i++)
		scan_dir_summary_free(&s[i]);
	free(s);
	scan_dir_list_free(ids, n);
	scan_dir_base_free(&b);
	if (rc == TACT_EXIT_OK && fflush(stdout) != 0)
		rc = TACT_EXIT_RUNTIME;
	return (rc);
}
