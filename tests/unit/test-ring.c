/*
 * The ring: readers see records in order, wrapped records intact, laps
 * reported, and under torture (a writer flat out, a reader descheduled
 * at random points, even inside a read) never a torn or reordered record
 * and never a silent gap.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"

#include "event.h"
#include "ring.h"

#define SMALL		RING_SIZE_MIN
#define TORTURE_RING	(256U << 10)
#define TORTURE_MIN_NS	1000000000ULL	/* run at least this long */
#define TORTURE_MAX_NS	6000000000ULL	/* and on a busy machine, longer */
/* A type this tact does not know: a payload of any length is good. */
#define TEST_TYPE	EVENT_TYPE_MAX

struct torture {
	struct ring	*ring;
	atomic_int	 stop;
	uint64_t	 written;
	unsigned int	 seed;
};

static char	*scratch_path(void);
static size_t	 make_record(uint64_t, size_t, struct event_header *,
		     unsigned char *);
static int	 check_record(const struct event_header *, const void *);
static void	 put(struct ring *, uint64_t, size_t);
static void	 finish(struct ring *, struct ring_reader *, char *);
static void	*torture_writer(void *);
static void	 torture_hook(void *);
static void	 random_pause(unsigned int *, int);
static uint64_t	 now_ns(void);

static char *
scratch_path(void)
{
	char	*path;

	path = unit_tmpfile("", 0);
	unlink(path);
	return (path);
}

static uint64_t
now_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec);
}

/* Record seq: a payload of a length and bytes that follow from seq. */
static size_t
make_record(uint64_t seq, size_t len, struct event_header *h,
    unsigned char *payload)
{
	size_t	i;

	for (i = 0; i < len; i++)
		payload[i] = (unsigned char)(seq * 31 + i * 7 + (seq >> 8));
	memset(h, 0, sizeof *h);
	h->version = EVENT_VERSION;
	h->type = TEST_TYPE;
	h->len = (uint32_t)len;
	h->seq = seq;
	h->mono_ns = seq ^ 0x5a5a5a5a5a5a5a5aULL;
	h->crc = event_record_crc(h, payload);
	return (len);
}

/* Write record seq, of len bytes, into the ring (not yet published). */
static void
put(struct ring *rg, uint64_t seq, size_t len)
{
	struct event_header	 h;
	static unsigned char	 payload[RING_PAYLOAD_MAX + 8];

	make_record(seq, len, &h, payload);
	ring_sink(rg, &h, payload);
}

/* Close the ring and its reader, remove the file. */
static void
finish(struct ring *rg, struct ring_reader *r, char *path)
{
	ring_close(rg);
	ring_reader_free(r);
	unlink(path);
	free(path);
}

/* Is this exactly the record make_record made for its seq? */
static int
check_record(const struct event_header *h, const void *payload)
{
	const unsigned char	*p = payload;
	size_t			 i;

	if (h->version != EVENT_VERSION || h->type != TEST_TYPE ||
	    h->mono_ns != (h->seq ^ 0x5a5a5a5a5a5a5a5aULL) ||
	    h->crc != event_record_crc(h, payload))
		return (0);
	for (i = 0; i < h->len; i++) {
		if (p[i] != (unsigned char)(h->seq * 31 + i * 7 +
		    (h->seq >> 8)))
			return (0);
	}
	return (1);
}

