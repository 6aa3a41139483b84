/*
 * `tact resume [--detach] ID`: continue an interrupted scan (killed,
 * Ctrl-C, a reboot) from its journal. The scan-start record holds the
 * scan's arguments, each exactly (arg=), the directory they were given
 * in (cwd=) and the seed; from them the same scan is built again, the
 * results store is rebuilt from the journal, and the engine goes on
 * where the scan stopped: what the journal holds is not probed again and
 * the records number on. The policy is checked again (a scope may have
 * expired meanwhile), but the ledger was charged when the scan started
 * and is not charged again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "estimate.h"
#include "journal.h"
#include "privs.h"
#include "results.h"
#include "scan-dir.h"
#include "scan-opts.h"
#include "scope.h"
#include "tact.h"
#include "xmalloc.h"

/* The exit status of each verdict of the check. */
static const int resume_exits[] = {
	[SCOPE_OK] = TACT_EXIT_OK,
	[SCOPE_REFUSED] = TACT_EXIT_POLICY,
	[SCOPE_NEED_PERMISSION] = TACT_EXIT_POLICY,
	[SCOPE_BAD_INPUT] = TACT_EXIT_INPUT,
	[SCOPE_FAILED] = TACT_EXIT_RUNTIME,
};

static struct results *resume_read(const struct scan_dir *, int *, char **);
static char	**resume_argv(const struct results *, int *, const char **);

/* Every record of the journal into a results store. */
static struct results *
resume_read(const struct scan_dir *d, int *rc, char **cause)
{
	struct journal_reader		*jr;
	struct results			*r;
	const struct event_header	*h;
	const void			*p;
	int				 n;

	*rc = TACT_EXIT_RUNTIME;
	if ((jr = journal_reader_open(d->journal, cause)) == NULL)
		return (NULL);
	r = results_create();
	while ((n = journal_reader_next(jr, &h, &p, cause)) == 1)
		results_apply(r, h, p);
	journal_reader_free(jr);
	if (n == -1) {
		results_free(r);
		return (NULL);
	}
	*rc = TACT_EXIT_INPUT;
	if (!results_scan(r)->started)
		xasprintf(cause, "%s: the scan never started", d->id);
	else if (results_scan(r)->ended)
		xasprintf(cause, "%s: the scan has ended", d->id);
	else
		return (r);
	results_free(r);
	return (NULL);
}

/* The scan's arguments from its arg= strings, as `tact scan` had them. */
static char **
resume_argv(const struct results *r, int *argc, const char **cwd)
{
	const struct results_scan	*s = results_scan(r);
	char				**argv;
	size_t				  i;

	argv = xcalloc(s->nstrings + 2, sizeof *argv);
	argv[0] = (char *)"scan";
	*argc = 1;
	*cwd = NULL;
	for (i = 0; i < s->nstrings; i++) {
		if (strncmp(s->strings[i], "arg=", 4) == 0)
			argv[(*argc)++] = s->strings[i] + 4;
		else if (strncmp(s->strings[i], "cwd=", 4) == 0)
			*cwd = s->strings[i] + 4;
	}
	return (argv);
}

int
cmd_resume_check(const struct scan_opts *o, const struct scan_def *def,
    const struct profile *p, const struct port_list *ports, char **cause)
{
	struct scope_policy	 pol;
	struct estimate_input	 in;
	struct estimate		 e;
	struct scope		*scope = NULL;
	char			*path;
	int			 rc;

	if ((path = cmd_scope_path(o->scope)) != NULL) {
		scope = scope_load(path, cause);
		free(path);
		if (scope == NULL)
			return (TACT_EXIT_INPUT);
	}
	memset(&pol, 0, sizeof pol);
	pol.profile = p;
	pol.scope = scope;
	pol.purpose = o->purpose;
	pol.have_permission = o->have_permission;
	pol.now = time(NULL);	/* no ledger: nothing is charged */
	memset(&in, 0, sizeof in);
	in.def = def;
	in.policy = &pol;
	in.ports = ports;
	in.max_rate = o->max_rate;
	in.no_ping = o->no_ping;
	in.raw_allowed = privs_raw_allowed();
	if (estimate_compute(&e, &in, cause) != 0) {
		scope_free(scope);
		return (TACT_EXIT_INPUT);
	}
	rc = resume_exits[e.verdict];
	if (e.verdict != SCOPE_OK) {
		*cause = e.reason;
		e.reason = NULL;
	}
	estimate_free(&e);
	scope_free(scope);
	return (rc);
}

int
cmd_resume(int argc, char **argv)
{
	struct scan_dir_base	  b;
	struct scan_dir		 *d = NULL;
	struct results		 *r = NULL;
	struct scan_opts	  o;
	const char		 *cwd, *id;
	char			**sargv = NULL, *cause = NULL;
	int			  sargc, rc = TACT_EXIT_INPUT;
	bool			  detach = false;

	if (argc == 3 && (strcmp(argv[1], "--detach") == 0 ||
	    strcmp(argv[1], "-d") == 0)) {
		detach = true;
		argc--;
		argv++;
	}
	if (argc != 2) {
		cmd_error("resume", "usage: tact resume [--detach] id");
		return (TACT_EXIT_INPUT);
	}
	id = argv[1];
	if (cmd_scan_dir_base(&b, &cause) != 0) {
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
	if ((r = resume_read(d, &rc, &cause)) == NULL)
		goto out;
	sargv = resume_argv(r, &sargc, &cwd);
	rc = TACT_EXIT_INPUT;
	if (sargc == 1) {
		xasprintf(&cause, "%s: the journal does not say how the scan "
		    "was started", d->id);
		goto out;
	}
	rc = TACT_EXIT_RUNTIME;
	if (cwd != NULL && chdir(cwd) == -1) {
		xasprintf(&cause, "%s: %s", cwd, strerror(errno));
		goto out;
	}
	rc = TACT_EXIT_INPUT;
	if (scan_opts_parse(&o, sargc, sargv, &cause) != 0)
		goto out;
	if (o.input_file != NULL && strcmp(o.input_file, "-") == 0) {
		xasprintf(&cause, "%s: its targets came from standard input "
		    "(-iL -), which cannot be read again", d->id);
		scan_opts_free(&o);
		goto out;
	}
	o.seed_set = true;
	o.seed = results_scan(r)->seed;
	o.detach = detach;
	scan_dir_base_free(&b);
	free(sargv);
	rc = cmd_scan_run_resume(&o, d, r);	/* takes d and r over */
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
