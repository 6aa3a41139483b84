/* Definitions shared by every part of tact: exit statuses and limits. */
#ifndef TACT_H
#define TACT_H

/* Exit statuses of the tact program, documented in tact(1). */
enum tact_exit {
	TACT_EXIT_OK = 0,	/* done */
	TACT_EXIT_RUNTIME = 1,	/* failed while running */
	TACT_EXIT_INPUT = 2,	/* bad input: CLI, profile, scope, file */
	TACT_EXIT_POLICY = 3,	/* refused by scope, quota or profile */
	TACT_EXIT_INTERRUPTED = 130	/* a scan interrupted, resumable */
};

/* The number of elements of an array. */
#define nitems(a)	(sizeof (a) / sizeof (a)[0])

/* Longest line accepted from any input file (target lists, excludes). */
#define TACT_LINE_MAX	4096

#endif
