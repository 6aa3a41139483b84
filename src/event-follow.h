/*
 * Following a scan's event records as they are written: the journal to
 * its end, then the ring from that sequence number on, each record once
 * and in order. The one reader behind `tact attach` and the dashboard.
 */
#ifndef EVENT_FOLLOW_H
#define EVENT_FOLLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "event.h"

/* What event_follow_next found. */
enum event_follow_next {
	EVENT_FOLLOW_RECORD,	/* *h and *payload are the next record */
	EVENT_FOLLOW_NONE,	/* nothing new yet */
	EVENT_FOLLOW_END,	/* all was read: there will be no more */
	EVENT_FOLLOW_ERROR	/* the journal is damaged: *cause */
};

struct event_follow;

/*
 * Follow the scan whose journal and ring are at these paths (ring NULL:
 * the journal alone). A ring that is not there yet is looked for again
 * each time the journal runs out.
 */
struct event_follow *event_follow_open(const char *, const char *, char **);
/*
 * The record after the last one returned; *h and *payload stay valid
 * until the next call. Waits up to wait_ms for one (0: not at all, -1:
 * until one comes or the end). A scan-end record, or the ring closed by
 * its writer and the journal read to its end, is the end.
 */
enum event_follow_next event_follow_next(struct event_follow *,
		     const struct event_header **, const void **, int,
		     char **);
/*
 * The writer is gone (its lock is free) and will close no ring: what the
 * journal holds is all there will be; read it to its end, then the end.
 */
void		 event_follow_writer_gone(struct event_follow *);
/* Can more records come: no scan-end, ring not closed, writer not gone? */
bool		 event_follow_live(const struct event_follow *);
/* The seq of the last record returned, 0 before the first. */
uint64_t	 event_follow_seq(const struct event_follow *);
void		 event_follow_free(struct event_follow *);

#endif
