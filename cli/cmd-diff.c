/*
 * `tact diff A B`: what changed between two scans, each a scan ID, a
 * journal file or an XML output (tact's or Nmap's). Exits as ndiff
 * does: 0 when they are the same, 1 when they differ, 2 on an error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "journal.h"
#include "output.h"
#include "results.h"
#include "tact.h"
#include "xmalloc.h"

static struct results	*diff_load(const char *, char **);

/* A journal (by its magic) or a scan ID goes to the journal reader. */
static struct results *
diff_load(const char *arg, char **cause)
{
	struct results	*r;
	char		 magic[sizeof JOURNAL_MAGIC - 1];
	FILE		*f;
	bool		 journal = true;

	if ((f = fopen(arg, "r")) != NULL) {
		journal = fread(magic, 1, sizeof magic, f) == sizeof magic &&
		    memcmp(magic, JOURNAL_MAGIC, sizeof magic) == 0;
		fclose(f);
	}
	if (journal)
		return (cmd_report_load(arg, cause));
	r = results_create();
	if (output_xml_read(arg, r, cause) != 0) {
		results_free(r);
		return (NULL);
	}
	return (r);
}

int
cmd_diff(int argc, char **argv)
{
	struct results	*a = NULL, *b = NULL;
	char		*cause = NULL;
	long		 n;
	int		 rc = TACT_EXIT_INPUT;

	if (argc != 3) {
		cmd_error("diff", "want two scans: tact diff a b");
		return (TACT_EXIT_INPUT);
	}
	if ((a = diff_load(argv[1], &cause)) == NULL ||
	    (b = diff_load(argv[2], &cause)) == NULL)
		goto out;
	if ((n = output_diff(stdout, a, b, &cause)) == -1) {
		free(cause);
		xasprintf(&cause, "standard output: write error");
		goto out;
	}
	rc = n == 0 ? 0 : 1;

out:
	if (cause != NULL) {
		cmd_error("diff", "%s", cause);
		free(cause);
	}
	results_free(a);
	results_free(b);
	return (rc);
}
