/*
 * The event follower: the journal to its end, then the ring; a record
 * the ring gives ahead of the last one held until the journal has the
 * ones before it; a lapped reader taking what it lost from the journal;
 * records written while it follows, waiting or not; short and corrupt
 * records never returned; the end of the scan, of the ring or of its
 * writer.
 */
#include <sys/stat.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"
#include "clock.h"
#include "event-follow.h"
#include "follow-fixture.h"
#include "journal.h"
#include "ring.h"
#include "xmalloc.h"

static void	finish(struct follow_fixture *);
static off_t	journal_size(const struct follow_fixture *);
static uint64_t	drain(struct event_follow *, uint64_t);
static void	sink_both(struct follow_fixture *, struct event_header *,
		    const void *, uint32_t, int);
static void	*writer_main(void *);

/* As the engine ends: publish, the journal, then the ring closed. */
static void
finish(struct follow_fixture *f)
{
	ring_flush(f->r);
	follow_fixture_sync(f);
	ring_close(f->r);
	f->r = NULL;
}

static off_t
journal_size(const struct follow_fixture *f)
{
	struct stat	sb;

	CU_ASSERT_FATAL(stat(f->jpath, &sb) == 0);
	return (sb.st_size);
}

/*
 * Read without waiting until nothing is new, checking that each record
 * is the one after the last and a progress record saying so. Returns the
 * last seq.
 */
static uint64_t
drain(struct event_follow *ef, uint64_t seq)
{
	const struct event_header	*h;
	const void			*p;
	char				*cause = NULL;

	while (event_follow_next(ef, &h, &p, 0, &cause) ==
	    EVENT_FOLLOW_RECORD) {
		CU_ASSERT_EQUAL_FATAL(h->seq, seq + 1);
		if (h->type == EVENT_PROGRESS)
			CU_ASSERT_EQUAL(((const struct event_progress *)p)->
			    pairs_done, h->seq);
		seq = h->seq;
	}
	CU_ASSERT_PTR_NULL(cause);
	CU_ASSERT_EQUAL(event_follow_seq(ef), seq);
	return (seq);
}

static void
test_event_follow_reads_the_journal_then_follows_the_ring(void)
{
	struct follow_fixture	 f;
	struct event_follow	*ef;
	char			*cause = NULL;
	off_t			 size;

	follow_fixture_setup(&f, true);
	follow_fixture_emit(&f, 10);
	ring_flush(f.r);
	follow_fixture_sync(&f);
	ef = event_follow_open(f.jpath, f.rpath, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ef);
	CU_ASSERT_EQUAL(drain(ef, 0), 10);
	CU_ASSERT_TRUE(event_follow_live(ef));
	/* Records on the ring, not yet in the journal, come from the ring. */
	size = journal_size(&f);
	follow_fixture_emit(&f, 3);
	ring_flush(f.r);
	CU_ASSERT_EQUAL(drain(ef, 10), 13);
	CU_ASSERT_EQUAL(journal_size(&f), size);
	event_follow_free(ef);
	follow_fixture_teardown(&f);
}

/* The ring is looked for again until it is there. */
static void
test_event_follow_takes_up_a_ring_made_after_it_opened(void)
{
	struct follow_fixture	 f;
	struct event_follow	*ef;
	char			*cause = NULL;

	follow_fixture_setup(&f, false);
	follow_fixture_emit(&f, 2);
	follow_fixture_sync(&f);
	ef = event_follow_open(f.jpath, f.rpath, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ef);
	CU_ASSERT_EQUAL(drain(ef, 0), 2);
	follow_fixture_ring(&f);
	CU_ASSERT_EQUAL(drain(ef, 2), 2);
	follow_fixture_emit(&f, 3);
	ring_flush(f.r);
	CU_ASSERT_EQUAL(drain(ef, 2), 5);
	event_follow_free(ef);
	follow_fixture_teardown(&f);
}

/*
 * A record the ring leaves out (a payload over RING_PAYLOAD_MAX) makes
 * the next one ahead: it waits for the journal's batch, then comes after
 * the one from the journal.
 */
