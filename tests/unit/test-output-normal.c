/*
 * The normal output: a report for each host that is up, the port table
 * with state, service and reason, crowded states folded into "Not
 * shown", and the summary line.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "unit.h"

#include "event.h"
#include "output.h"
#include "port-spec.h"
#include "results.h"

#include "output-fixture.h"

static struct target_addr
addr4(uint8_t d)
{
	struct target_addr	t;

	memset(&t, 0, sizeof t);
	t.family = AF_INET;
	t.addr[0] = 198;
	t.addr[1] = 19;
	t.addr[3] = d;
	return (t);
}

static void
host(struct event_stream *es, uint8_t d, uint8_t state, uint8_t reason)
{
	struct event_host	e;

	memset(&e, 0, sizeof e);
	e.addr = addr4(d);
	e.state = state;
	e.reason = reason;
	e.ttl = 63;
	e.rtt_us = 250;
	event_stream_emit(es, EVENT_HOST_STATE, &e, sizeof e);
}

static void
port(struct event_stream *es, uint8_t d, uint16_t p, uint8_t state,
    uint8_t reason)
{
	struct event_port	e;

	memset(&e, 0, sizeof e);
	e.addr = addr4(d);
	e.port = p;
	e.proto = PORT_TCP;
	e.state = state;
	e.reason = reason;
	e.ttl = reason == EVENT_REASON_NO_RESPONSE ? 0 : 63;
	event_stream_emit(es, EVENT_PORT_STATE, &e, sizeof e);
}

/* The normal output of a store built by fill(), as a string. */
static char *
render(void (*fill)(struct event_stream *))
{
	struct results		*r = results_create();
	struct event_stream	*es = event_stream_create();
	struct {
		struct event_scan_start	s;
		char			text[32];
	}			 start;
	struct event_scan_end	 end;
	char			*buf = NULL, *cause = NULL;
	size_t			 len = 0;
	FILE			*f;

	event_stream_add_sink(es, results_sink, r);
	memset(&start, 0, sizeof start);
	start.s.nstrings = 2;
	memcpy(start.text, "args=tact scan x\0profile=polite", 32);
	event_stream_emit(es, EVENT_SCAN_START, &start, sizeof start);
	fill(es);
	memset(&end, 0, sizeof end);
	end.status = EVENT_END_DONE;
	event_stream_emit(es, EVENT_SCAN_END, &end, sizeof end);
	f = open_memstream(&buf, &len);
	CU_ASSERT_EQUAL(output_write(output_find(SCAN_OUTPUT_NORMAL), f, r,
	    &cause), 0);
	fclose(f);
	event_stream_free(es);
	results_free(r);
	return (buf);
}

static void
fill_two_hosts(struct event_stream *es)
{
	uint16_t	p;

	host(es, 10, EVENT_HOST_UP, EVENT_REASON_ECHO_REPLY);
	port(es, 10, 22, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK);
	port(es, 10, 443, EVENT_PORT_FILTERED, EVENT_REASON_NO_RESPONSE);
	for (p = 1000; p < 1030; p++)
		port(es, 10, p, EVENT_PORT_CLOSED, EVENT_REASON_RESET);
	host(es, 99, EVENT_HOST_DOWN, EVENT_REASON_NO_RESPONSE);
}

static void
test_output_normal_reports_each_host_that_is_up(void)
{
	char	*out = render(fill_two_hosts);

	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "as: tact scan x\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "tact scan report for 198.19.0.10\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out,
	    "Host is up, received echo-reply ttl 63 (0.0003s latency).\n"));
	CU_ASSERT_PTR_NULL(strstr(out, "198.19.0.99"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out,
	    "-- 2 IP addresses (1 host up) scanned in"));
	free(out);
}

static void
fill_named_host(struct event_stream *es)
{
	struct {
		struct event_host_name	e;
		char			name[8];
	}	n;

	memset(&n, 0, sizeof n);
	n.e.addr = addr4(10);
	n.e.type = EVENT_NAME_USER;
	n.e.len = 8;
	memcpy(n.name, "web.test", 8);
	event_stream_emit(es, EVENT_HOST_NAME, &n, sizeof n);
	fill_two_hosts(es);
}

static void
test_output_normal_names_a_host_given_by_name(void)
{
	char	*out = render(fill_named_host);

	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_PTR_NOT_NULL(strstr(out,
	    "tact scan report for web.test (198.19.0.10)\n"));
	CU_ASSERT_PTR_NULL(strstr(out, "tact scan report for 198.19.0.10\n"));
	free(out);
}

static void
test_output_normal_folds_crowded_states_into_not_shown(void)
{
	char	*out = render(fill_two_hosts);

	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_PTR_NOT_NULL(strstr(out,
	    "Not shown: 30 closed tcp ports (reset)\n"));
	CU_ASSERT_PTR_NULL(strstr(out, "1000/tcp"));
	free(out);
}

static void
test_output_normal_prints_state_service_and_reason(void)
{
	char	*out = render(fill_two_hosts);

	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_PTR_NOT_NULL(strstr(out,
	    "PORT    STATE    SERVICE REASON\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out,
	    "22/tcp  open     ssh     syn-ack ttl 63\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out,
	    "443/tcp filtered https   no-response\n"));
	free(out);
}

static void
fill_few_closed(struct event_stream *es)
{
	host(es, 7, EVENT_HOST_UP, EVENT_REASON_RESET);
	port(es, 7, 80, EVENT_PORT_CLOSED, EVENT_REASON_RESET);
	port(es, 7, 81, EVENT_PORT_CLOSED, EVENT_REASON_RESET);
}

static void
test_output_normal_lists_few_closed_ports(void)
{
	char	*out = render(fill_few_closed);

	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_PTR_NULL(strstr(out, "Not shown"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "80/tcp"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "81/tcp"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "(1 host up)"));
	free(out);
}

/*
 * An interrupted, running or stopped scan says so, with the time of its
 * scan-end or last record and the seconds from its start to then.
 */
static void
test_output_normal_says_how_an_unfinished_scan_ended_and_when(void)
{
	static const struct {
		const char	*how;
		const char	*want;
	} cases[] = {
		{ "interrupted",
		    "\n# tact interrupted at 2026-11-29 00:46 UTC -- 1 IP add"
		    "ress (1 host up) scanned in 42.50 seconds\n" },
		{ "running",
		    "\n# tact running at 2026-11-29 00:46 UTC -- 1 IP address"
		    " (1 host up) scanned in 42.50 seconds\n" },
		{ "stopped",
		    "\n# tact stopped at 2026-11-29 00:46 UTC -- 1 IP address"
		    " (1 host up) scanned in 43.00 seconds\n" },
	};
	size_t	 i;
	char	*s;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		s = fixture_render_unfinished(&output_normal, cases[i].how);
		if (strstr(s, cases[i].want) == NULL)
			fprintf(stderr, "\n%s: got\n%s\n", cases[i].how, s);
		CU_ASSERT_PTR_NOT_NULL(strstr(s, cases[i].want));
		CU_ASSERT_PTR_NULL(strstr(s, "1970"));
		free(s);
	}
}

static const struct unit_test tests[] = {
	TEST(test_output_normal_says_how_an_unfinished_scan_ended_and_when),
	TEST(test_output_normal_reports_each_host_that_is_up),
	TEST(test_output_normal_names_a_host_given_by_name),
	TEST(test_output_normal_folds_crowded_states_into_not_shown),
	TEST(test_output_normal_prints_state_service_and_reason),
	TEST(test_output_normal_lists_few_closed_ports),
	TEST_END
};

UNIT_MAIN("output-normal", tests)
