/*
 * The results store: built only from event records, in address and port
 * order, later records winning, and short or odd records ignored.
 */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "unit.h"

#include "event.h"
#include "port-spec.h"
#include "results.h"

static struct target_addr
addr4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	struct target_addr	t;

	memset(&t, 0, sizeof t);
	t.family = AF_INET;
	t.addr[0] = a;
	t.addr[1] = b;
	t.addr[2] = c;
	t.addr[3] = d;
	return (t);
}

static void
host(struct event_stream *es, struct target_addr a, uint8_t state,
    uint8_t reason)
{
	struct event_host	e;

	memset(&e, 0, sizeof e);
	e.addr = a;
	e.state = state;
	e.reason = reason;
	e.rtt_us = 1500;
	event_stream_emit(es, EVENT_HOST_STATE, &e, sizeof e);
}

static void
port(struct event_stream *es, struct target_addr a, uint16_t p, uint8_t state,
    uint8_t reason)
{
	struct event_port	e;

	memset(&e, 0, sizeof e);
	e.addr = a;
	e.port = p;
	e.proto = PORT_TCP;
	e.state = state;
	e.reason = reason;
	e.ttl = 64;
	event_stream_emit(es, EVENT_PORT_STATE, &e, sizeof e);
}

static void
test_results_keeps_hosts_in_address_order(void)
{
	struct results		*r = results_create();
	struct event_stream	*es = event_stream_create();
	struct target_addr	 a = addr4(198, 19, 0, 20);
	struct target_addr	 b = addr4(198, 19, 0, 3);
	struct target_addr	 c = addr4(198, 18, 0, 200);

	event_stream_add_sink(es, results_sink, r);
	host(es, a, EVENT_HOST_UP, EVENT_REASON_ECHO_REPLY);
	host(es, b, EVENT_HOST_DOWN, EVENT_REASON_NO_RESPONSE);
	host(es, c, EVENT_HOST_UP, EVENT_REASON_RESET);
	CU_ASSERT_EQUAL(results_host_count(r), 3);
	CU_ASSERT_EQUAL(memcmp(&results_host(r, 0)->addr, &c, sizeof c), 0);
	CU_ASSERT_EQUAL(memcmp(&results_host(r, 1)->addr, &b, sizeof b), 0);
	CU_ASSERT_EQUAL(memcmp(&results_host(r, 2)->addr, &a, sizeof a), 0);
	CU_ASSERT_EQUAL(results_hosts_up(r), 2);
	CU_ASSERT_PTR_NULL(results_host(r, 3));
	event_stream_free(es);
	results_free(r);
}

