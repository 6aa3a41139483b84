/*
 * `tact resume [--detach] [--state-dir DIR] ID`: continue an interrupted
 * scan (killed, Ctrl-C, a reboot) from its journal. The scan-start record holds the
 * scan's arguments (arg=, each as given but for the paths, made
 * absolute when the scan started) and the seed; from them the same scan
 * is built again (its definition and plan, as `tact scan` makes them),
 * the results store is rebuilt from the journal, and the engine goes on
 * where the scan stopped: what the journal holds is not probed again and
 * the records number on. Since the journal decides what runs, it must be
 * the caller's own, and nothing else is taken from it: no working
 * directory (an old journal's cwd= is ignored, and a relative path in
 * its arguments refused), and the scan passes the gate of a new one:
 * the profile's limits, the scope, the purpose and permission (a scope
 * may have expired meanwhile); only the ledger, charged when the scan
 * started, is not charged again.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "results.h"
#include "safe-open.h"
#include "scan-def.h"
#include "scan-dir.h"
#include "scan-opts.h"
#include "tact.h"
#include "xmalloc.h"

static struct results *resume_read(const struct scan_dir *, char **);
static char	**resume_argv(const struct results *, int *);
static int	resume_shard(const struct results *, struct scan_opts *,
		    char **);

/*
 * The journal's results store, of a scan that started and has not ended;
 * only from the caller's own journal (a regular file with one link, not
 * a symbolic link), as its directory is. One that ended says how:
 * stopped (by tact stop or its dashboard) at its last progress,
 * finished or failed.
 */
static struct results *
resume_read(const struct scan_dir *d, char **cause)
{
	struct results			*r;
	const struct event_progress	*p;
	char				 pct[16] = "-";
	int				 fd;

	if ((fd = safe_open(d->journal, O_RDONLY, 0, getuid(), cause)) == -1)
		return (NULL);
	close(fd);
	if ((r = results_load_journal(d->journal, cause)) == NULL)
		return (NULL);
	if (!results_scan(r)->ended)
		return (r);
	p = results_progress(r);
	if (p != NULL && p->pairs_total != 0)
		snprintf(pct, sizeof pct, "%.1f%%",
		    100.0 * (double)p->pairs_done / (double)p->pairs_total);
	if (results_scan(r)->status == EVENT_END_STOPPED)
		xasprintf(cause, "%s: the scan was stopped at %s, and a "
		    "stopped scan is not resumed (run tact scan again)", d->id,
		    pct);
	else
		xasprintf(cause, "%s: the scan has ended (%s)", d->id,
		    results_scan(r)->status == EVENT_END_DONE ? "finished" :
		    "failed");
	results_free(r);
	return (NULL);
}

/* The scan's arguments from its arg= strings, as `tact scan` had them. */
static char **
resume_argv(const struct results *r, int *argc)
{
	const struct results_scan	*s = results_scan(r);
	char				**argv;
	size_t				  i;

	argv = xcalloc(s->nstrings + 2, sizeof *argv);
	argv[0] = (char *)"scan";
	*argc = 1;
	for (i = 0; i < s->nstrings; i++) {
		if (strncmp(s->strings[i], "arg=", 4) == 0)
			argv[(*argc)++] = s->strings[i] + 4;
	}
	return (argv);
}

/*
 * --shard auto/n: the index the job engine gave when the scan started,
 * as its shard= string says, whatever this process was given.
 */
static int
resume_shard(const struct results *r, struct scan_opts *o, char **cause)
{
	const char	*v = results_scan_string(r, "shard");
	unsigned	 i, n;
	int		 end = 0;

	if (v == NULL || sscanf(v, "%u/%u%n", &i, &n, &end) != 2 ||
	    v[end] != '\0' || n != o->shard_count || i < 1 || i > n) {
		xasprintf(cause, "the journal does not say which shard of "
		    "--shard auto/%u it was", o->shard_count);
		return (-1);
	}
	o->shard_index = i;
	return (0);
}

int
cmd_resume(int argc, char **argv)
{
	struct scan_dir_base	  b;
	struct scan_dir		 *d = NULL;
	struct results		 *r = NULL;
	struct scan_opts	  o;
	struct scan_def		 *def;
	struct cmd_plan		  c;
	const char		 *id, *dir = NULL;
	char			**sargv = NULL, **abs, *cause = NULL, *why;
	int			  sargc, rc = TACT_EXIT_INPUT, i;
	bool			  detach = false;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--detach") == 0 ||
		    strcmp(argv[i], "-d") == 0)
			detach = true;
		else if (strcmp(argv[i], "--state-dir") == 0 &&
		    i + 1 < argc && dir == NULL)
			dir = argv[++i];
		else
			break;
	}
	if (i == argc && i > 1 && argv[i - 1][0] == '-') {
		cmd_error("resume", "%s: no scan ID given (tact list shows "
		    "them)", argv[i - 1]);
		return (TACT_EXIT_INPUT);
	}
	if (i != argc - 1 || argv[i][0] == '-') {
		cmd_error("resume", "usage: tact resume [--detach] "
		    "[--state-dir dir] id");
		return (TACT_EXIT_INPUT);
	}
	id = argv[i];
	if (cmd_scan_dir_base(&b, dir, &cause) != 0) {
		cmd_error("resume", "%s", cause);
		free(cause);
		return (TACT_EXIT_INPUT);
	}
	if ((d = scan_dir_open(&b, id, &cause)) == NULL)
		goto out;
	if (scan_dir_running(d)) {
		xasprintf(&cause, "%s: the scan is running", d->id);
		goto out;
	}
	if ((r = resume_read(d, &cause)) == NULL)
		goto out;
	sargv = resume_argv(r, &sargc);
	if (sargc == 1) {
		xasprintf(&cause, "%s: the journal does not say how the scan "
		    "was started", d->id);
		goto out;
	}
	if ((abs = scan_opts_absolute(sargc, sargv, NULL, &why)) == NULL) {
		xasprintf(&cause, "%s: %s, and a resumed scan takes no "
		    "directory from its journal", d->id, why);
		free(why);
		goto out;
	}
	scan_opts_absolute_free(abs);
	if (scan_opts_parse(&o, sargc, sargv, &cause) != 0)
		goto out;
	if (o.input_file != NULL && strcmp(o.input_file, "-") == 0) {
		xasprintf(&cause, "%s: its targets came from standard input "
		    "(-iL -), which cannot be read again", d->id);
		scan_opts_free(&o);
		goto out;
	}
	if (o.shard_auto && resume_shard(r, &o, &cause) != 0) {
		scan_opts_free(&o);
		goto out;
	}
	o.seed_set = true;
	o.seed = results_scan(r)->seed;
	o.detach = detach;
	if ((def = scan_def_create(&o, &cause)) == NULL) {
		scan_opts_free(&o);
		goto out;
	}
	if ((rc = cmd_plan_create(&c, &o, def, &cause)) != TACT_EXIT_OK) {
		cmd_plan_free(&c);
		scan_def_free(def);
		scan_opts_free(&o);
		goto out;
	}
	scan_dir_base_free(&b);
	free(sargv);
	rc = cmd_scan_run(&o, def, &c, d, r);	/* takes def, c, d, r over */
	scan_opts_free(&o);
	return (rc);

out:
	if (cause != NULL) {
		cmd_error("resume", "%s", cause);
		free(cause);
	}
	free(sargv);
	results_free(r);
	scan_dir_free(d);
	scan_dir_base_free(&b);
	return (rc);
}
