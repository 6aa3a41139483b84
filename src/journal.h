/*
 * The journal: the durable copy of a scan's event records, one file per
 * scan. A file header (magic, version) and then the records exactly as
 * event.h lays them out, appended in batches. See docs/HACKING.md.
 */
#ifndef JOURNAL_H
#define JOURNAL_H

#include <stdint.h>

#include "event.h"

#define JOURNAL_MAGIC		"TACTJRNL"
#define JOURNAL_VERSION		2
/* Version 1 (tact 0.1) holds no port runs; it reads the same way. */
#define JOURNAL_VERSION_MIN	1
/* Longest payload a record may have; longer means the file is damaged. */
#define JOURNAL_PAYLOAD_MAX	(1U << 20)

/* The first bytes of every journal, little-endian. */
struct journal_file_header {
	char		magic[8];	/* JOURNAL_MAGIC, no NUL */
	uint32_t	version;	/* JOURNAL_VERSION */
	uint32_t	flags;		/* 0 */
};

struct journal;

/* A new journal at path (0600); fails if the file exists. */
struct journal	*journal_create(const char *, char **);
/*
 * An existing journal, to append to (resume): every record is checked,
 * a torn tail is cut off and *last_seq is the last good record's seq.
 */
struct journal	*journal_open_append(const char *, uint64_t *, char **);
/* The event_sink_fn: add one record to the batch being written. */
void		 journal_sink(void *, const struct event_header *,
		     const void *);
/*
 * Write the batch if it is older than 100 ms and fsync if the last was a
 * second ago; call from the engine's timer. now is CLOCK_MONOTONIC ns.
 * Reports the first write error the sink met.
 */
int		 journal_tick(struct journal *, uint64_t, char **);
/* Write the batch and fsync now. */
int		 journal_sync(struct journal *, char **);
/* Sync and close; returns -1 if anything failed since the last check. */
int		 journal_close(struct journal *, char **);

struct journal_reader;

struct journal_reader *journal_reader_open(const char *, char **);
/*
 * The next record: 1 and *h, *payload (valid until the next call), 0 at
 * the end of what is there (a torn or still growing tail: call again to
 * follow a live journal) or -1 and *cause for a damaged or unknown file.
 */
int		 journal_reader_next(struct journal_reader *,
		     const struct event_header **, const void **, char **);
/* File offset just past the last record returned. */
uint64_t	 journal_reader_offset(const struct journal_reader *);
/* The seq of the last record returned, 0 before the first. */
uint64_t	 journal_reader_seq(const struct journal_reader *);
void		 journal_reader_free(struct journal_reader *);

#endif