static void
test_event_follow_holds_a_record_ahead_until_the_journal_has_it(void)
{
	struct follow_fixture		 f;
	struct event_follow		*ef;
	const struct event_header	*h;
	const void			*p;
	static char			 big[RING_PAYLOAD_MAX + 64];
	struct event_warning		*w = (struct event_warning *)big;
	char				*cause = NULL;

	follow_fixture_setup(&f, true);
	follow_fixture_emit(&f, 5);
	ring_flush(f.r);
	follow_fixture_sync(&f);
	ef = event_follow_open(f.jpath, f.rpath, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ef);
	CU_ASSERT_EQUAL(drain(ef, 0), 5);

	memset(big, 'x', sizeof big);
	memset(w, 0, sizeof *w);
	w->len = sizeof big - sizeof *w;
	event_stream_emit(f.es, EVENT_WARNING, big, sizeof big);
	f.done++;
	follow_fixture_emit(&f, 1);
	ring_flush(f.r);
	CU_ASSERT_EQUAL(event_follow_next(ef, &h, &p, 0, &cause),
	    EVENT_FOLLOW_NONE);
	CU_ASSERT_EQUAL(event_follow_seq(ef), 5);

	follow_fixture_sync(&f);
	CU_ASSERT_EQUAL_FATAL(event_follow_next(ef, &h, &p, 0, &cause),
	    EVENT_FOLLOW_RECORD);
	CU_ASSERT_EQUAL(h->seq, 6);
	CU_ASSERT_EQUAL(h->type, EVENT_WARNING);
	CU_ASSERT_EQUAL(h->len, sizeof big);
	CU_ASSERT_EQUAL(drain(ef, 6), 7);
	event_follow_free(ef);
	follow_fixture_teardown(&f);
}

static void
test_event_follow_takes_what_a_lap_lost_from_the_journal(void)
{
	struct follow_fixture	 f;
	struct event_follow	*ef;
	char			*cause = NULL;
	off_t			 size;

	follow_fixture_setup(&f, true);
	follow_fixture_emit(&f, 5);
	ring_flush(f.r);
	follow_fixture_sync(&f);
	ef = event_follow_open(f.jpath, f.rpath, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ef);
	CU_ASSERT_EQUAL(drain(ef, 0), 5);
	/* Far more than the ring holds: the reader is lapped. */
	follow_fixture_emit(&f, 20000);
	ring_flush(f.r);
	follow_fixture_sync(&f);
	CU_ASSERT_EQUAL(drain(ef, 5), 20005);
	/* And the ring is followed again afterwards. */
	size = journal_size(&f);
	follow_fixture_emit(&f, 2);
	ring_flush(f.r);
	CU_ASSERT_EQUAL(drain(ef, 20005), 20007);
	CU_ASSERT_EQUAL(journal_size(&f), size);
	event_follow_free(ef);
	follow_fixture_teardown(&f);
}

/*
 * Write a record to the journal as it is and to the ring as given:
 * short (a payload of ring_len bytes) or, with bad_crc, with its CRC
 * wrong.
 */
static void
sink_both(struct follow_fixture *f, struct event_header *h,
    const void *payload, uint32_t ring_len, int bad_crc)
{
	h->crc = event_record_crc(h, payload);
	journal_sink(f->j, h, payload);
	h->len = ring_len;
	h->crc = event_record_crc(h, payload) ^ (bad_crc ? 1 : 0);
	ring_sink(f->r, h, payload);
}

/*
 * A short or corrupt record in the ring is never returned, and reading
 * goes on from the journal's good copy; one in the journal is an error.
 */
