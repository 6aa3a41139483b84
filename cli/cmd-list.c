/*
 * `tact list`: every scan of this user on this machine, oldest first,
 * with its state, progress and what it scans, read from the journals and
 * the engines' locks. A scan that cannot be read is listed with why, and
 * the others still are. Its profile and targets come from a file and are
 * escaped and cut before they reach the terminal. With no scan at all it
 * says so, and where it looked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "output-escape.h"
#include "scan-dir.h"
#include "tact.h"
#include "xmalloc.h"

/* The most characters of a journal's string or a reason a row shows. */
#define LIST_PROFILE_MAX	40
#define LIST_TARGETS_MAX	200

static void	list_row(const char *, const struct scan_dir_summary *);
static void	list_bad_row(const char *, const char *);
static char	*list_text(const char *, size_t);

/* s escaped for the terminal and cut to max characters; "-" for none. */
static char *
list_text(const char *s, size_t max)
{
	if (s == NULL)
		return (xstrdup("-"));
	return (output_escape_cut(s, strlen(s), max));
}

static void
list_row(const char *id, const struct scan_dir_summary *s)
{
	struct tm	tm;
	time_t		t = (time_t)s->wall_start;
	char		started[32], progress[16], *profile, *targets;

	if (s->wall_start != 0 && localtime_r(&t, &tm) != NULL)
		strftime(started, sizeof started, "%Y-%m-%d %H:%M", &tm);
	else
		snprintf(started, sizeof started, "-");
	if (s->pairs_total != 0)
		snprintf(progress, sizeof progress, "%.1f%%",
		    100.0 * (double)s->pairs_done / (double)s->pairs_total);
	else
		snprintf(progress, sizeof progress, "-");
	profile = list_text(s->profile, LIST_PROFILE_MAX);
	targets = list_text(s->targets, LIST_TARGETS_MAX);
	printf("%-20s  %-11s  %-16s  %8s  %5llu  %5llu  %-10s  %s\n", id,
	    scan_dir_state_name(s->state), started, progress,
	    (unsigned long long)s->hosts_up,
	    (unsigned long long)s->open_ports, profile, targets);
	free(profile);
	free(targets);
}

/* A scan that cannot be read: its ID, "unreadable" and why. */
static void
list_bad_row(const char *id, const char *why)
{
	char	*e = list_text(why, LIST_TARGETS_MAX);

	printf("%-20s  %-11s  %s\n", id, "unreadable", e);
	free(e);
}

int
cmd_list(int argc, char **argv)
{
	struct scan_dir_base	  b;
	struct scan_dir		 *d;
	struct scan_dir_summary	 *s;
	char			**ids, **bad, *cause, *e;
	size_t			  n, i;
	int			  rc = TACT_EXIT_OK;

	if (argc != 1 && (argc != 3 || strcmp(argv[1], "--state-dir") != 0)) {
		cmd_error("list", "usage: tact list [--state-dir dir]");
		return (TACT_EXIT_INPUT);
	}
	if (cmd_scan_dir_base(&b, argc == 3 ? argv[2] : NULL, &cause) != 0) {
		cmd_error("list", "%s", cause);
		free(cause);
		return (TACT_EXIT_INPUT);
	}
	if (scan_dir_list(&b, &ids, &n, &cause) != 0) {
		cmd_error("list", "%s", cause);
		free(cause);
		scan_dir_base_free(&b);
		return (TACT_EXIT_RUNTIME);
	}

	/* A scan that cannot be read is listed with why; exit 1. */
	s = xcalloc(n + 1, sizeof *s);
	bad = xcalloc(n + 1, sizeof *bad);
	for (i = 0; i < n; i++) {
		if ((d = scan_dir_open(&b, ids[i], &bad[i])) != NULL)
			scan_dir_summary(d, &s[i], &bad[i]);
		scan_dir_free(d);
		if (bad[i] != NULL)
			rc = TACT_EXIT_RUNTIME;
	}
	if (n == 0) {
		e = list_text(b.state, LIST_TARGETS_MAX);
		printf("no scans in %s\n", e);
		free(e);
	} else
		printf("%-20s  %-11s  %-16s  %8s  %5s  %5s  %-10s  %s\n", "ID",
		    "STATE", "STARTED", "PROGRESS", "UP", "OPEN", "PROFILE",
		    "TARGETS");
	for (i = 0; i < n; i++) {
		if (bad[i] != NULL)
			list_bad_row(ids[i], bad[i]);
		else
			list_row(ids[i], &s[i]);
		scan_dir_summary_free(&s[i]);
		free(bad[i]);
	}
	free(s);
	free(bad);
	scan_dir_list_free(ids, n);
	scan_dir_base_free(&b);
	if (fflush(stdout) != 0)
		rc = TACT_EXIT_RUNTIME;
	return (rc);
}