static void
test_ring_reader_sees_records_in_order(void)
{
	struct ring		*rg;
	struct ring_reader	*r;
	struct event_header	 h;
	const struct event_header *hp;
	const void		*p;
	unsigned char		 payload[256];
	char			*path = scratch_path(), *cause = NULL;
	uint64_t		 seq;

	rg = ring_create(path, SMALL, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rg);
	r = ring_reader_open(path, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(ring_reader_next(r, &hp, &p), RING_EMPTY);
	for (seq = 1; seq <= 100; seq++) {
		make_record(seq, seq % 200, &h, payload);
		ring_sink(rg, &h, payload);
	}
	ring_flush(rg);
	for (seq = 1; seq <= 100; seq++) {
		CU_ASSERT_EQUAL_FATAL(ring_reader_next(r, &hp, &p),
		    RING_RECORD);
		CU_ASSERT_EQUAL(hp->seq, seq);
		CU_ASSERT(check_record(hp, p));
	}
	CU_ASSERT_EQUAL(ring_reader_next(r, &hp, &p), RING_EMPTY);
	ring_close(rg);
	CU_ASSERT_EQUAL(ring_reader_next(r, &hp, &p), RING_CLOSED);
	ring_reader_free(r);
	unlink(path);
	free(path);
}

static void
test_ring_reader_starts_at_the_writer_end(void)
{
	struct ring		*rg;
	struct ring_reader	*r;
	const struct event_header *hp;
	const void		*p;
	char			*path = scratch_path(), *cause = NULL;

	rg = ring_create(path, SMALL, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rg);
	put(rg, 1, 40);
	ring_flush(rg);
	r = ring_reader_open(path, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	put(rg, 2, 40);
	ring_flush(rg);
	CU_ASSERT_EQUAL_FATAL(ring_reader_next(r, &hp, &p), RING_RECORD);
	CU_ASSERT_EQUAL(hp->seq, 2);
	finish(rg, r, path);
}

/* Many laps of a reader that keeps up: records wrap, none is lost. */
static void
test_ring_records_wrap_intact_for_a_reader_that_keeps_up(void)
{
	struct ring		*rg;
	struct ring_reader	*r;
	struct event_header	 h;
	const struct event_header *hp;
	const void		*p;
	unsigned char		 payload[1024];
	char			*path = scratch_path(), *cause = NULL;
	uint64_t		 seq, got = 0;
	size_t			 written = 0;

	rg = ring_create(path, SMALL, &cause);
	r = ring_reader_open(path, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	for (seq = 1; written < 10 * SMALL; seq++) {
		written += make_record(seq, (seq * 13) % 1000, &h, payload);
		ring_sink(rg, &h, payload);
		ring_flush(rg);
		while (ring_reader_next(r, &hp, &p) == RING_RECORD) {
			CU_ASSERT_EQUAL(hp->seq, got + 1);
			CU_ASSERT(check_record(hp, p));
			got = hp->seq;
		}
	}
	CU_ASSERT_EQUAL(got, seq - 1);
	finish(rg, r, path);
}

static void
test_ring_reports_lap_when_overwritten(void)
{
	struct ring		*rg;
	struct ring_reader	*r;
	struct event_header	 h;
	const struct event_header *hp;
	const void		*p;
	unsigned char		 payload[512];
	char			*path = scratch_path(), *cause = NULL;
	uint64_t		 seq;

	rg = ring_create(path, SMALL, &cause);
	r = ring_reader_open(path, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	for (seq = 1; seq <= 2 * SMALL / 512; seq++) {
		make_record(seq, 500, &h, payload);
		ring_sink(rg, &h, payload);
	}
	ring_flush(rg);
	CU_ASSERT_EQUAL(ring_reader_next(r, &hp, &p), RING_LAPPED);
	put(rg, seq, 500);
	ring_flush(rg);
	CU_ASSERT_EQUAL_FATAL(ring_reader_next(r, &hp, &p), RING_RECORD);
	CU_ASSERT_EQUAL(hp->seq, seq);
	CU_ASSERT(check_record(hp, p));
	finish(rg, r, path);
}

static void
test_ring_leaves_out_oversized_record_as_a_gap(void)
{
	struct ring		*rg;
	struct ring_reader	*r;
	const struct event_header *hp;
	const void		*p;
	char			*path = scratch_path(), *cause = NULL;

	rg = ring_create(path, RING_SIZE_DEFAULT, &cause);
	r = ring_reader_open(path, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	put(rg, 1, 10);
	put(rg, 2, RING_PAYLOAD_MAX + 8);
	put(rg, 3, 10);
	ring_flush(rg);
	CU_ASSERT_EQUAL(ring_reader_next(r, &hp, &p), RING_RECORD);
	CU_ASSERT_EQUAL(hp->seq, 1);
	CU_ASSERT_EQUAL(ring_reader_next(r, &hp, &p), RING_LAPPED);
	CU_ASSERT_EQUAL(ring_reader_next(r, &hp, &p), RING_RECORD);
	CU_ASSERT_EQUAL(hp->seq, 3);
	finish(rg, r, path);
}

/* A length that runs past the tail is no tact writer's: a lap, not a hang. */
static void
test_ring_reader_stops_at_a_record_running_past_the_tail(void)
{
	struct ring		*rg;
	struct ring_reader	*r;
	const struct event_header *hp;
	const void		*p;
	char			*path = scratch_path(), *cause = NULL;
	uint32_t		 len = 100;
	struct stat		 sb;
	int			 fd;

	rg = ring_create(path, SMALL, &cause);
	r = ring_reader_open(path, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	put(rg, 1, 10);
	ring_flush(rg);
	fd = open(path, O_WRONLY);
	CU_ASSERT_FATAL(fd != -1 && fstat(fd, &sb) == 0);
	CU_ASSERT_EQUAL(pwrite(fd, &len, sizeof len, sb.st_size - SMALL +
	    offsetof(struct event_header, len)), sizeof len);
	close(fd);
	CU_ASSERT_EQUAL(ring_reader_next(r, &hp, &p), RING_LAPPED);
	CU_ASSERT_EQUAL(ring_reader_next(r, &hp, &p), RING_EMPTY);
	put(rg, 2, 10);
	ring_flush(rg);
	CU_ASSERT_EQUAL_FATAL(ring_reader_next(r, &hp, &p), RING_RECORD);
	CU_ASSERT_EQUAL(hp->seq, 2);
	finish(rg, r, path);
}

/*
 * A record that fails the record check (a warning shorter than its struct,
 * a bad CRC) is never returned: the reader skips to the writer's end, as
 * after a lap, and reads on from there.
 */
static void
test_ring_reader_rejects_short_and_corrupt_records(void)
{
	struct ring		*rg;
	struct ring_reader	*r;
	struct event_header	 h;
	const struct event_header *hp;
	const void		*p;
	unsigned char		 payload[64];
	char			*path = scratch_path(), *cause = NULL;

	rg = ring_create(path, SMALL, &cause);
	r = ring_reader_open(path, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	put(rg, 1, 40);
	memset(payload, 0xff, sizeof payload);
	memset(&h, 0, sizeof h);
	h.version = EVENT_VERSION;
	h.type = EVENT_WARNING;
	h.len = 4;
	h.seq = 2;
	h.crc = event_record_crc(&h, payload);
	ring_sink(rg, &h, payload);
	ring_flush(rg);
	CU_ASSERT_EQUAL_FATAL(ring_reader_next(r, &hp, &p), RING_RECORD);
	CU_ASSERT_EQUAL(hp->seq, 1);
	CU_ASSERT_EQUAL(ring_reader_next(r, &hp, &p), RING_LAPPED);
	CU_ASSERT_EQUAL(ring_reader_next(r, &hp, &p), RING_EMPTY);

	make_record(3, 40, &h, payload);
	h.crc ^= 1;
	ring_sink(rg, &h, payload);
	ring_flush(rg);
	CU_ASSERT_EQUAL(ring_reader_next(r, &hp, &p), RING_LAPPED);
	put(rg, 4, 40);
	ring_flush(rg);
	CU_ASSERT_EQUAL_FATAL(ring_reader_next(r, &hp, &p), RING_RECORD);
	CU_ASSERT_EQUAL(hp->seq, 4);
	CU_ASSERT(check_record(hp, p));
	finish(rg, r, path);
}

static void
test_ring_rejects_bad_size_and_foreign_file(void)
{
	char	*path = scratch_path(), *cause = NULL;
	char	 junk[8192];
	char	*foreign;

	CU_ASSERT_PTR_NULL(ring_create(path, SMALL + 1, &cause));
	CU_ASSERT_PTR_NOT_NULL(cause);
	free(cause);
	memset(junk, 'x', sizeof junk);
	foreign = unit_tmpfile(junk, sizeof junk);
	CU_ASSERT_PTR_NULL(ring_reader_open(foreign, &cause));
	CU_ASSERT(cause != NULL && strstr(cause, "not a tact ring") != NULL);
	free(cause);
	unlink(foreign);
	free(foreign);
	free(path);
}

static void *
torture_writer(void *arg)
{
	struct torture		*t = arg;
	struct event_header	 h;
	unsigned char		 payload[300];
	uint64_t		 seq;

	for (seq = 1; !atomic_load_explicit(&t->stop, memory_order_relaxed);
	    seq++) {
		make_record(seq, (seq * 37) % 300, &h, payload);
		ring_sink(t->ring, &h, payload);
		if (seq % 7 == 0)
			ring_flush(t->ring);
	}
	ring_flush(t->ring);
	t->written = seq - 1;
	return (NULL);
}

/* Yield with odds 3 in sides, sleep up to 20 us with odds 1 in sides. */
static void
random_pause(unsigned int *seed, int sides)
{
	struct timespec	ts;
	int		dice = rand_r(seed) % sides;

	if (dice < 3)
		sched_yield();
	else if (dice == 3) {
		ts.tv_sec = 0;
		ts.tv_nsec = rand_r(seed) % 20000;
		nanosleep(&ts, NULL);
	}
}

/* Inside a read: between pieces of the copy, and before the check. */
static void
torture_hook(void *arg)
{
	random_pause(arg, 64);
}

static void
test_ring_torture_no_torn_or_reordered_record_and_every_lap_seen(void)
{
	struct torture		 t;
	struct ring_reader	*r;
	const struct event_header *hp;
	const void		*p;
	pthread_t		 th;
	char			*path = scratch_path(), *cause = NULL;
	uint64_t		 last = 0, records = 0, laps = 0, torn = 0;
	uint64_t		 reordered = 0, silent_gaps = 0, start, now;
	int			 lapped = 0;

	memset(&t, 0, sizeof t);
	t.seed = (unsigned int)now_ns();
	t.ring = ring_create(path, TORTURE_RING, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t.ring);
	r = ring_reader_open(path, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	ring_reader_set_hook(r, torture_hook, &t.seed);
	CU_ASSERT_EQUAL_FATAL(pthread_create(&th, NULL, torture_writer, &t),
	    0);

	start = now = now_ns();
	while (now < start + TORTURE_MAX_NS && (now < start + TORTURE_MIN_NS ||
	    records < 10000 || laps < 100)) {
		switch (ring_reader_next(r, &hp, &p)) {
		case RING_RECORD:
			records++;
			if (!check_record(hp, p))
				torn++;
			if (hp->seq <= last)
				reordered++;
			else if (hp->seq != last + 1 && !lapped)
				silent_gaps++;
			last = hp->seq;
			lapped = 0;
			break;
		case RING_LAPPED:
			laps++;
			lapped = 1;
			break;
		default:
			break;
		}
		random_pause(&t.seed, 16);
		now = now_ns();
	}
	atomic_store(&t.stop, 1);
	pthread_join(th, NULL);

	fprintf(stderr, "\n  torture: %llu written, %llu read, %llu laps\n",
	    (unsigned long long)t.written, (unsigned long long)records,
	    (unsigned long long)laps);
	CU_ASSERT_EQUAL(torn, 0);
	CU_ASSERT_EQUAL(reordered, 0);
	CU_ASSERT_EQUAL(silent_gaps, 0);
	CU_ASSERT(records > 1000);
	CU_ASSERT(laps > 10);
	CU_ASSERT(t.written > records);
	ring_close(t.ring);
	ring_reader_free(r);
	unlink(path);
	free(path);
}

static const struct unit_test tests[] = {
	TEST(test_ring_reader_sees_records_in_order),
	TEST(test_ring_reader_starts_at_the_writer_end),
	TEST(test_ring_records_wrap_intact_for_a_reader_that_keeps_up),
	TEST(test_ring_reports_lap_when_overwritten),
	TEST(test_ring_leaves_out_oversized_record_as_a_gap),
	TEST(test_ring_reader_stops_at_a_record_running_past_the_tail),
	TEST(test_ring_reader_rejects_short_and_corrupt_records),
	TEST(test_ring_rejects_bad_size_and_foreign_file),
	TEST(test_ring_torture_no_torn_or_reordered_record_and_every_lap_seen),
	TEST_END
};

UNIT_MAIN("ring", tests)
