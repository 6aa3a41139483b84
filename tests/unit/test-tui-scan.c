/*
 * The scan the dashboard watches: the results store fed with every
 * record, and the log, rate history, warnings and pause state beside it.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "tui-records.h"
#include "xmalloc.h"

static void
test_tui_scan_counts_port_states_per_host(void)
{
	struct tui_scan			*s = tui_scan_create();
	struct target_addr		 a = tui_records_addr("127.0.0.1");
	const struct results_host	*h;

	tui_records_host(s, "127.0.0.1", EVENT_HOST_UP);
	tui_records_port(s, "127.0.0.1", 22, EVENT_PORT_OPEN);
	tui_records_port(s, "127.0.0.1", 23, EVENT_PORT_CLOSED);
	tui_records_port(s, "127.0.0.1", 24, EVENT_PORT_FILTERED);
	tui_records_port(s, "127.0.0.1", 25, EVENT_PORT_OPEN_FILTERED);
	tui_records_port(s, "127.0.0.1", 26, EVENT_PORT_UNFILTERED);
	/* A port decided again moves from one count to another. */
	tui_records_port(s, "127.0.0.1", 23, EVENT_PORT_OPEN);
	h = results_host_find(s->results, &a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_EQUAL(tui_scan_count(h, TUI_COUNT_OPEN), 2);
	CU_ASSERT_EQUAL(tui_scan_count(h, TUI_COUNT_CLOSED), 1);
	CU_ASSERT_EQUAL(tui_scan_count(h, TUI_COUNT_FILTERED), 2);
	CU_ASSERT_EQUAL(results_port_count(h, EVENT_PORT_CLOSED), 0);
	CU_ASSERT_EQUAL(results_port_count(h, 0), 5);
	CU_ASSERT_EQUAL(h->ports[0].port, 22);
	CU_ASSERT_EQUAL(h->ports[4].port, 26);
	tui_scan_free(s);
}

static void
test_tui_scan_logs_a_port_only_when_it_opens(void)
{
	struct tui_scan	*s = tui_scan_create();

	tui_records_port(s, "127.0.0.1", 22, EVENT_PORT_CLOSED);
	CU_ASSERT_EQUAL(s->nlog, 0);
	tui_records_port(s, "127.0.0.1", 22, EVENT_PORT_OPEN);
	CU_ASSERT_EQUAL(s->nlog, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(tui_scan_log_line(s, 0),
	    "127.0.0.1 22/tcp open"));
	/* Open again: nothing new to say. */
	tui_records_port(s, "127.0.0.1", 22, EVENT_PORT_OPEN);
	CU_ASSERT_EQUAL(s->nlog, 1);
	tui_scan_free(s);
}

