/*
 * The dashboard's record source: the journal to its end, then the ring,
 * and back to the journal when the ring laps the reader; never a record
 * twice, never one missed.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "follow-fixture.h"
#include "journal.h"
#include "ring.h"
#include "tui-records.h"

/* Publish the ring and write the journal's batch. */
static void
source_sync(struct follow_fixture *f)
{
	ring_flush(f->r);
	follow_fixture_sync(f);
}

static void
test_tui_source_reads_the_journal_then_follows_the_ring(void)
{
	struct follow_fixture	 f;
	struct tui_source	*src;
	struct tui_scan		*scan = tui_scan_create();
	char			*cause = NULL;

	follow_fixture_setup(&f, true);
	follow_fixture_emit(&f, 10);
	source_sync(&f);
	src = tui_source_open(f.jpath, f.rpath, NULL, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(src);
	CU_ASSERT_EQUAL(tui_source_read(src, scan, &cause), 0);
	CU_ASSERT_EQUAL(scan->seq, 10);
	/* Records on the ring but not yet in the journal are seen. */
	follow_fixture_emit(&f, 3);
	ring_flush(f.r);
	CU_ASSERT_EQUAL(tui_source_read(src, scan, &cause), 0);
	CU_ASSERT_EQUAL(scan->seq, 13);
	CU_ASSERT_EQUAL(results_progress(scan->results)->pairs_done, 13);
	tui_source_free(src);
	tui_scan_free(scan);
	follow_fixture_teardown(&f);
}

static void
test_tui_source_takes_what_a_lap_lost_from_the_journal(void)
{
	struct follow_fixture	 f;
	struct tui_source	*src;
	struct tui_scan		*scan = tui_scan_create();
	char			*cause = NULL;
	int			 i;

	follow_fixture_setup(&f, true);
	follow_fixture_emit(&f, 5);
	source_sync(&f);
	src = tui_source_open(f.jpath, f.rpath, NULL, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(src);
	CU_ASSERT_EQUAL(tui_source_read(src, scan, &cause), 0);
	/* Far more than the ring holds: the reader is lapped. */
	follow_fixture_emit(&f, 20000);
	source_sync(&f);
	for (i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(tui_source_read(src, scan, &cause), 0);
	CU_ASSERT_EQUAL(scan->seq, 20005);
	CU_ASSERT_EQUAL(results_progress(scan->results)->pairs_done, 20005);
	/* And the ring is followed again afterwards. */
	follow_fixture_emit(&f, 2);
	ring_flush(f.r);
	for (i = 0; i < 2; i++)
		CU_ASSERT_EQUAL(tui_source_read(src, scan, &cause), 0);
	CU_ASSERT_EQUAL(scan->seq, 20007);
	tui_source_free(src);
	tui_scan_free(scan);
	follow_fixture_teardown(&f);
}

static void
test_tui_source_reads_a_finished_scan_from_its_journal_alone(void)
{
	struct follow_fixture	 f;
	struct tui_source	*src;
	struct tui_scan		*scan = tui_scan_create();
	struct event_scan_end	 end;
	char			*cause = NULL;

	follow_fixture_setup(&f, true);
	follow_fixture_emit(&f, 7);
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
	follow_fixture_teardown(&f);
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