static void
test_results_later_port_record_wins(void)
{
	struct results		*r = results_create();
	struct event_stream	*es = event_stream_create();
	struct target_addr	 a = addr4(198, 19, 0, 10);
	const struct results_host *h;
	struct results_port	 buf;

	event_stream_add_sink(es, results_sink, r);
	port(es, a, 443, EVENT_PORT_FILTERED, EVENT_REASON_NO_RESPONSE);
	port(es, a, 22, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK);
	port(es, a, 80, EVENT_PORT_CLOSED, EVENT_REASON_RESET);
	port(es, a, 443, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK);
	h = results_host_find(r, &a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_EQUAL(h->nports, 3);
	CU_ASSERT_EQUAL(h->ports[0].port, 22);
	CU_ASSERT_EQUAL(h->ports[1].port, 80);
	CU_ASSERT_EQUAL(h->ports[2].port, 443);
	CU_ASSERT_EQUAL(results_port_find(h, 443, PORT_TCP, &buf)->state,
	    EVENT_PORT_OPEN);
	CU_ASSERT_EQUAL(results_port_count(h, EVENT_PORT_OPEN), 2);
	CU_ASSERT_EQUAL(results_port_count(h, 0), 3);
	event_stream_free(es);
	results_free(r);
}

static void
test_results_ignores_records_too_short_for_their_type(void)
{
	struct results		*r = results_create();
	struct event_header	 h;
	struct event_port	 e;

	memset(&h, 0, sizeof h);
	memset(&e, 0, sizeof e);
	e.addr = addr4(198, 19, 0, 1);
	e.port = 1;
	h.type = EVENT_PORT_STATE;
	h.len = sizeof e - 1;
	results_apply(r, &h, &e);
	h.type = EVENT_TYPE_MAX;
	h.len = sizeof e;
	results_apply(r, &h, &e);
	h.type = 0;
	results_apply(r, &h, &e);
	CU_ASSERT_EQUAL(results_host_count(r), 0);
	results_free(r);
}

static void
test_results_reads_scan_strings_and_stops_at_the_payload_end(void)
{
	struct results		*r = results_create();
	struct event_header	 h;
	struct {
		struct event_scan_start	s;
		char			text[40];
	}			 p;
	static const char	 text[] = "profile=polite\0args=tact scan x\0bad";

	memset(&h, 0, sizeof h);
	memset(&p, 0, sizeof p);
	p.s.nstrings = 3;		/* the third has no NUL: dropped */
	p.s.seed = 42;
	memcpy(p.text, text, sizeof text - 1);
	h.type = EVENT_SCAN_START;
	h.len = (uint32_t)(sizeof p.s + sizeof text - 1);
	results_apply(r, &h, &p);
	CU_ASSERT_EQUAL(results_scan(r)->seed, 42);
	CU_ASSERT_EQUAL(results_scan(r)->nstrings, 2);
	CU_ASSERT_STRING_EQUAL(results_scan_string(r, "profile"), "polite");
	CU_ASSERT_STRING_EQUAL(results_scan_string(r, "args"), "tact scan x");
	CU_ASSERT_PTR_NULL(results_scan_string(r, "prof"));
	results_free(r);
}

static void
test_results_marks_silent_hosts_and_keeps_their_state(void)
{
	struct results		*r = results_create();
	struct event_stream	*es = event_stream_create();
	struct target_addr	 a = addr4(198, 19, 0, 15);
	const struct results_host *h;

	event_stream_add_sink(es, results_sink, r);
	host(es, a, EVENT_HOST_UP, EVENT_REASON_ECHO_REPLY);
	host(es, a, EVENT_HOST_SILENT, 0);
	host(es, a, EVENT_HOST_DONE, 0);
	h = results_host_find(r, &a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_EQUAL(h->state, EVENT_HOST_UP);
	CU_ASSERT_EQUAL(h->reason, EVENT_REASON_ECHO_REPLY);
	CU_ASSERT_TRUE(h->silent);
	CU_ASSERT_TRUE(h->done);
	event_stream_free(es);
	results_free(r);
}

static void
test_results_replay_builds_the_same_store(void)
{
	struct results		*r1 = results_create(), *r2 = results_create();
	struct event_stream	*es = event_stream_create();
	struct target_addr	 a = addr4(198, 19, 0, 10);
	size_t			 i;

	event_stream_add_sink(es, results_sink, r1);
	event_stream_add_sink(es, results_sink, r2);
	for (i = 1; i < 200; i++)
		port(es, a, (uint16_t)(i * 37 % 1000 + 1), i % 7 == 0 ?
		    EVENT_PORT_OPEN : EVENT_PORT_CLOSED, EVENT_REASON_RESET);
	CU_ASSERT_EQUAL(results_host(r1, 0)->nports,
	    results_host(r2, 0)->nports);
	CU_ASSERT_EQUAL(memcmp(results_host(r1, 0)->ports,
	    results_host(r2, 0)->ports, results_host(r1, 0)->nports *
	    sizeof (struct results_port)), 0);
	for (i = 1; i < results_host(r1, 0)->nports; i++)
		CU_ASSERT(results_host(r1, 0)->ports[i - 1].port <
		    results_host(r1, 0)->ports[i].port);
	event_stream_free(es);
	results_free(r1);
	results_free(r2);
}

static void
name(struct event_stream *es, struct target_addr a, const char *n)
{
	struct {
		struct event_host_name	e;
		char			name[16];
	}	r;

	memset(&r, 0, sizeof r);
	r.e.addr = a;
	r.e.type = EVENT_NAME_USER;
	r.e.len = (uint32_t)strlen(n);
	memcpy(r.name, n, r.e.len);
	/* One byte more than the name: the store reads len bytes. */
	event_stream_emit(es, EVENT_HOST_NAME, &r, sizeof r.e + r.e.len + 1);
}

static void
test_results_keeps_the_latest_name_of_a_host(void)
{
	struct results		*r = results_create();
	struct event_stream	*es = event_stream_create();
	const struct results_host *h;

	event_stream_add_sink(es, results_sink, r);
	host(es, addr4(198, 18, 0, 1), EVENT_HOST_UP, EVENT_REASON_SYN_ACK);
	name(es, addr4(198, 18, 0, 2), "first.test");
	name(es, addr4(198, 18, 0, 2), "b.test");
	host(es, addr4(198, 18, 0, 2), EVENT_HOST_UP, EVENT_REASON_SYN_ACK);
	CU_ASSERT_EQUAL_FATAL(results_host_count(r), 2);
	h = results_host(r, 0);
	CU_ASSERT_PTR_NULL(h->name);
	h = results_host(r, 1);
	CU_ASSERT_STRING_EQUAL(h->name, "b.test");
	CU_ASSERT_EQUAL(h->name_type, EVENT_NAME_USER);
	CU_ASSERT_EQUAL(h->state, EVENT_HOST_UP);
	event_stream_free(es);
	results_free(r);
}

static const struct unit_test tests[] = {
	TEST(test_results_keeps_hosts_in_address_order),
	TEST(test_results_later_port_record_wins),
	TEST(test_results_ignores_records_too_short_for_their_type),
	TEST(test_results_reads_scan_strings_and_stops_at_the_payload_end),
	TEST(test_results_marks_silent_hosts_and_keeps_their_state),
	TEST(test_results_replay_builds_the_same_store),
	TEST(test_results_keeps_the_latest_name_of_a_host),
	TEST_END
};

UNIT_MAIN("results", tests)
