/*
 * A scan's records as the tests of their readers need them: one stream
 * whose sinks are a journal and a ring (which may come later, or be
 * closed), in a directory of their own, and progress records to write
 * through it. test-event-follow.c and test-tui-source.c use it.
 */
#ifndef FOLLOW_FIXTURE_H
#define FOLLOW_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "event.h"

struct journal;
struct ring;

struct follow_fixture {
	char			*dir;
	char			*jpath;
	char			*rpath;
	struct event_stream	*es;
	struct journal		*j;
	struct ring		*r;	/* NULL: none (yet, or closed) */
	uint64_t		 done;	/* pairs_done of the last progress */
};

/* A journal and (with_ring) a ring, both sinks of one stream. */
void	follow_fixture_setup(struct follow_fixture *, bool);
/* A new ring, as an engine makes it (the last one's file removed). */
void	follow_fixture_ring(struct follow_fixture *);
/* n progress records, pairs_done counting on. */
void	follow_fixture_emit(struct follow_fixture *, int);
/* Write and sync the journal's batch. */
void	follow_fixture_sync(struct follow_fixture *);
/* Close the ring if open and the journal; remove the files. */
void	follow_fixture_teardown(struct follow_fixture *);

#endif
