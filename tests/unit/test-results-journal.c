/*
 * The results store loaded from a journal: every record applied, a torn
 * tail ending it, a damaged journal or one without a scan-start an error.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#include "journal.h"
#include "port-spec.h"
#include "results.h"
#include "xmalloc.h"

static char	*journal_path(void);
static void	 write_journal(const char *, bool, bool);

static char *
journal_path(void)
{
	char	*path;

	path = unit_tmpfile("", 0);
	unlink(path);
	return (path);
}

/*
 * A scan of 127.0.0.1 with (start) a scan-start: up, 22 open, 23 closed;
 * (v1) port-state records as version 1 wrote them, with the pair after.
 */
static void
write_journal(const char *path, bool start, bool v1)
{
	struct event_stream	*es;
	struct journal		*j;
	struct event_scan_start	 st;
	struct event_host	 host;
	struct {
		struct event_port	e;
		uint64_t		pair;
	}			 v1port;
	struct event_port	 port;
	char			*cause = NULL;
	unsigned		 i;

	j = journal_create(path, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	es = event_stream_create();
	event_stream_add_sink(es, journal_sink, j);
	if (start) {
		memset(&st, 0, sizeof st);
		st.seed = 42;
		st.hosts = 1;
		st.pairs = 2;
		event_stream_emit(es, EVENT_SCAN_START, &st, sizeof st);
	}
	memset(&host, 0, sizeof host);
	host.addr.family = 2;
	memcpy(host.addr.addr, "\177\0\0\1", 4);
	host.state = EVENT_HOST_UP;
	event_stream_emit(es, EVENT_HOST_STATE, &host, sizeof host);
	memset(&port, 0, sizeof port);
	port.addr = host.addr;
	port.proto = PORT_TCP;
	for (i = 0; i < 2; i++) {
		port.port = (uint16_t)(22 + i);
		port.state = i == 0 ? EVENT_PORT_OPEN : EVENT_PORT_CLOSED;
		v1port.e = port;
		v1port.pair = i;
		if (v1)
			event_stream_emit(es, EVENT_PORT_STATE, &v1port,
			    sizeof v1port);
		else
			event_stream_emit(es, EVENT_PORT_STATE, &port,
			    sizeof port);
	}
	CU_ASSERT_EQUAL(journal_close(j, &cause), 0);
	event_stream_free(es);
}

static void
test_results_load_journal_applies_every_record(void)
{
	struct results			*r;
	const struct results_host	*h;
	struct results_port		 buf;
	struct stat			 sb;
	char				*path = journal_path(), *cause = NULL;

	write_journal(path, true, false);
	r = results_load_journal(path, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_TRUE(results_scan(r)->started);
	CU_ASSERT_FALSE(results_scan(r)->ended);
	CU_ASSERT_EQUAL(results_scan(r)->seed, 42);
	CU_ASSERT_EQUAL_FATAL(results_host_count(r), 1);
	h = results_host(r, 0);
	CU_ASSERT_EQUAL(h->state, EVENT_HOST_UP);
	CU_ASSERT_EQUAL(h->nports, 2);
	CU_ASSERT_EQUAL(results_port_find(h, 22, PORT_TCP, &buf)->state,
	    EVENT_PORT_OPEN);
	CU_ASSERT_EQUAL(results_port_find(h, 23, PORT_TCP, &buf)->state,
	    EVENT_PORT_CLOSED);
	results_free(r);

	/* A torn tail (the last record cut short) ends the journal there. */
	CU_ASSERT_FATAL(stat(path, &sb) == 0 &&
	    truncate(path, sb.st_size - 5) == 0);
	r = results_load_journal(path, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(results_host(r, 0)->nports, 1);
	CU_ASSERT_PTR_NULL(results_port_find(results_host(r, 0), 23,
	    PORT_TCP, &buf));
	results_free(r);
	unlink(path);
	free(path);
}

/*
 * A journal of version 1 (tact 0.1: its file header and every record
 * say 1, closed ports come in port-state records and those have the
 * pair's position after what version 2 has) reads as it did.
 */
static void
test_results_load_journal_reads_version_1(void)
{
	struct results			*r;
	const struct results_host	*h;
	struct journal_file_header	*fh;
	struct event_header		*eh;
	struct results_port		 buf;
	char				*path = journal_path(), *cause = NULL;
	unsigned char			*b;
	size_t				 off;
	FILE				*f;
	long				 len;

	write_journal(path, true, true);
	f = fopen(path, "r+");
	CU_ASSERT_FATAL(f != NULL && fseek(f, 0, SEEK_END) == 0);
	len = ftell(f);
	b = xmalloc((size_t)len);
	rewind(f);
	CU_ASSERT_FATAL(fread(b, 1, (size_t)len, f) == (size_t)len);
	fh = (struct journal_file_header *)b;
	fh->version = 1;
	for (off = sizeof *fh; off < (size_t)len;
	    off += EVENT_RECORD_SIZE(eh->len)) {
		eh = (struct event_header *)(b + off);
		eh->version = 1;
		eh->crc = event_record_crc(eh, eh + 1);
	}
	rewind(f);
	CU_ASSERT_FATAL(fwrite(b, 1, (size_t)len, f) == (size_t)len);
	CU_ASSERT_FATAL(fclose(f) == 0);
	free(b);
	r = results_load_journal(path, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(results_scan(r)->seed, 42);
	CU_ASSERT_EQUAL_FATAL(results_host_count(r), 1);
	h = results_host(r, 0);
	CU_ASSERT_EQUAL(results_port_count(h, 0), 2);
	CU_ASSERT_EQUAL(results_port_find(h, 23, PORT_TCP, &buf)->state,
	    EVENT_PORT_CLOSED);
	results_free(r);
	unlink(path);
	free(path);
}

static void
test_results_load_journal_refuses_damage_and_a_missing_start(void)
{
	char	*path = journal_path(), *cause = NULL, *want;
	FILE	*f;

	write_journal(path, false, false);
	CU_ASSERT_PTR_NULL(results_load_journal(path, &cause));
	xasprintf(&want, "%s: no scan-start record", path);
	CU_ASSERT(cause != NULL && strcmp(cause, want) == 0);
	free(want);
	free(cause);
	cause = NULL;
	unlink(path);

	/* A byte of the first record's payload flipped: its CRC is bad. */
	write_journal(path, true, false);
	f = fopen(path, "r+");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fseek(f, sizeof (struct journal_file_header) +
	    sizeof (struct event_header), SEEK_SET), 0);
	fputc(0x55, f);
	fclose(f);
	CU_ASSERT_PTR_NULL(results_load_journal(path, &cause));
	CU_ASSERT(cause != NULL && strstr(cause, "bad record CRC") != NULL);
	free(cause);
	cause = NULL;
	unlink(path);

	CU_ASSERT_PTR_NULL(results_load_journal(path, &cause));
	CU_ASSERT_PTR_NOT_NULL(cause);
	free(cause);
	free(path);
}

static const struct unit_test tests[] = {
	TEST(test_results_load_journal_reads_version_1),
	TEST(test_results_load_journal_applies_every_record),
	TEST(test_results_load_journal_refuses_damage_and_a_missing_start),
	TEST_END
};

UNIT_MAIN("results-journal", tests)