static void
test_event_follow_rejects_short_and_corrupt_records(void)
{
	struct follow_fixture		 f;
	struct event_follow		*ef;
	struct event_header		 h;
	const struct event_header	*hp;
	const void			*p;
	unsigned char			 payload[sizeof (struct event_warning)
					     + 8];
	struct event_warning		*w = (struct event_warning *)payload;
	enum event_follow_next		 next;
	char				*cause = NULL;

	follow_fixture_setup(&f, true);
	follow_fixture_emit(&f, 3);
	ring_flush(f.r);
	follow_fixture_sync(&f);
	ef = event_follow_open(f.jpath, f.rpath, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ef);
	CU_ASSERT_EQUAL(drain(ef, 0), 3);

	memset(payload, 'w', sizeof payload);
	memset(w, 0, sizeof *w);
	w->len = 8;
	memset(&h, 0, sizeof h);
	h.version = EVENT_VERSION;
	h.type = EVENT_WARNING;
	h.seq = 4;
	h.len = sizeof payload;
	sink_both(&f, &h, payload, 4, 0);		/* short */
	ring_flush(f.r);
	CU_ASSERT_EQUAL(event_follow_next(ef, &hp, &p, 0, &cause),
	    EVENT_FOLLOW_NONE);
	h.seq = 5;
	h.len = sizeof payload;
	sink_both(&f, &h, payload, sizeof payload, 1);	/* bad CRC */
	ring_flush(f.r);
	CU_ASSERT_EQUAL(event_follow_next(ef, &hp, &p, 0, &cause),
	    EVENT_FOLLOW_NONE);
	CU_ASSERT_EQUAL(event_follow_seq(ef), 3);
	follow_fixture_sync(&f);
	CU_ASSERT_EQUAL_FATAL(event_follow_next(ef, &hp, &p, 0, &cause),
	    EVENT_FOLLOW_RECORD);
	CU_ASSERT_EQUAL(hp->seq, 4);
	CU_ASSERT_EQUAL(hp->len, sizeof payload);
	CU_ASSERT_EQUAL_FATAL(event_follow_next(ef, &hp, &p, 0, &cause),
	    EVENT_FOLLOW_RECORD);
	CU_ASSERT_EQUAL(hp->seq, 5);
	CU_ASSERT(hp->crc == event_record_crc(hp, p));
	event_follow_free(ef);

	/* The journal's own short record: the file is damaged. */
	h.seq = 6;
	h.len = 4;
	h.crc = event_record_crc(&h, payload);
	journal_sink(f.j, &h, payload);
	follow_fixture_sync(&f);
	ef = event_follow_open(f.jpath, NULL, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ef);
	while ((next = event_follow_next(ef, &hp, &p, 0, &cause)) ==
	    EVENT_FOLLOW_RECORD)
		continue;
	CU_ASSERT_EQUAL(next, EVENT_FOLLOW_ERROR);
	CU_ASSERT_EQUAL(event_follow_seq(ef), 5);
	CU_ASSERT(cause != NULL &&
	    strstr(cause, "warning record too short") != NULL);
	free(cause);
	event_follow_free(ef);
	follow_fixture_teardown(&f);
}

/* The engine's side of the next test: bursts, a pause, then the end. */
static void *
writer_main(void *arg)
{
	struct follow_fixture	*f = arg;
	struct event_scan_end	 end;
	struct timespec		 ms = { 0, 1000000 };
	char			*cause = NULL;
	int			 i;

	for (i = 0; i < 50; i++) {
		follow_fixture_emit(f, 97);
		ring_flush(f->r);
		journal_tick(f->j, clock_now_ns(), &cause);
		nanosleep(&ms, NULL);
	}
	memset(&end, 0, sizeof end);
	end.status = EVENT_END_DONE;
	event_stream_emit(f->es, EVENT_SCAN_END, &end, sizeof end);
	finish(f);
	return (NULL);
}

