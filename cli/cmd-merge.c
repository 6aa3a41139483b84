/*
 * `tact merge`: put the shards of one scan back together and write its
 * outputs, as `tact report` writes one scan's. A shard is named by its
 * scan ID, its journal, its scan directory, or a state directory (as
 * --state-dir gave it) whose every scan is taken. The shards must be of
 * one scan and none twice (exit 2, one line saying what differs); the
 * outputs are written whatever is missing, and a line on stderr says how
 * much of the scan the shards cover: exit 1 when it is not all of it.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "output.h"
#include "results-merge.h"
#include "results.h"
#include "scan-dir.h"
#include "tact.h"
#include "xmalloc.h"

struct merge_in {
	struct results	**r;
	char		**names;
	size_t		  n;
};

static int	merge_load(struct merge_in *, const char *, char *, char **);
static int	merge_operand(struct merge_in *, const char *, char **);
static int	merge_dir(struct merge_in *, const char *, char **);
static void	merge_say(const struct results_merge *, size_t);

/* Add the shard whose journal is at path (or the scan ID), named name. */
static int
merge_load(struct merge_in *in, const char *path, char *name, char **cause)
{
	struct results	*r;

	if ((r = cmd_report_load(path, cause)) == NULL) {
		free(name);
		return (-1);
	}
	in->r = xreallocarray(in->r, in->n + 1, sizeof *in->r);
	in->names = xreallocarray(in->names, in->n + 1, sizeof *in->names);
	in->r[in->n] = r;
	in->names[in->n++] = name;
	return (0);
}

/* A state directory: every scan in it, oldest first. */
static int
merge_dir(struct merge_in *in, const char *dir, char **cause)
{
	struct scan_dir_base	  b;
	struct scan_dir		 *d;
	char			**ids;
	size_t			  n, i;
	int			  rc = 0;

	if (cmd_scan_dir_base(&b, dir, cause) != 0)
		return (-1);
	if (scan_dir_list(&b, &ids, &n, cause) != 0) {
		scan_dir_base_free(&b);
		return (-1);
	}
	if (n == 0) {
		xasprintf(cause, "%s: no scans in it", dir);
		rc = -1;
	}
	for (i = 0; rc == 0 && i < n; i++) {
		if ((d = scan_dir_open(&b, ids[i], cause)) == NULL ||
		    merge_load(in, d->journal, xstrdup(d->journal),
		    cause) != 0)
			rc = -1;
		scan_dir_free(d);
	}
	scan_dir_list_free(ids, n);
	scan_dir_base_free(&b);
	return (rc);
}

/* One operand: a scan's directory, a state directory, an ID or a journal. */
static int
merge_operand(struct merge_in *in, const char *arg, char **cause)
{
	struct stat	 sb;
	char		*journal;

	if (stat(arg, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return (merge_load(in, arg, xstrdup(arg), cause));
	xasprintf(&journal, "%s/journal", arg);
	if (access(journal, F_OK) == 0)
		return (merge_load(in, journal, journal, cause));
	free(journal);
	return (merge_dir(in, arg, cause));
}

/* The one line that says what the shards cover. */
static void
merge_say(const struct results_merge *m, size_t n)
{
	unsigned long long	 tenths;
	char			*what, *t;
	size_t			 i;

	tenths = m->total == 0 || m->done >= m->total ? 1000 :
	    (unsigned long long)(m->done * 1000 / m->total);
	if (m->nmissing == 0 && m->unfinished == NULL) {
		fprintf(stderr, "tact: merge: %zu of %u shards, %llu.%llu%% "
		    "covered\n", n, m->count, tenths / 10, tenths % 10);
		return;
	}
	what = xstrdup(m->nmissing == 0 ? "" : m->nmissing == 1 ?
	    "missing shard" : "missing shards");
	for (i = 0; i < m->nmissing; i++) {
		xasprintf(&t, "%s%s%u/%u", what, i == 0 ? " " : ", ",
		    m->missing[i], m->count);
		free(what);
		what = t;
	}
	if (m->unfinished != NULL) {
		xasprintf(&t, "%s%s%s did not finish", what,
		    m->nmissing == 0 ? "" : ", ", m->unfinished);
		free(what);
		what = t;
	}
	cmd_error("merge", "incomplete: %s; %llu.%llu%% covered", what,
	    tenths / 10, tenths % 10);
	free(what);
}

int
cmd_merge(int argc, char **argv)
{
	struct merge_in		 in;
	struct results		*r = NULL;
	struct results_merge	 m;
	struct output_files	*out = NULL;
	char			*paths[SCAN_OUTPUT_MAX] = { NULL };
	char			*cause = NULL;
	size_t			 i;
	int			 rc = TACT_EXIT_INPUT, a;

	memset(&in, 0, sizeof in);
	memset(&m, 0, sizeof m);
	if (cmd_output_options(argc, argv, paths, &cause) != 0)
		goto out;
	if (optind == argc) {
		xasprintf(&cause, "want the shards: scan IDs, journals or "
		    "directories");
		goto out;
	}
	for (a = optind; a < argc; a++) {
		if (merge_operand(&in, argv[a], &cause) != 0)
			goto out;
	}
	r = results_create();
	if (results_merge(r, in.r, (const char *const *)in.names, in.n, &m,
	    &cause) != 0)
		goto out;
	if ((out = output_files_open(paths, &cause)) == NULL)
		goto out;
	rc = TACT_EXIT_RUNTIME;
	if (output_files_write(out, r, &cause) != 0)
		goto out;
	merge_say(&m, in.n);
	rc = m.nmissing == 0 && m.unfinished == NULL ? TACT_EXIT_OK :
	    TACT_EXIT_RUNTIME;

out:
	if (cause != NULL) {
		cmd_error("merge", "%s", cause);
		free(cause);
	}
	output_files_free(out);
	results_merge_free(&m);
	results_free(r);
	for (i = 0; i < in.n; i++) {
		results_free(in.r[i]);
		free(in.names[i]);
	}
	free(in.r);
	free(in.names);
	for (i = 0; i < SCAN_OUTPUT_MAX; i++)
		free(paths[i]);
	return (rc);
}
