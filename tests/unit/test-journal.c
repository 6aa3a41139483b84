/*
 * The journal: records come back exactly as written; a torn tail is cut,
 * never misread; damage, unknown versions and gaps are errors that name
 * the file and the offset.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"

#include "event.h"
#include "journal.h"
#include "port-spec.h"
#include "xmalloc.h"

#define NRECORDS	6

static char	*scratch_path(void);
static void	 write_records(const char *, uint64_t, int);
static char	*read_file(const char *, size_t *);
static void	 write_file(const char *, const void *, size_t);
static int	 read_all(const char *, uint64_t *, char **);
static uint64_t	 record_offset(const char *, int);
static uint64_t	 mono_ns(void);
static uint32_t	 crc32c_by_bits(const unsigned char *, size_t);

static char *
scratch_path(void)
{
	char	*path;

	path = unit_tmpfile("", 0);
	unlink(path);
	return (path);
}

/* Records of every shape: fixed, with strings, with odd lengths. */
static void
write_records(const char *path, uint64_t first, int n)
{
	struct event_stream	*es;
	struct journal		*j;
	struct event_port	 port;
	struct event_progress	 prog;
	char			 buf[sizeof (struct event_service) + 13];
	struct event_service	*svc = (struct event_service *)buf;
	uint64_t		 last;
	char			*cause = NULL;
	int			 i;

	if (first == 1)
		j = journal_create(path, &cause);
	else
		j = journal_open_append(path, &last, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	es = event_stream_create();
	event_stream_set_seq(es, first - 1);
	event_stream_add_sink(es, journal_sink, j);
	for (i = (int)first - 1; i < (int)first - 1 + n; i++) {
		switch (i % 3) {
		case 0:
			memset(&port, 0, sizeof port);
			port.addr.family = 2;
			port.port = (uint16_t)(1000 + i);
			port.state = EVENT_PORT_OPEN;
			port.rtt_us = (uint32_t)i * 7;
			event_stream_emit(es, EVENT_PORT_STATE, &port,
			    sizeof port);
			break;
		case 1:
			memset(buf, 0, sizeof buf);
			svc->port = (uint16_t)i;
			svc->len = 13;
			memcpy(buf + sizeof *svc, "SSH-2.0-x\r\nab", 13);
			event_stream_emit(es, EVENT_SERVICE, buf, sizeof buf);
			break;
		default:
			memset(&prog, 0, sizeof prog);
			prog.pairs_done = (uint64_t)i;
			prog.iter_done = (uint64_t)i + 100;
			event_stream_emit(es, EVENT_PROGRESS, &prog,
			    sizeof prog);
			break;
		}
	}
	CU_ASSERT_EQUAL(journal_close(j, &cause), 0);
	event_stream_free(es);
}

static char *
read_file(const char *path, size_t *len)
{
	struct stat	 sb;
	char		*buf;
	int		 fd;

	fd = open(path, O_RDONLY);
	if (fd == -1 || fstat(fd, &sb) == -1)
		abort();
	buf = xmalloc((size_t)sb.st_size + 1);
	if (read(fd, buf, (size_t)sb.st_size) != sb.st_size)
		abort();
	close(fd);
	*len = (size_t)sb.st_size;
	return (buf);
}

static void
write_file(const char *path, const void *buf, size_t len)
{
	int	fd;

	fd = open(path, O_WRONLY|O_CREAT|O_TRUNC, 0600);
	if (fd == -1 || write(fd, buf, len) != (ssize_t)len)
		abort();
	close(fd);
}

/* Read every record: 0 at a clean or torn end, -1 on an error. */
static int
read_all(const char *path, uint64_t *last, char **cause)
{
	struct journal_reader		*r;
	const struct event_header	*h;
	const void			*p;
	int				 rc;

	*cause = NULL;
	if ((r = journal_reader_open(path, cause)) == NULL)
		return (-1);
	while ((rc = journal_reader_next(r, &h, &p, cause)) == 1)
		continue;
	*last = journal_reader_seq(r);
	journal_reader_free(r);
	return (rc);
}

/* The file offset where record n (from 1) starts. */
static uint64_t
record_offset(const char *path, int n)
{
	struct journal_reader		*r;
	const struct event_header	*h;
	const void			*p;
	uint64_t			 off;
	char				*cause = NULL;

	r = journal_reader_open(path, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	while (--n > 0)
		CU_ASSERT_EQUAL(journal_reader_next(r, &h, &p, &cause), 1);
	off = journal_reader_offset(r);
	journal_reader_free(r);
	return (off);
}

static void
test_journal_round_trip_returns_every_record_as_written(void)
{
	struct journal_reader		*r;
	const struct event_header	*h;
	const void			*p;
	const struct event_port		*port;
	const struct event_service	*svc;
	char				*path = scratch_path(), *cause = NULL;
	uint64_t			 seq = 0;
	int				 rc;

	write_records(path, 1, NRECORDS);
	r = journal_reader_open(path, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	while ((rc = journal_reader_next(r, &h, &p, &cause)) == 1) {
		seq++;
		CU_ASSERT_EQUAL(h->seq, seq);
		CU_ASSERT_EQUAL(h->version, EVENT_VERSION);
		CU_ASSERT_EQUAL(h->crc, event_record_crc(h, p));
		switch ((seq - 1) % 3) {
		case 0:
			CU_ASSERT_EQUAL(h->type, EVENT_PORT_STATE);
			port = p;
			CU_ASSERT_EQUAL(port->port, 1000 + seq - 1);
			CU_ASSERT_EQUAL(port->rtt_us, (seq - 1) * 7);
			break;
		case 1:
			CU_ASSERT_EQUAL(h->type, EVENT_SERVICE);
			svc = p;
			CU_ASSERT_EQUAL(svc->len, 13);
			CU_ASSERT_EQUAL(memcmp((const char *)p + sizeof *svc,
			    "SSH-2.0-x\r\nab", 13), 0);
			break;
		default:
			CU_ASSERT_EQUAL(h->type, EVENT_PROGRESS);
			CU_ASSERT_EQUAL(((const struct event_progress *)p)->
			    iter_done, seq - 1 + 100);
			break;
		}
	}
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(seq, NRECORDS);
	journal_reader_free(r);
	unlink(path);
	free(path);
}

static void
test_journal_create_refuses_existing_file(void)
{
	char	*path = scratch_path(), *cause = NULL;

	write_records(path, 1, 1);
	CU_ASSERT_PTR_NULL(journal_create(path, &cause));
	CU_ASSERT_PTR_NOT_NULL(cause);
	free(cause);
	unlink(path);
	free(path);
}

static void
test_journal_torn_tail_at_every_offset_is_cut_on_append(void)
{
	char		*path = scratch_path(), *cut = scratch_path();
	char		*whole, *again, *cause;
	size_t		 len, len2;
	uint64_t	 last_start, off, last;

	write_records(path, 1, NRECORDS);
	whole = read_file(path, &len);
	last_start = record_offset(path, NRECORDS);
	for (off = last_start; off < len; off++) {
		write_file(cut, whole, off);
		CU_ASSERT_EQUAL(read_all(cut, &last, &cause), 0);
		CU_ASSERT_EQUAL(last, NRECORDS - 1);

		write_records(cut, NRECORDS, 1);
		again = read_file(cut, &len2);
		CU_ASSERT_EQUAL(len2, len);
		CU_ASSERT_EQUAL(memcmp(again, whole, last_start), 0);
		CU_ASSERT_EQUAL(read_all(cut, &last, &cause), 0);
		CU_ASSERT_EQUAL(last, NRECORDS);
		free(again);
	}
	free(whole);
	unlink(cut);
	unlink(path);
	free(cut);
	free(path);
}

static void
test_journal_zero_filled_tail_is_torn(void)
{
	char		*path = scratch_path(), *buf, *cause;
	size_t		 len;
	uint64_t	 last;

	write_records(path, 1, NRECORDS);
	buf = read_file(path, &len);
	buf = xreallocarray(buf, 1, len + 4096);
	memset(buf + len, 0, 4096);
	write_file(path, buf, len + 4096);
	CU_ASSERT_EQUAL(read_all(path, &last, &cause), 0);
	CU_ASSERT_EQUAL(last, NRECORDS);
	free(buf);
	unlink(path);
	free(path);
}

/*
 * Flip each bit of every record but the last: the damaged record is never
 * returned, and the damage is an error naming the file and offset. The
 * one exception: a length made longer than the file looks like a torn
 * tail (the CRC covers the length), and ends the journal there.
 */
static void
test_journal_flipped_bit_is_never_read_as_a_record(void)
{
	char		*path = scratch_path(), *flip = scratch_path();
	char		*whole, *cause;
	size_t		 len, bit, in;
	uint64_t	 off[NRECORDS + 1], last;
	int		 k, rc, is_len;

	write_records(path, 1, NRECORDS);
	whole = read_file(path, &len);
	for (k = 1; k <= NRECORDS; k++)
		off[k] = record_offset(path, k);
	for (k = 1; k < NRECORDS; k++) {
		for (bit = off[k] * 8; bit < off[k + 1] * 8; bit++) {
			whole[bit / 8] ^= (char)(1 << (bit % 8));
			write_file(flip, whole, len);
			whole[bit / 8] ^= (char)(1 << (bit % 8));
			in = bit / 8 - off[k];
			is_len = in >= offsetof(struct event_header, len) &&
			    in < offsetof(struct event_header, len) + 4;
			rc = read_all(flip, &last, &cause);
			CU_ASSERT_EQUAL(last, (uint64_t)k - 1);
			CU_ASSERT(rc == -1 || (rc == 0 && is_len));
			if (rc == -1) {
				CU_ASSERT(strncmp(cause, flip,
				    strlen(flip)) == 0);
				CU_ASSERT(strstr(cause, ": offset ") != NULL);
				free(cause);
			}
		}
	}

	/* In the last record's payload too: the CRC, not a torn tail. */
	whole[off[NRECORDS] + sizeof (struct event_header) + 2] ^= 0x10;
	write_file(flip, whole, len);
	CU_ASSERT_EQUAL(read_all(flip, &last, &cause), -1);
	CU_ASSERT(cause != NULL && strstr(cause, "bad record CRC") != NULL);
	free(cause);
	free(whole);
	unlink(flip);
	unlink(path);
	free(flip);
	free(path);
}

static void
test_journal_rejects_unknown_file_version(void)
{
	struct journal_file_header	*fh;
	char				*path = scratch_path(), *buf, *cause;
	char				*want;
	size_t				 len;
	uint64_t			 last;

	write_records(path, 1, 2);
	buf = read_file(path, &len);
	fh = (struct journal_file_header *)buf;
	fh->version = JOURNAL_VERSION + 1;
	write_file(path, buf, len);
	CU_ASSERT_EQUAL(read_all(path, &last, &cause), -1);
	xasprintf(&want, "unknown journal version %u", JOURNAL_VERSION + 1);
	CU_ASSERT(cause != NULL && strstr(cause, want) != NULL);
	free(want);
	free(cause);
	CU_ASSERT_PTR_NULL(journal_open_append(path, &last, &cause));
	free(cause);
	free(buf);
	unlink(path);
	free(path);
}

static void
test_journal_rejects_unknown_record_version(void)
{
	struct event_header	*h;
	char			*path = scratch_path(), *buf, *cause, *want;
	size_t			 len;
	uint64_t		 off, last;

	write_records(path, 1, 3);
	off = record_offset(path, 2);
	buf = read_file(path, &len);
	h = (struct event_header *)(buf + off);
	h->version = EVENT_VERSION + 1;
	h->crc = event_record_crc(h, h + 1);
	write_file(path, buf, len);
	CU_ASSERT_EQUAL(read_all(path, &last, &cause), -1);
	CU_ASSERT_EQUAL(last, 1);
	xasprintf(&want, "%s: offset %llu: unknown record version %u", path,
	    (unsigned long long)off, EVENT_VERSION + 1);
	CU_ASSERT(cause != NULL && strncmp(cause, want, strlen(want)) == 0);
	free(want);
	free(cause);
	free(buf);
	unlink(path);
	free(path);
}

/*
 * A port-run record whose ports are not what its count says, or that
 * is a run of open ports, is damage naming the offset.
 */
static void
test_journal_rejects_a_port_run_not_as_its_count_says(void)
{
	struct {
		struct event_port_run	e;
		unsigned char		ports[8];
	}			 run;
	struct event_stream	*es;
	struct journal		*j;
	char			*path, *cause = NULL, *want;
	uint16_t		 v[] = { 22, 23, 80 };
	uint64_t		 last, off;
	size_t			 len;
	int			 i;

	for (i = 0; i < 3; i++) {
		path = scratch_path();
		j = journal_create(path, &cause);
		CU_ASSERT_PTR_NOT_NULL_FATAL(j);
		es = event_stream_create();
		event_stream_add_sink(es, journal_sink, j);
		memset(&run, 0, sizeof run);
		run.e.proto = PORT_TCP;
		run.e.state = EVENT_PORT_CLOSED;
		len = event_port_run_encode(&run.e, v, 3);
		event_stream_emit(es, EVENT_PORT_RUN, &run, len);
		if (i == 0)
			run.e.count = 4;
		else if (i == 1)
			run.e.state = EVENT_PORT_OPEN;
		else
			len--;
		event_stream_emit(es, EVENT_PORT_RUN, &run, len);
		CU_ASSERT_EQUAL(journal_close(j, &cause), 0);
		event_stream_free(es);
		off = record_offset(path, 2);
		CU_ASSERT_EQUAL(read_all(path, &last, &cause), -1);
		CU_ASSERT_EQUAL(last, 1);
		xasprintf(&want, "%s: offset %llu: port-run record: ", path,
		    (unsigned long long)off);
		CU_ASSERT(cause != NULL &&
		    strncmp(cause, want, strlen(want)) == 0);
		free(want);
		free(cause);
		unlink(path);
		free(path);
	}
}

static void
test_journal_rejects_gap_in_sequence(void)
{
	char		*path = scratch_path(), *cause;
	uint64_t	 last, off;
	char		*want;

	write_records(path, 1, 2);
	off = record_offset(path, 3);
	write_records(path, 4, 2);
	CU_ASSERT_EQUAL(read_all(path, &last, &cause), -1);
	CU_ASSERT_EQUAL(last, 2);
	xasprintf(&want, "%s: offset %llu: record 4 follows 2", path,
	    (unsigned long long)off);
	CU_ASSERT(cause != NULL && strcmp(cause, want) == 0);
	free(want);
	free(cause);
	CU_ASSERT_PTR_NULL(journal_open_append(path, &last, &cause));
	free(cause);
	unlink(path);
	free(path);
}

static void
test_journal_rejects_a_file_that_is_not_a_journal(void)
{
	char		*path = scratch_path(), *cause;
	uint64_t	 last;

	write_file(path, "hello, world\n", 13);
	CU_ASSERT_EQUAL(read_all(path, &last, &cause), -1);
	CU_ASSERT(cause != NULL && strstr(cause, "not a tact journal"));
	free(cause);
	unlink(path);
	free(path);
}

static void
test_journal_reader_follows_a_growing_file(void)
{
	struct journal_reader		*r;
	const struct event_header	*h;
	const void			*p;
	char				*path = scratch_path(), *cause = NULL;
	char				*whole;
	size_t				 len;
	uint64_t			 mid;

	write_records(path, 1, NRECORDS);
	whole = read_file(path, &len);
	mid = record_offset(path, 3) + 5;
	write_file(path, whole, mid);

	r = journal_reader_open(path, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(journal_reader_next(r, &h, &p, &cause), 1);
	CU_ASSERT_EQUAL(journal_reader_next(r, &h, &p, &cause), 1);
	CU_ASSERT_EQUAL(journal_reader_next(r, &h, &p, &cause), 0);
	CU_ASSERT_EQUAL(journal_reader_next(r, &h, &p, &cause), 0);
	write_file(path, whole, len);
	CU_ASSERT_EQUAL(journal_reader_next(r, &h, &p, &cause), 1);
	CU_ASSERT_EQUAL(h->seq, 3);
	while (journal_reader_next(r, &h, &p, &cause) == 1)
		continue;
	CU_ASSERT_EQUAL(journal_reader_seq(r), NRECORDS);
	journal_reader_free(r);
	free(whole);
	unlink(path);
	free(path);
}

static void
test_journal_creates_file_private_to_its_owner(void)
{
	struct stat	 sb;
	char		*path = scratch_path();

	write_records(path, 1, 1);
	CU_ASSERT_EQUAL(stat(path, &sb), 0);
	CU_ASSERT_EQUAL(sb.st_mode & 0777, 0600);
	unlink(path);
	free(path);
}

static uint64_t
mono_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec);
}

/* Port records wait for their batch; start, control and end do not. */
static void
test_journal_writes_batches_when_due_and_some_records_at_once(void)
{
	struct event_stream	*es;
	struct journal		*j;
	struct event_port	 port;
	struct event_control	 ctl;
	char			*path = scratch_path(), *cause = NULL;
	uint64_t		 last;

	j = journal_create(path, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	es = event_stream_create();
	event_stream_add_sink(es, journal_sink, j);
	memset(&port, 0, sizeof port);
	event_stream_emit(es, EVENT_PORT_STATE, &port, sizeof port);
	CU_ASSERT_EQUAL(read_all(path, &last, &cause), 0);
	CU_ASSERT_EQUAL(last, 0);

	CU_ASSERT_EQUAL(journal_tick(j, mono_ns() + 200000000ULL, &cause), 0);
	CU_ASSERT_EQUAL(read_all(path, &last, &cause), 0);
	CU_ASSERT_EQUAL(last, 1);

	event_stream_emit(es, EVENT_PORT_STATE, &port, sizeof port);
	memset(&ctl, 0, sizeof ctl);
	ctl.action = EVENT_CONTROL_PAUSE;
	event_stream_emit(es, EVENT_CONTROL, &ctl, sizeof ctl);
	CU_ASSERT_EQUAL(read_all(path, &last, &cause), 0);
	CU_ASSERT_EQUAL(last, 3);
	CU_ASSERT_EQUAL(journal_close(j, &cause), 0);
	event_stream_free(es);
	unlink(path);
	free(path);
}

/* A bit at a time, as the definition of CRC32C reads. */
static uint32_t
crc32c_by_bits(const unsigned char *p, size_t len)
{
	uint32_t	crc = 0xffffffffU;
	int		k;

	while (len-- > 0) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc & 1) ? (crc >> 1) ^ 0x82f63b78U : crc >> 1;
	}
	return (~crc);
}

static void
test_journal_crc32c_is_castagnoli_at_every_length_and_alignment(void)
{
	unsigned char	buf[300];
	size_t		i, off, len;

	CU_ASSERT_EQUAL(event_crc32c(0, "123456789", 9), 0xe3069283U);
	for (i = 0; i < sizeof buf; i++)
		buf[i] = (unsigned char)(i * 131 + 7);
	for (off = 0; off < 8; off++) {
		for (len = 0; len + off <= sizeof buf; len += 7) {
			CU_ASSERT_EQUAL(event_crc32c(0, buf + off, len),
			    crc32c_by_bits(buf + off, len));
		}
	}
	/* In pieces, as event_record_crc() does it. */
	CU_ASSERT_EQUAL(event_crc32c(event_crc32c(0, buf, 13), buf + 13, 200),
	    crc32c_by_bits(buf, 213));
}

static const struct unit_test tests[] = {
	TEST(test_journal_crc32c_is_castagnoli_at_every_length_and_alignment),
	TEST(test_journal_round_trip_returns_every_record_as_written),
	TEST(test_journal_writes_batches_when_due_and_some_records_at_once),
	TEST(test_journal_create_refuses_existing_file),
	TEST(test_journal_torn_tail_at_every_offset_is_cut_on_append),
	TEST(test_journal_zero_filled_tail_is_torn),
	TEST(test_journal_flipped_bit_is_never_read_as_a_record),
	TEST(test_journal_rejects_unknown_file_version),
	TEST(test_journal_rejects_unknown_record_version),
	TEST(test_journal_rejects_a_port_run_not_as_its_count_says),
	TEST(test_journal_rejects_gap_in_sequence),
	TEST(test_journal_rejects_a_file_that_is_not_a_journal),
	TEST(test_journal_reader_follows_a_growing_file),
	TEST(test_journal_creates_file_private_to_its_owner),
	TEST_END
};

UNIT_MAIN("journal", tests)