static void
test_tui_scan_keeps_each_hosts_timeline_from_scan_start(void)
{
	struct tui_scan			*s = tui_scan_create();
	struct target_addr		 a = tui_records_addr("198.18.0.16");
	struct event_scan_start		 st;
	const struct results_host	*h;

	memset(&st, 0, sizeof st);
	tui_records_apply(s, EVENT_SCAN_START, &st, sizeof st);	/* 1 s */
	tui_records_host(s, "198.18.0.16", EVENT_HOST_UP);	/* 2 s */
	tui_records_host(s, "198.18.0.16", EVENT_HOST_UP);	/* 3 s */
	tui_records_host(s, "198.18.0.16", EVENT_HOST_SILENT);	/* 4 s */
	tui_records_host(s, "198.18.0.16", EVENT_HOST_DONE);	/* 5 s */
	h = results_host_find(s->results, &a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_EQUAL(tui_scan_since(s, h->up_ns), 1000000000ULL);
	CU_ASSERT_EQUAL(tui_scan_since(s, h->silent_ns), 3000000000ULL);
	CU_ASSERT_EQUAL(tui_scan_since(s, h->done_ns), 4000000000ULL);
	CU_ASSERT_EQUAL(tui_scan_host_state(h), EVENT_HOST_SILENT);
	tui_scan_free(s);
}

/* Abandoned at host_timeout: timeout, as the outputs say, and done. */
static void
test_tui_scan_host_state_says_timeout_for_a_timed_out_host(void)
{
	struct tui_scan			*s = tui_scan_create();
	struct target_addr		 a = tui_records_addr("198.18.0.16");
	const struct results_host	*h;

	tui_records_host(s, "198.18.0.16", EVENT_HOST_UP);
	tui_records_host(s, "198.18.0.16", EVENT_HOST_TIMEOUT);
	h = results_host_find(s->results, &a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_EQUAL(tui_scan_host_state(h), EVENT_HOST_TIMEOUT);
	CU_ASSERT_STRING_EQUAL(event_host_state_name(tui_scan_host_state(h)),
	    "timeout");
	CU_ASSERT_EQUAL(tui_colour_host(tui_scan_host_state(h)), ROLE_WARN);
	CU_ASSERT_FALSE(tui_scan_host_active(s, h));
	CU_ASSERT_EQUAL(tui_scan_host_percent(s, h), 100);
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
	CU_ASSERT_EQUAL(results_host_count(s->results), 0);
	tui_scan_free(s);
}

static void
test_tui_scan_skips_a_record_of_an_unknown_type(void)
{
	struct tui_scan	*s = tui_scan_create();
	char		 junk[4] = { 0 };

	CU_ASSERT_EQUAL(tui_records_apply(s, EVENT_TYPE_MAX, junk,
	    sizeof junk), 0);
	CU_ASSERT_EQUAL(s->seq, 1);
	CU_ASSERT_EQUAL(s->changes, 1);
	tui_scan_free(s);
}

static void
test_tui_scan_escapes_warning_text(void)
{
	struct tui_scan		*s = tui_scan_create();
	static const char	 text[] = "198.18.0.3 slow\x1b[2J\r\n";
	char			 buf[sizeof (struct event_warning) +
				    sizeof text];
	struct event_warning	 w;
	const char		*p;

	memset(&w, 0, sizeof w);
	w.addr = tui_records_addr("198.18.0.3");
	w.len = sizeof text - 1;
	memcpy(buf, &w, sizeof w);
	memcpy(buf + sizeof w, text, sizeof text - 1);
	CU_ASSERT_EQUAL(tui_records_apply(s, EVENT_WARNING, buf,
	    sizeof w + w.len), 0);
	CU_ASSERT_EQUAL_FATAL(s->nwarn, 1);
	/* The address once: the engine's text names the host. */
	CU_ASSERT_STRING_EQUAL(s->warn[0], "198.18.0.3 slow\\x1B[2J\\x0D\\x0A");
	for (p = tui_scan_log_line(s, 0); *p != '\0'; p++)
		CU_ASSERT(*p >= 0x20 && *p < 0x7f);
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
	c.action = EVENT_CONTROL_PAUSE;
	tui_records_apply(s, EVENT_CONTROL, &c, sizeof c);
	memset(&e, 0, sizeof e);
	e.status = EVENT_END_DONE;
	tui_records_apply(s, EVENT_SCAN_END, &e, sizeof e);
	CU_ASSERT(!s->paused);
	CU_ASSERT(results_scan(s->results)->ended);
	CU_ASSERT_DOUBLE_EQUAL(tui_scan_percent(s), 100.0, 0.001);
	tui_scan_free(s);
}

static void
test_tui_scan_escapes_the_start_strings(void)
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
	CU_ASSERT_STRING_EQUAL(s->purpose, "audit\\x1B");
	CU_ASSERT_PTR_NOT_NULL(strstr(tui_scan_log_line(s, 0),
	    "scan started: 127.0.0.1, profile polite"));
	tui_scan_free(s);
}

/* A scan start with the plan's caps, for 2 hosts of 4 ports each. */
static void
start_with_caps(struct tui_scan *s)
{
	struct event_scan_start	 st;
	static const char	 strs[] = "targets=127.0.0.1-2\0profile=polite"
				    "\0max_rate=100\0host_max_rate=10\0"
				    "group_size=32";
	char			 buf[sizeof st + sizeof strs - 1];

	memset(&st, 0, sizeof st);
	st.hosts = 2;
	st.pairs = 8;
	st.nstrings = 5;
	memcpy(buf, &st, sizeof st);
	memcpy(buf + sizeof st, strs, sizeof strs - 1);
	CU_ASSERT_EQUAL_FATAL(tui_records_apply(s, EVENT_SCAN_START, buf,
	    sizeof buf), 0);
}

static void
progress(struct tui_scan *s, uint32_t rate_milli)
{
	struct event_progress	p;

	memset(&p, 0, sizeof p);
	p.rate_milli = rate_milli;
	tui_records_apply(s, EVENT_PROGRESS, &p, sizeof p);
}

/* Hours of progress records: the history still starts at the start. */
static void
test_tui_scan_rate_history_covers_the_whole_scan(void)
{
	struct tui_scan	*s = tui_scan_create();
	size_t		 i;

	for (i = 0; i < 3600 * 3; i++)
		progress(s, i < 100 ? 1000 : 10000);
	CU_ASSERT(s->nrates > 0 && s->nrates < TUI_SCAN_RATES);
	CU_ASSERT(s->rate_step >= 3600 * 3 / TUI_SCAN_RATES);
	/* The slow first 100 records are still the first entry. */
	CU_ASSERT(s->rates[0] < 10000);
	CU_ASSERT_EQUAL(s->rates[s->nrates - 1], 10000);
	tui_scan_free(s);
}

/* The sparkline's scale is the plan's, not the rates seen. */
static void
test_tui_scan_rate_scale_is_the_binding_cap(void)
{
	struct tui_scan	*s = tui_scan_create();
	bool		 per_host;

	CU_ASSERT_EQUAL(tui_scan_rate_scale(s), 0);
	start_with_caps(s);
	CU_ASSERT_DOUBLE_EQUAL(s->max_rate, 100, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(s->host_max_rate, 10, 1e-9);
	/* Two hosts at 10/s each bind below the scan's 100/s. */
	CU_ASSERT_EQUAL(tui_scan_rate_scale(s), 20000);
	progress(s, 9000);
	CU_ASSERT_EQUAL(tui_scan_rate_scale(s), 20000);
	/* One host being scanned: its cap binds. */
	tui_records_host(s, "127.0.0.1", EVENT_HOST_UP);
	CU_ASSERT_DOUBLE_EQUAL(tui_scan_binding(s, &per_host), 10, 1e-9);
	CU_ASSERT(per_host);
	tui_scan_free(s);
}

/* While a host is scanned its record's probes are old: ports count. */
static void
test_tui_scan_host_figures_while_it_is_scanned(void)
{
	struct tui_scan			*s = tui_scan_create();
	struct target_addr		 a = tui_records_addr("127.0.0.1");
	const struct results_host	*h;
	struct event_host		 e;
	struct event_port		 p;

	start_with_caps(s);
	memset(&e, 0, sizeof e);
	e.addr = a;
	e.state = EVENT_HOST_UP;
	e.reason = EVENT_REASON_LOCALHOST;
	e.probes = 1;
	tui_records_apply(s, EVENT_HOST_STATE, &e, sizeof e);
	memset(&p, 0, sizeof p);
	p.addr = a;
	p.proto = PORT_TCP;
	p.state = EVENT_PORT_CLOSED;
	p.reason = EVENT_REASON_RESET;
	p.ttl = 64;
	p.tries = 2;
	p.rtt_us = 300;
	p.port = 22;
	tui_records_apply(s, EVENT_PORT_STATE, &p, sizeof p);
	p.port = 23;
	p.rtt_us = 500;
	tui_records_apply(s, EVENT_PORT_STATE, &p, sizeof p);
	h = results_host_find(s->results, &a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_EQUAL(tui_scan_host_probes(h), 5);
	CU_ASSERT_EQUAL(tui_scan_host_ttl(h), 64);
	CU_ASSERT_EQUAL(tui_scan_host_rtt(h), 400);
	CU_ASSERT_EQUAL(tui_scan_host_percent(s, h), 50);
	CU_ASSERT(tui_scan_host_active(s, h));
	/* Done: its record says it all. */
	e.state = EVENT_HOST_DONE;
	e.probes = 9;
	e.rtt_us = 700;
	tui_records_apply(s, EVENT_HOST_STATE, &e, sizeof e);
	CU_ASSERT_EQUAL(tui_scan_host_probes(h), 9);
	CU_ASSERT_EQUAL(tui_scan_host_rtt(h), 700);
	CU_ASSERT_EQUAL(tui_scan_host_percent(s, h), 100);
	CU_ASSERT(!tui_scan_host_active(s, h));
	tui_scan_free(s);
}

/* Attaching late: a line of what the scan did before. */
static void
test_tui_scan_says_what_happened_before_attaching(void)
{
	struct tui_scan	*s = tui_scan_create();
	char		*text;

	start_with_caps(s);
	CU_ASSERT_PTR_NULL(tui_scan_caught_up(s));
	tui_records_host(s, "127.0.0.1", EVENT_HOST_UP);
	tui_records_host(s, "127.0.0.2", EVENT_HOST_UP);
	text = tui_scan_caught_up(s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "2 hosts up"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "0 warnings"));
	free(text);
	tui_scan_free(s);
}

static const struct unit_test tests[] = {
	TEST(test_tui_scan_counts_port_states_per_host),
	TEST(test_tui_scan_logs_a_port_only_when_it_opens),
	TEST(test_tui_scan_keeps_each_hosts_timeline_from_scan_start),
	TEST(test_tui_scan_rejects_a_gap_in_sequence_numbers),
	TEST(test_tui_scan_rejects_a_short_record),
	TEST(test_tui_scan_skips_a_record_of_an_unknown_type),
	TEST(test_tui_scan_escapes_warning_text),
	TEST(test_tui_scan_warns_when_a_host_goes_silent),
	TEST(test_tui_scan_host_state_says_timeout_for_a_timed_out_host),
	TEST(test_tui_scan_keeps_the_latest_log_lines),
	TEST(test_tui_scan_follows_progress_pause_and_end),
	TEST(test_tui_scan_escapes_the_start_strings),
	TEST(test_tui_scan_rate_history_covers_the_whole_scan),
	TEST(test_tui_scan_rate_scale_is_the_binding_cap),
	TEST(test_tui_scan_host_figures_while_it_is_scanned),
	TEST(test_tui_scan_says_what_happened_before_attaching),
	TEST_END
};

UNIT_MAIN("tui-scan", tests)
