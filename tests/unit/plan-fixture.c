/*
 * A scan's plan from a command line (plan-fixture.h): the arguments go
 * through scan_opts_parse(), scan_def_create() and scan_plan_create(),
 * the same path as `tact scan`, so that a test scans what a user would.
 */
#include <stdlib.h>
#include <string.h>

#include "plan-fixture.h"
#include "xmalloc.h"

#define PLAN_FIXTURE_ARGS	64

int
plan_fixture_make(struct plan_fixture *f, const char *args,
    const struct profile *p, bool raw, char **cause)
{
	struct scan_plan_input	 in;
	char			*argv[PLAN_FIXTURE_ARGS], *copy, *last, *w;
	int			 argc = 0, rc = -1;

	memset(f, 0, sizeof *f);
	argv[argc++] = (char *)"scan";
	copy = xstrdup(args);
	for (w = strtok_r(copy, " ", &last); w != NULL &&
	    argc < PLAN_FIXTURE_ARGS - 1; w = strtok_r(NULL, " ", &last))
		argv[argc++] = w;
	argv[argc] = NULL;
	if (scan_opts_parse(&f->opts, argc, argv, cause) != 0)
		goto out;
	if ((f->def = scan_def_create(&f->opts, cause)) == NULL)
		goto out;
	memset(&in, 0, sizeof in);
	in.opts = &f->opts;
	in.def = f->def;
	in.profile = p;
	in.raw_allowed = raw;
	if (scan_plan_create(&f->plan, &in, cause) != 0)
		goto out;
	f->made = true;
	rc = 0;
out:
	free(copy);
	return (rc);
}

void
plan_fixture_free(struct plan_fixture *f)
{
	if (f->made)
		scan_plan_free(&f->plan);
	scan_def_free(f->def);
	scan_opts_free(&f->opts);
	memset(f, 0, sizeof *f);
}
