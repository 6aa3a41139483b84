/*
 * The one follower of a scan's records, for `tact attach` and the
 * dashboard alike: the journal to its end, then the ring from that
 * sequence number on. The ring is fast but forgets; the journal keeps
 * everything but is written in batches. So a record the ring gives that
 * is ahead of the last one returned (the ring was opened late, lapped
 * the reader, or left out a long payload) is held while the journal
 * gives the ones before it; and until the ring gives a record that
 * follows on, the journal is asked whenever the ring has nothing new.
 * Both readers check every record (event_record_check), so a record
 * returned here is whole. It never blocks unless asked to: the
 * dashboard polls it from its loop, attach waits on it.
 */
#include <stdlib.h>
#include <time.h>

#include "event-follow.h"
#include "journal.h"
#include "ring.h"
#include "xmalloc.h"

#define EVENT_FOLLOW_NAP_MS	10	/* poll this often when waiting */

enum event_follow_state {
	FOLLOW_JOURNAL,		/* the journal to its end, then the ring */
	FOLLOW_RING,		/* the ring */
	FOLLOW_FILL,		/* the journal up to the ring's record ahead */
	FOLLOW_DRAIN,		/* no more ring: the journal to its end */
	FOLLOW_END
};

struct event_follow {
	struct journal_reader		*journal;
	struct ring_reader		*ring;
	char				*ring_path;	/* NULL: no ring */
	enum event_follow_state		 state;
	uint64_t			 seq;		/* last returned */
	const struct event_header	*ahead;		/* FOLLOW_FILL's */
	const void			*ahead_payload;
	bool				 behind;	/* ring may skip some */
};

static enum event_follow_next follow_step(struct event_follow *,
		    const struct event_header **, const void **, char **);
static enum event_follow_next follow_journal(struct event_follow *,
		    const struct event_header **, const void **, char **);
static enum event_follow_next follow_give(struct event_follow *,
		    const struct event_header *, const void *,
		    const struct event_header **, const void **);
static int	follow_ring_open(struct event_follow *);
static void	follow_ring_close(struct event_follow *);

struct event_follow *
event_follow_open(const char *journal, const char *ring, char **cause)
{
	struct event_follow	*f;

	f = xcalloc(1, sizeof *f);
	if ((f->journal = journal_reader_open(journal, cause)) == NULL) {
		free(f);
		return (NULL);
	}
	if (ring != NULL)
		f->ring_path = xstrdup(ring);
	f->state = FOLLOW_JOURNAL;
	return (f);
}

void
event_follow_free(struct event_follow *f)
{
	if (f == NULL)
		return;
	journal_reader_free(f->journal);
	follow_ring_close(f);
	free(f);
}

/*
 * Map the ring. A scan that has just started may not have made it yet,
 * and a finished one has removed it: either way, not now.
 */
static int
follow_ring_open(struct event_follow *f)
{
	char	*cause;

	if (f->ring == NULL && f->ring_path != NULL &&
	    (f->ring = ring_reader_open(f->ring_path, &cause)) == NULL)
		free(cause);
	return (f->ring != NULL);
}

/* No more from the ring, nor a record held from it. */
static void
follow_ring_close(struct event_follow *f)
{
	ring_reader_free(f->ring);
	f->ring = NULL;
	free(f->ring_path);
	f->ring_path = NULL;
	f->ahead = NULL;
}

void
event_follow_writer_gone(struct event_follow *f)
{
	follow_ring_close(f);
	if (f->state != FOLLOW_END)
		f->state = FOLLOW_DRAIN;
}

bool
event_follow_live(const struct event_follow *f)
{
	return (f->ring_path != NULL && f->state != FOLLOW_END);
}

uint64_t
event_follow_seq(const struct event_follow *f)
{
	return (f->seq);
}

/*
 * Return a record; nothing follows a scan-end. The ring, whose copy the
 * record may be in, is let go on the next call.
 */
