/*
 * The dashboard's record source: the journal to its end, then the ring,
 * and back to the journal when the ring laps the reader; never a record
 * twice, never one missed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "journal.h"
#include "ring.h"
#include "tui-records.h"
#include "xmalloc.h"

struct source_fixture {
	char			*dir;
	char			*jpath;
	char			*rpath;
	struct event_stream	*es;
	struct journal		*j;
	struct ring		*r;
};

static void
source_setup(struct source_fixture *f)
{
	char	*cause = NULL, tmpl[] = "/tmp/tact-unit-source-XXXXXX";

	memset(f, 0, sizeof *f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmpl));
	f->dir = xstrdup(tmpl);
	xasprintf(&f->jpath, "%s/journal", f->dir);
	xasprintf(&f->rpath, "%s/ring", f->dir);
	f->es = event_stream_create();
	f->j = journal_create(f->jpath, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f->j);
	f->r = ring_create(f->rpath, RING_SIZE_MIN, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f->r);
	event_stream_add_sink(f->es, journal_sink, f->j);
	event_stream_add_sink(f->es, ring_sink, f->r);
}

static void
source_teardown(struct source_fixture *f)
{
	char	*cause = NULL;

	if (f->r != NULL)
		ring_close(f->r);
	CU_ASSERT_EQUAL(journal_close(f->j, &cause), 0);
	free(cause);
	event_stream_free(f->es);
	unlink(f->jpath);
	unlink(f->rpath);
	rmdir(f->dir);
	free(f->jpath);
	free(f->rpath);
	free(f->dir);
}

/* n progress records with pairs_done counting up from *done. */
static void
source_emit(struct source_fixture *f, int n, uint64_t *done)
{
	struct event_progress	p;

	memset(&p, 0, sizeof p);
	while (n-- > 0) {
		p.pairs_done = ++*done;
		p.pairs_total = 1000000;
		event_stream_emit(f->es, EVENT_PROGRESS, &p, sizeof p);
	}
}

static void
source_sync(struct source_fixture *f)
{
	char	*cause = NULL;

	ring_flush(f->r);
	CU_ASSERT_EQUAL(journal_sync(f->j, &cause), 0);
	free(cause);
}

static void
test_tui_source_reads_the_journal_then_follows_the_ring(void)
{
	struct source_fixture	 f;
	struct tui_source	*src;
	struct tui_scan		*scan = tui_scan_create();
	uint64_t		 done = 0;
	char			*cause = NULL;

	source_setup(&f);
	source_emit(&f, 10, &done);
	source_sync(&f);
	src = tui_source_open(f.jpath, f.rpath, NULL, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(src);
	CU_ASSERT_EQUAL(tui_source_read(src, scan, &cause), 0);
	CU_ASSERT_EQUAL(scan->seq, 10);
	/* Records on the ring but not yet in the journal are seen. */
	source_emit(&f, 3, &done);
	ring_flush(f.r);
	CU_ASSERT_EQUAL(tui_source_read(src, scan, &cause), 0);
	CU_ASSERT_EQUAL(scan->seq, 13);
	CU_ASSERT_EQUAL(results_progress(scan->results)->pairs_done, 13);
	tui_source_free(src);
	tui_scan_free(scan);
	source_teardown(&f);
}

static void
test_tui_source_takes_what_a_lap_lost_from_the_journal(void)
{
	struct source_fixture	 f;
	struct tui_source	*src;
	struct tui_scan		*scan = tui_scan_create();
	uint64_t		 done = 0;
	char			*cause = NULL;
	int			 i;

	source_setup(&f);
	source_emit(&f, 5, &done);
	source_sync(&f);
	src = tui_source_open(f.jpath, f.rpath, NULL, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(src);
	CU_ASSERT_EQUAL(tui_source_read(src, scan, &cause), 0);
	/* Far more than the ring holds: the reader is lapped. */
	source_emit(&f, 20000, &done);
	source_sync(&f);
	for (i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(tui_source_read(src, scan, &cause), 0);
	CU_ASSERT_EQUAL(scan->seq, 20005);
	CU_ASSERT_EQUAL(results_progress(scan->results)->pairs_done, 20005);
	/* And the ring is followed again afterwards. */
	source_emit(&f, 2, &done);
	ring_flush(f.r);
	for (i = 0; i < 2; i++)
		CU_ASSERT_EQUAL(tui_source_read(src, scan, &cause), 0);
	CU_ASSERT_EQUAL(scan->seq, 20007);
	tui_source_free(src);
	tui_scan_free(scan);
	source_teardown(&f);
}

static void
test_tui_source_reads_a_finished_scan_from_its_journal_alone(void)
{
	struct source_fixture	 f;
	struct tui_source	*src;
	struct tui_scan		*scan = tui_scan_create();
	struct event_scan_end	 end;
	uint64_t		 done = 0;
	char			*cause = NULL;

	source_setup(&f);
	source_emit(&f, 7, &done);
	memset(&end, 0, sizeof end);
	end.status = EVENT_END_DONE;
	event_stream_emit(f.es, EVENT_SCAN_END, &end, sizeof end);
	source_sync(&f);
	ring_close(f.r);
	f.r = NULL;
	unlink(f.rpath);
	src = tui_source_open(f.jpath, f.rpath, NULL, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(src);
	CU_ASSERT_EQUAL(tui_source_read(src, scan, &cause), 0);
	CU_ASSERT_EQUAL(scan->seq, 8);
	CU_ASSERT_EQUAL(results_scan(scan->results)->status, EVENT_END_DONE);
	/* Without a ring there is no engine to control. */
	CU_ASSERT_EQUAL(tui_source_control(src, EVENT_CONTROL_PAUSE, &cause),
	    -1);
	CU_ASSERT_PTR_NOT_NULL(cause);
	free(cause);
	tui_source_free(src);
	tui_scan_free(scan);
	source_teardown(&f);
}

static void
test_tui_source_refuses_a_missing_journal(void)
{
	struct tui_source	*src;
	char			*cause = NULL;

	src = tui_source_open("/nonexistent/tact/journal", NULL, NULL,
	    &cause);
	CU_ASSERT_PTR_NULL(src);
	CU_ASSERT_PTR_NOT_NULL(cause);
	free(cause);
}

static const struct unit_test tests[] = {
	TEST(test_tui_source_reads_the_journal_then_follows_the_ring),
	TEST(test_tui_source_takes_what_a_lap_lost_from_the_journal),
	TEST(test_tui_source_reads_a_finished_scan_from_its_journal_alone),
	TEST(test_tui_source_refuses_a_missing_journal),
	TEST_END
};

UNIT_MAIN("tui-source", tests)
