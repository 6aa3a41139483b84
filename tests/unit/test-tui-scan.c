/* The dashboard's picture of a scan, built from event records. */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "tui-records.h"
#include "xmalloc.h"

static void
test_tui_scan_counts_port_states_per_host(void)
{
	struct tui_scan		*s = tui_scan_create();
	struct target_addr	 a = tui_records_addr("127.0.0.1");
	struct tui_host		*h;

	tui_records_host(s, "127.0.0.1", EVENT_HOST_UP);
	tui_records_port(s, "127.0.0.1", 22, EVENT_PORT_OPEN);
	tui_records_port(s, "127.0.0.1", 23, EVENT_PORT_CLOSED);
	tui_records_port(s, "127.0.0.1", 24, EVENT_PORT_FILTERED);
	tui_records_port(s, "127.0.0.1", 25, EVENT_PORT_OPEN_FILTERED);
	/* A port decided again moves from one count to another. */
	tui_records_port(s, "127.0.0.1", 23, EVENT_PORT_OPEN);
	h = tui_scan_find(s, &a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_EQUAL(h->nopen, 2);
	CU_ASSERT_EQUAL(h->nclosed, 0);
	CU_ASSERT_EQUAL(h->nfiltered, 2);
	CU_ASSERT_EQUAL(h->nports, 4);
	CU_ASSERT_EQUAL(h->ports[0].port, 22);
	CU_ASSERT_EQUAL(h->ports[3].port, 25);
	tui_scan_free(s);
}

static void
test_tui_scan_escapes_banner_control_characters(void)
{
	struct tui_scan		*s = tui_scan_create();
	struct target_addr	 a = tui_records_addr("127.0.0.1");
	static const char	 banner[] = "SSH-2.0\x1b[2J\r\n\x07\xff\\";
	char			 buf[sizeof (struct event_service) +
				    sizeof banner];
	struct event_service	 e;
	struct tui_host		*h;
	const char		*p;

	memset(&e, 0, sizeof e);
	e.addr = a;
	e.port = 22;
	e.proto = PORT_TCP;
	e.len = sizeof banner - 1;
	memcpy(buf, &e, sizeof e);
	memcpy(buf + sizeof e, banner, sizeof banner - 1);
	CU_ASSERT_EQUAL(tui_records_apply(s, EVENT_SERVICE, buf,
	    sizeof e + e.len), 0);
	h = tui_scan_find(s, &a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h->ports[0].banner);
	for (p = h->ports[0].banner; *p != '\0'; p++)
		CU_ASSERT(*p >= 0x20 && *p < 0x7f);
	CU_ASSERT_STRING_EQUAL(h->ports[0].banner,
	    "SSH-2.0\\x1b[2J\\r\\n\\x07\\xff\\\\");
	tui_scan_free(s);
}

static void
test_tui_scan_rejects_a_gap_in_sequence_numbers(void)
{
	struct tui_scan		*s = tui_scan_create();
	struct event_header	 h;
	struct event_progress	 p;
	char			*cause = NULL;

	tui_records_host(s, "127.0.0.1", EVENT_HOST_UP);
	memset(&h, 0, sizeof h);
	memset(&p, 0, sizeof p);
	h.type = EVENT_PROGRESS;
	h.len = sizeof p;
	h.seq = s->seq + 2;
	CU_ASSERT_EQUAL(tui_scan_apply(s, &h, &p, &cause), -1);
	CU_ASSERT_PTR_NOT_NULL(cause);
	CU_ASSERT_PTR_NOT_NULL(strstr(cause, "missing"));
	free(cause);
	tui_scan_free(s);
}

static void
test_tui_scan_rejects_a_short_record(void)
{
	struct tui_scan		*s = tui_scan_create();
	struct event_port	 e;

	memset(&e, 0, sizeof e);
	CU_ASSERT_EQUAL(tui_records_apply(s, EVENT_PORT_STATE, &e,
	    sizeof e - 1), -1);
	tui_scan_free(s);
}

static void
test_tui_scan_rejects_a_banner_longer_than_its_record(void)
{
	struct tui_scan		*s = tui_scan_create();
	struct event_service	 e;

	memset(&e, 0, sizeof e);
	e.len = 100;
	CU_ASSERT_EQUAL(tui_records_apply(s, EVENT_SERVICE, &e, sizeof e),
	    -1);
	tui_scan_free(s);
}

static void
test_tui_scan_finds_every_host_after_growing(void)
{
	struct tui_scan		*s = tui_scan_create();
	struct target_addr	 a;
	char			 text[32];
	int			 i;

	for (i = 0; i < 3000; i++) {
		snprintf(text, sizeof text, "198.18.%d.%d", i / 250,
		    i % 250 + 1);
		tui_records_host(s, text, EVENT_HOST_UP);
	}
	CU_ASSERT_EQUAL(s->nhosts, 3000);
	for (i = 0; i < 3000; i++) {
		snprintf(text, sizeof text, "198.18.%d.%d", i / 250,
		    i % 250 + 1);
		a = tui_records_addr(text);
		CU_ASSERT_PTR_EQUAL(tui_scan_find(s, &a), s->hosts[i]);
	}
	a = tui_records_addr("198.19.0.1");
	CU_ASSERT_PTR_NULL(tui_scan_find(s, &a));
	tui_scan_free(s);
}

static void
test_tui_scan_warns_when_a_host_goes_silent(void)
{
	struct tui_scan	*s = tui_scan_create();

	tui_records_host(s, "198.18.0.16", EVENT_HOST_UP);
	tui_records_host(s, "198.18.0.16", EVENT_HOST_SILENT);
	CU_ASSERT_EQUAL(s->nwarn, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(s->warn[0], "198.18.0.16 went silent"));
	CU_ASSERT_PTR_NOT_NULL(strstr(tui_scan_log_line(s, s->nlog - 1),
	    "! 198.18.0.16 went silent"));
	tui_scan_free(s);
}

static void
test_tui_scan_keeps_the_latest_log_lines(void)
{
	struct tui_scan	*s = tui_scan_create();
	size_t		 i;

	for (i = 0; i < TUI_SCAN_LOG + 10; i++)
		tui_records_host(s, "127.0.0.1", EVENT_HOST_DOWN);
	CU_ASSERT_EQUAL(s->nlog, TUI_SCAN_LOG + 10);
	CU_ASSERT_PTR_NULL(tui_scan_log_line(s, 9));
	CU_ASSERT_PTR_NOT_NULL(tui_scan_log_line(s, 10));
	CU_ASSERT_PTR_NOT_NULL(tui_scan_log_line(s, s->nlog - 1));
	CU_ASSERT_PTR_NULL(tui_scan_log_line(s, s->nlog));
	tui_scan_free(s);
}

static void
test_tui_scan_follows_progress_pause_and_end(void)
{
	struct tui_scan		*s = tui_scan_create();
	struct event_progress	 p;
	struct event_control	 c;
	struct event_scan_end	 e;

	memset(&p, 0, sizeof p);
	p.pairs_total = 200;
	p.pairs_done = 50;
	p.rate_milli = 10000;
	tui_records_apply(s, EVENT_PROGRESS, &p, sizeof p);
	CU_ASSERT_DOUBLE_EQUAL(tui_scan_percent(s), 25.0, 0.001);
	CU_ASSERT_EQUAL(s->nrates, 1);
	CU_ASSERT_EQUAL(s->peak_rate, 10000);
	memset(&c, 0, sizeof c);
	c.action = EVENT_CONTROL_PAUSE;
	tui_records_apply(s, EVENT_CONTROL, &c, sizeof c);
	CU_ASSERT(s->paused);
	c.action = EVENT_CONTROL_RESUME;
	tui_records_apply(s, EVENT_CONTROL, &c, sizeof c);
	CU_ASSERT(!s->paused);
	memset(&e, 0, sizeof e);
	e.status = EVENT_END_DONE;
	tui_records_apply(s, EVENT_SCAN_END, &e, sizeof e);
	CU_ASSERT_EQUAL(s->end_status, EVENT_END_DONE);
	CU_ASSERT_DOUBLE_EQUAL(tui_scan_percent(s), 100.0, 0.001);
	tui_scan_free(s);
}

static void
test_tui_scan_reads_the_start_strings(void)
{
	struct tui_scan		*s = tui_scan_create();
	struct event_scan_start	 st;
	static const char	 strs[] = "targets=127.0.0.1\0profile=polite\0"
				    "purpose=audit\x1b\0";
	/* The literal's own NUL is not part of the record. */
	char			 buf[sizeof st + sizeof strs - 1];

	memset(&st, 0, sizeof st);
	st.nstrings = 3;
	memcpy(buf, &st, sizeof st);
	memcpy(buf + sizeof st, strs, sizeof strs - 1);
	CU_ASSERT_EQUAL(tui_records_apply(s, EVENT_SCAN_START, buf,
	    sizeof buf), 0);
	CU_ASSERT_STRING_EQUAL(s->targets, "127.0.0.1");
	CU_ASSERT_STRING_EQUAL(s->profile, "polite");
	CU_ASSERT_STRING_EQUAL(s->purpose, "audit\\x1b");
	/* A string that runs off the end of the record is refused. */
	tui_scan_free(s);
	s = tui_scan_create();
	st.nstrings = 4;
	memcpy(buf, &st, sizeof st);
	CU_ASSERT_EQUAL(tui_records_apply(s, EVENT_SCAN_START, buf,
	    sizeof buf), -1);
	tui_scan_free(s);
}

static const struct unit_test tests[] = {
	TEST(test_tui_scan_counts_port_states_per_host),
	TEST(test_tui_scan_escapes_banner_control_characters),
	TEST(test_tui_scan_rejects_a_gap_in_sequence_numbers),
	TEST(test_tui_scan_rejects_a_short_record),
	TEST(test_tui_scan_rejects_a_banner_longer_than_its_record),
	TEST(test_tui_scan_finds_every_host_after_growing),
	TEST(test_tui_scan_warns_when_a_host_goes_silent),
	TEST(test_tui_scan_keeps_the_latest_log_lines),
	TEST(test_tui_scan_follows_progress_pause_and_end),
	TEST(test_tui_scan_reads_the_start_strings),
	TEST_END
};

UNIT_MAIN("tui-scan", tests)
