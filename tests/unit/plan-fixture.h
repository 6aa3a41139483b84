/*
 * A scan's plan from a command line, for the tests (and benchmarks)
 * that run the engine or count what it sends: the options parsed and
 * the definition built as `tact scan` does them, then the plan with the
 * profile given and raw sockets allowed or not.
 */
#ifndef PLAN_FIXTURE_H
#define PLAN_FIXTURE_H

#include <stdbool.h>

#include "scan-def.h"
#include "scan-opts.h"
#include "scan-plan.h"

struct profile;

struct plan_fixture {
	struct scan_opts	 opts;
	struct scan_def		*def;
	struct scan_plan	 plan;
	bool			 made;
};

/*
 * args: the arguments of `tact scan`, separated by spaces. 0, or -1 and
 * cause; free the fixture either way.
 */
int	plan_fixture_make(struct plan_fixture *, const char *,
	    const struct profile *, bool, char **);
void	plan_fixture_free(struct plan_fixture *);

#endif
