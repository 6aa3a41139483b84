/*
 * `tact report`: write the outputs of a scan again, from its journal
 * alone, in any format: the journal is the truth, so a finished scan, a
 * stopped one and one interrupted by a crash all give every output the
 * engine would have written (an interrupted one says it did not finish).
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "output.h"
#include "results.h"
#include "scan-dir.h"
#include "tact.h"
#include "xmalloc.h"

static char	*report_journal(const char *, char **);
static bool	 report_running(const char *);

enum {
	OPT_ON = 256,	/* in the order of enum scan_opts_output */
	OPT_OX,
	OPT_OG,
	OPT_OJ,
	OPT_OA
};

static const struct option report_long[] = {
	{ "oN", required_argument, NULL, OPT_ON },
	{ "oX", required_argument, NULL, OPT_OX },
	{ "oG", required_argument, NULL, OPT_OG },
	{ "oJ", required_argument, NULL, OPT_OJ },
	{ "oA", required_argument, NULL, OPT_OA },
	{ NULL, 0, NULL, 0 }
};

/* -oA's file names, as `tact scan` makes them. */
static const char *const report_ext[SCAN_OUTPUT_MAX] = {
	"nmap", "xml", "gnmap", "jsonl"
};

/*
 * The output options (report and merge): their paths; none given means
 * normal output on stdout. The operands start at optind.
 */
int
cmd_output_options(int argc, char **argv, char **paths, char **cause)
{
	int	ch, i, n = 0;

	optind = 0;
	opterr = 0;
	while ((ch = getopt_long_only(argc, argv, ":", report_long,
	    NULL)) != -1) {
		if (ch == '?' || ch == ':') {
			xasprintf(cause, "%s: %s", argv[optind - 1], ch == ':' ?
			    "needs an argument" : "unknown option");
			return (-1);
		}
		for (i = 0; i < SCAN_OUTPUT_MAX; i++) {
			if (ch != OPT_OA && ch - OPT_ON != i)
				continue;
			if (paths[i] != NULL) {
				xasprintf(cause, "output file: given twice");
				return (-1);
			}
			if (ch == OPT_OA)
				xasprintf(&paths[i], "%s.%s", optarg,
				    report_ext[i]);
			else
				paths[i] = xstrdup(optarg);
			n++;
		}
	}
	if (n == 0)
		paths[SCAN_OUTPUT_NORMAL] = xstrdup("-");
	return (0);
}

/* A journal's path: the file named, else the journal of the scan ID. */
static char *
report_journal(const char *arg, char **cause)
{
	struct scan_dir_base	 base;
	struct scan_dir		*d;
	char			*path;

	if (strchr(arg, '/') != NULL || access(arg, F_OK) == 0)
		return (xstrdup(arg));
	if (cmd_scan_dir_base(&base, NULL, cause) != 0)
		return (NULL);
	d = scan_dir_open(&base, arg, cause);
	scan_dir_base_free(&base);
	if (d == NULL)
		return (NULL);
	path = xstrdup(d->journal);
	scan_dir_free(d);
	return (path);
}

/*
 * Does an engine still run the scan arg names? Only a scan ID says: a
 * journal file named by its path is read as it is.
 */
static bool
report_running(const char *arg)
{
	struct scan_dir_base	 base;
	struct scan_dir		*d;
	char			*cause = NULL;
	bool			 running = false;

	if (strchr(arg, '/') != NULL || access(arg, F_OK) == 0 ||
	    cmd_scan_dir_base(&base, NULL, &cause) != 0) {
		free(cause);
		return (false);
	}
	if ((d = scan_dir_open(&base, arg, &cause)) != NULL)
		running = scan_dir_running(d);
	free(cause);
	scan_dir_free(d);
	scan_dir_base_free(&base);
	return (running);
}

/*
 * The results store of a scan (an ID or a journal file), rebuilt from
 * its journal as far as it goes; NULL and cause if it cannot be read.
 */
struct results *
cmd_report_load(const char *arg, char **cause)
{
	struct results	*r;
	char		*journal;

	if ((journal = report_journal(arg, cause)) == NULL)
		return (NULL);
	r = results_load_journal(journal, cause);
	free(journal);
	return (r);
}

int
cmd_report(int argc, char **argv)
{
	struct results			*r = NULL;
	struct output_files		*out = NULL;
	char				*paths[SCAN_OUTPUT_MAX] = { NULL };
	char				*cause = NULL;
	int				 rc = TACT_EXIT_INPUT, i;
	bool				 running;

	if (cmd_output_options(argc, argv, paths, &cause) != 0)
		goto out;
	if (argc - optind != 1) {
		xasprintf(&cause, "want one scan ID or journal file");
		goto out;
	}
	/* Before the journal: a scan that ends meanwhile has its end. */
	running = report_running(argv[optind]);
	if ((r = cmd_report_load(argv[optind], &cause)) == NULL)
		goto out;
	if (running)
		results_set_running(r);
	if ((out = output_files_open(paths, &cause)) == NULL)
		goto out;
	rc = TACT_EXIT_RUNTIME;
	if (output_files_write(out, r, &cause) != 0)
		goto out;
	rc = TACT_EXIT_OK;

out:
	if (cause != NULL) {
		cmd_error("report", "%s", cause);
		free(cause);
	}
	output_files_free(out);
	results_free(r);
	for (i = 0; i < SCAN_OUTPUT_MAX; i++)
		free(paths[i]);
	return (rc);
}