static enum event_follow_next
follow_give(struct event_follow *f, const struct event_header *h,
    const void *payload, const struct event_header **hp, const void **pp)
{
	f->seq = h->seq;
	if (h->type == EVENT_SCAN_END) {
		free(f->ring_path);
		f->ring_path = NULL;
		f->state = FOLLOW_END;
	}
	*hp = h;
	*pp = payload;
	return (EVENT_FOLLOW_RECORD);
}

/*
 * The journal's next record past the last one returned, or NONE at its
 * end (for now).
 */
static enum event_follow_next
follow_journal(struct event_follow *f, const struct event_header **hp,
    const void **pp, char **cause)
{
	const struct event_header	*h;
	const void			*p;
	int				 rc;

	do {
		rc = journal_reader_next(f->journal, &h, &p, cause);
		if (rc == -1)
			return (EVENT_FOLLOW_ERROR);
		if (rc == 0)
			return (EVENT_FOLLOW_NONE);
	} while (h->seq <= f->seq);
	if (f->state == FOLLOW_FILL && h->seq == f->ahead->seq) {
		/* The journal's copy of the record ahead: the ring is next. */
		f->ahead = NULL;
		f->behind = false;
		f->state = FOLLOW_RING;
	}
	return (follow_give(f, h, p, hp, pp));
}

static enum event_follow_next
follow_step(struct event_follow *f, const struct event_header **hp,
    const void **pp, char **cause)
{
	const struct event_header	*h;
	const void			*p;
	enum event_follow_next		 next;

	for (;;) {
		switch (f->state) {
		case FOLLOW_END:
			follow_ring_close(f);
			return (EVENT_FOLLOW_END);
		case FOLLOW_JOURNAL:
			if ((next = follow_journal(f, hp, pp, cause)) !=
			    EVENT_FOLLOW_NONE)
				return (next);
			if (!follow_ring_open(f))
				return (EVENT_FOLLOW_NONE);
			/* It starts at the writer, maybe past the journal. */
			f->behind = true;
			f->state = FOLLOW_RING;
			break;
		case FOLLOW_DRAIN:
			if ((next = follow_journal(f, hp, pp, cause)) !=
			    EVENT_FOLLOW_NONE)
				return (next);
			f->state = FOLLOW_END;
			return (EVENT_FOLLOW_END);
		case FOLLOW_FILL:
			if (f->ahead->seq != f->seq + 1) {
				/* NONE: the journal's batch is yet to come. */
				return (follow_journal(f, hp, pp, cause));
			}
			h = f->ahead;
			f->ahead = NULL;
			f->behind = false;
			f->state = FOLLOW_RING;
			return (follow_give(f, h, f->ahead_payload, hp, pp));
		case FOLLOW_RING:
			switch (ring_reader_next(f->ring, &h, &p)) {
			case RING_RECORD:
				if (h->seq <= f->seq)
					break;
				if (h->seq == f->seq + 1) {
					f->behind = false;
					return (follow_give(f, h, p, hp, pp));
				}
				/* Valid until the ring is read again. */
				f->ahead = h;
				f->ahead_payload = p;
				f->state = FOLLOW_FILL;
				break;
			case RING_LAPPED:
				f->behind = true;
				break;
			case RING_EMPTY:
				/*
				 * Nothing new on the ring: what it lost or
				 * never had may be in the journal by now.
				 */
				if (!f->behind)
					return (EVENT_FOLLOW_NONE);
				return (follow_journal(f, hp, pp, cause));
			case RING_CLOSED:
				/* The writer closed its journal first. */
				follow_ring_close(f);
				f->state = FOLLOW_DRAIN;
				break;
			}
			break;
		}
	}
}

enum event_follow_next
event_follow_next(struct event_follow *f, const struct event_header **hp,
    const void **pp, int wait_ms, char **cause)
{
	struct timespec		nap = { 0, EVENT_FOLLOW_NAP_MS * 1000000L };
	enum event_follow_next	next;
	int			waited;

	for (waited = 0; (next = follow_step(f, hp, pp, cause)) ==
	    EVENT_FOLLOW_NONE && (wait_ms < 0 || waited < wait_ms);
	    waited += EVENT_FOLLOW_NAP_MS)
		nanosleep(&nap, NULL);
	return (next);
}
