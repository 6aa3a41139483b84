/*
 * The ring: a broadcast ring of event records in shared memory, a file in
 * the scan's runtime directory. One writer (the engine) never waits; any
 * number of readers map it read-only and follow it. A reader that was
 * lapped is told so and takes what it missed from the journal.
 */
#ifndef RING_H
#define RING_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

#define RING_MAGIC		"TACTRING"
#define RING_VERSION		1
#define RING_SIZE_DEFAULT	(4U << 20)	/* bytes of records */
#define RING_SIZE_MIN		(64U << 10)
/* Payloads longer than this are left out; readers see a gap. */
#define RING_PAYLOAD_MAX	(32U << 10)

/* What ring_reader_next found. */
enum ring_next {
	RING_EMPTY,	/* nothing new yet */
	RING_RECORD,	/* *h and *payload are the next record */
	RING_LAPPED,	/* records were lost: take them from the journal */
	RING_CLOSED	/* the writer closed the ring and all was read */
};

struct ring;

/* A new ring file at path (0600) of size bytes (a power of two). */
struct ring	*ring_create(const char *, size_t, char **);
/* The event_sink_fn: copy one record in; publish when a batch is full. */
void		 ring_sink(void *, const struct event_header *, const void *);
/* Make every record written so far visible to readers. */
void		 ring_flush(struct ring *);
/* Publish, mark the ring closed and unmap it (the file stays). */
void		 ring_close(struct ring *);

struct ring_reader;

/* Map a ring read-only; reading starts at the writer's current end. */
struct ring_reader *ring_reader_open(const char *, char **);
/*
 * The next record. *h and *payload stay valid until the next call. After
 * RING_LAPPED the reader continues at the writer's current end: the
 * records between the last one returned and the next one are lost.
 */
enum ring_next	 ring_reader_next(struct ring_reader *,
		     const struct event_header **, const void **);
/*
 * For tests: fn runs inside each read, between pieces of the copy and
 * before the check, so that a test can deschedule the reader there.
 */
void		 ring_reader_set_hook(struct ring_reader *, void (*)(void *),
		     void *);
void		 ring_reader_free(struct ring_reader *);

#endif