/* Waiting, every record written meanwhile comes, in order, then the end. */
static void
test_event_follow_waits_for_records_written_while_it_follows(void)
{
	struct follow_fixture		 f;
	struct event_follow		*ef;
	const struct event_header	*h;
	const void			*p;
	pthread_t			 writer;
	enum event_follow_next		 next;
	char				*cause = NULL;
	uint64_t			 seq = 0;

	follow_fixture_setup(&f, true);
	follow_fixture_emit(&f, 3);
	ring_flush(f.r);
	follow_fixture_sync(&f);
	ef = event_follow_open(f.jpath, f.rpath, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ef);
	CU_ASSERT_EQUAL_FATAL(pthread_create(&writer, NULL, writer_main, &f),
	    0);
	while ((next = event_follow_next(ef, &h, &p, 10000, &cause)) ==
	    EVENT_FOLLOW_RECORD) {
		CU_ASSERT_EQUAL_FATAL(h->seq, seq + 1);
		seq = h->seq;
	}
	pthread_join(writer, NULL);
	CU_ASSERT_EQUAL(next, EVENT_FOLLOW_END);
	CU_ASSERT_EQUAL(seq, 3 + 50 * 97 + 1);
	CU_ASSERT_FALSE(event_follow_live(ef));
	event_follow_free(ef);
	follow_fixture_teardown(&f);
}

/* Without a scan-end: the ring closed, or its writer gone. */
static void
test_event_follow_ends_when_the_ring_closes_or_the_writer_is_gone(void)
{
	struct follow_fixture		 f;
	struct event_follow		*ef;
	const struct event_header	*h;
	const void			*p;
	char				*cause = NULL;

	follow_fixture_setup(&f, true);
	follow_fixture_emit(&f, 3);
	ring_flush(f.r);
	follow_fixture_sync(&f);
	ef = event_follow_open(f.jpath, f.rpath, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ef);
	CU_ASSERT_EQUAL(drain(ef, 0), 3);
	follow_fixture_emit(&f, 4);
	finish(&f);
	CU_ASSERT_EQUAL(drain(ef, 3), 7);
	CU_ASSERT_EQUAL(event_follow_next(ef, &h, &p, 10000, &cause),
	    EVENT_FOLLOW_END);
	CU_ASSERT_FALSE(event_follow_live(ef));
	event_follow_free(ef);

	/* A ring left by a writer that died: the journal is all there is. */
	follow_fixture_ring(&f);
	ef = event_follow_open(f.jpath, f.rpath, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ef);
	CU_ASSERT_EQUAL(drain(ef, 0), 7);
	CU_ASSERT_TRUE(event_follow_live(ef));
	CU_ASSERT_EQUAL(event_follow_next(ef, &h, &p, 30, &cause),
	    EVENT_FOLLOW_NONE);
	follow_fixture_emit(&f, 1);
	follow_fixture_sync(&f);
	event_follow_writer_gone(ef);
	CU_ASSERT_FALSE(event_follow_live(ef));
	CU_ASSERT_EQUAL(drain(ef, 7), 8);
	CU_ASSERT_EQUAL(event_follow_next(ef, &h, &p, 0, &cause),
	    EVENT_FOLLOW_END);
	event_follow_free(ef);
	follow_fixture_teardown(&f);
}

static void
test_event_follow_refuses_a_missing_journal(void)
{
	struct event_follow	*ef;
	char			*cause = NULL;

	ef = event_follow_open("/nonexistent/tact/journal", NULL, &cause);
	CU_ASSERT_PTR_NULL(ef);
	CU_ASSERT_PTR_NOT_NULL(cause);
	free(cause);
}

static const struct unit_test tests[] = {
	TEST(test_event_follow_reads_the_journal_then_follows_the_ring),
	TEST(test_event_follow_takes_up_a_ring_made_after_it_opened),
	TEST(test_event_follow_holds_a_record_ahead_until_the_journal_has_it),
	TEST(test_event_follow_takes_what_a_lap_lost_from_the_journal),
	TEST(test_event_follow_rejects_short_and_corrupt_records),
	TEST(test_event_follow_waits_for_records_written_while_it_follows),
	TEST(test_event_follow_ends_when_the_ring_closes_or_the_writer_is_gone),
	TEST(test_event_follow_refuses_a_missing_journal),
	TEST_END
};

UNIT_MAIN("event-follow", tests)
