/*
 * The results store: built only from event records, in address and port
 * order, later records winning, and short or odd records ignored; ports
 * of port-run records answered as if each had come in a record of its
 * own, down to every output's bytes.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "unit.h"

#include "event.h"
#include "output-fixture.h"
#include "output.h"
#include "port-spec.h"
#include "results.h"
#include "xmalloc.h"

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

/* A port-state record of any kind. */
static void
port_full(struct event_stream *es, struct target_addr a, uint8_t proto,
    uint16_t p, uint8_t state, uint8_t reason, uint8_t ttl)
{
	struct event_port	e;

	memset(&e, 0, sizeof e);
	e.addr = a;
	e.port = p;
	e.proto = proto;
	e.state = state;
	e.reason = reason;
	e.ttl = ttl;
	e.tries = 1;
	e.rtt_us = 300;
	event_stream_emit(es, EVENT_PORT_STATE, &e, sizeof e);
}

static void
port(struct event_stream *es, struct target_addr a, uint16_t p, uint8_t state,
    uint8_t reason)
{
	port_full(es, a, PORT_TCP, p, state, reason, 64);
}

static int
port_order(const void *a, const void *b)
{
	return ((int)*(const uint16_t *)a - (int)*(const uint16_t *)b);
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
	/* The same record at its full length is taken. */
	h.type = EVENT_PORT_STATE;
	results_apply(r, &h, &e);
	CU_ASSERT_EQUAL(results_host_count(r), 1);
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

/* A port-run record of n ascending ports. */
static void
port_run(struct event_stream *es, struct target_addr a, uint8_t proto,
    const uint16_t *v, size_t n, uint8_t state, uint8_t reason, uint8_t ttl)
{
	struct event_port_run	*e;
	size_t			 len;

	e = xcalloc(1, EVENT_PORT_RUN_MAX(n));
	e->addr = a;
	e->proto = proto;
	e->state = state;
	e->reason = reason;
	e->ttl = ttl;
	len = event_port_run_encode(e, v, n);
	CU_ASSERT(len <= EVENT_PORT_RUN_MAX(n));
	event_stream_emit(es, EVENT_PORT_RUN, e, len);
	free(e);
}

static void
test_results_port_run_round_trips_its_ports(void)
{
	struct event_port_run		*e;
	struct event_port_run_pos	 pos;
	uint16_t			 v[] = { 0, 1, 2, 127, 129, 130, 16511,
					     16512, 65534, 65535 }, port;
	size_t				 len, n = 0;
	int				 rc;

	e = xcalloc(1, EVENT_PORT_RUN_MAX(10));
	len = event_port_run_encode(e, v, 10);
	CU_ASSERT_EQUAL(e->count, 10);
	memset(&pos, 0, sizeof pos);
	while (event_port_run_next(e, len, &pos, &port) == 1) {
		CU_ASSERT_EQUAL(port, v[n]);
		n++;
	}
	CU_ASSERT_EQUAL(n, 10);
	CU_ASSERT_EQUAL(pos.off, len - sizeof *e);
	/* 0-2 in two bytes, then 127, 129-130: a run of the usual ports. */
	CU_ASSERT_EQUAL(((unsigned char *)(e + 1))[0], 1);
	CU_ASSERT_EQUAL(((unsigned char *)(e + 1))[1], 2);
	/* A gap of 0 after the first item: not ascending. */
	((unsigned char *)(e + 1))[2] = 0;
	memset(&pos, 0, sizeof pos);
	while ((rc = event_port_run_next(e, len, &pos, &port)) == 1)
		continue;
	CU_ASSERT_EQUAL(rc, -1);
	CU_ASSERT_EQUAL(pos.off, 3);
	/* Past 65535. */
	len = event_port_run_encode(e, v + 9, 1);
	((unsigned char *)(e + 1))[0] |= 1;
	((unsigned char *)(e + 1))[len - sizeof *e] = 1;
	memset(&pos, 0, sizeof pos);
	CU_ASSERT_EQUAL(event_port_run_next(e, len + 1, &pos, &port), -1);
	free(e);
}

/*
 * Two stores of one scan: records to both, to the first alone (ports one
 * by one) and to the second alone (the same ports in runs).
 */
struct twin {
	struct results		*r1;
	struct results		*r2;
	struct event_stream	*both;
	struct event_stream	*one;
	struct event_stream	*runs;
};

static void
twin_open(struct twin *t)
{
	t->r1 = results_create();
	t->r2 = results_create();
	t->both = event_stream_create();
	t->one = event_stream_create();
	t->runs = event_stream_create();
	event_stream_add_sink(t->both, results_sink, t->r1);
	event_stream_add_sink(t->both, results_sink, t->r2);
	event_stream_add_sink(t->one, results_sink, t->r1);
	event_stream_add_sink(t->runs, results_sink, t->r2);
}

static void
twin_close(struct twin *t)
{
	event_stream_free(t->both);
	event_stream_free(t->one);
	event_stream_free(t->runs);
	results_free(t->r1);
	results_free(t->r2);
}

/*
 * The *n ports of v as a run of kind k: 0 closed (TTL 64), 1 filtered,
 * 2 closed with TTL 63. A run's ports ascend; runs come in any order.
 */
static void
run_of_kind(struct event_stream *es, struct target_addr a, uint16_t *v,
    size_t *n, size_t k)
{
	qsort(v, *n, sizeof v[0], port_order);
	port_run(es, a, PORT_TCP, v, *n, k == 1 ? EVENT_PORT_FILTERED :
	    EVENT_PORT_CLOSED, k == 1 ? EVENT_REASON_NO_RESPONSE :
	    EVENT_REASON_RESET, k == 1 ? 0 : k == 2 ? 63 : 64);
	*n = 0;
}

/*
 * One scan's closed and filtered ports, given as port-state records (as
 * tact 0.1 wrote them) to one store and as port-runs in pieces to the
 * other, with what both get the same: the stores count the same, find
 * the same and every output writes the same bytes.
 */
static void
test_results_runs_give_the_same_store_and_outputs_as_port_records(void)
{
	struct twin		 t;
	struct target_addr	 a = addr4(198, 18, 0, 1);
	struct target_addr	 b = addr4(198, 18, 0, 2);
	const struct results_host *h1, *h2;
	const struct results_port *p1, *p2;
	struct results_port	 buf1, buf2;
	struct event_scan_end	 end;
	uint16_t		 v[4][1000], p;
	size_t			 nv[4] = { 0 }, i, k;

	twin_open(&t);
	host(t.both, a, EVENT_HOST_UP, EVENT_REASON_USER_SET);
	host(t.both, b, EVENT_HOST_UP, EVENT_REASON_USER_SET);
	/* a: 1000 TCP ports, in the iterator's kind of order. */
	for (i = 0; i < 1000; i++) {
		p = (uint16_t)(i * 37 % 1000 + 1);
		if (p % 97 == 0) {
			port_full(t.both, a, PORT_TCP, p, EVENT_PORT_OPEN,
			    EVENT_REASON_SYN_ACK, 64);
			continue;
		}
		k = p % 13 == 0 ? 1 : p % 101 == 0 ? 2 : 0;
		port_full(t.one, a, PORT_TCP, p, k == 1 ? EVENT_PORT_FILTERED :
		    EVENT_PORT_CLOSED, k == 1 ? EVENT_REASON_NO_RESPONSE :
		    EVENT_REASON_RESET, k == 1 ? 0 : k == 2 ? 63 : 64);
		v[k][nv[k]++] = p;
		if (nv[k] < 50 && i != 999)
			continue;
		run_of_kind(t.runs, a, v[k], &nv[k], k);
	}
	for (k = 0; k < 3; k++) {
		if (nv[k] != 0)
			run_of_kind(t.runs, a, v[k], &nv[k], k);
	}
	/* a: UDP 1-30, closed but for open|filtered ones. */
	for (p = 1; p <= 30; p++) {
		if (p % 7 == 0) {
			port_full(t.both, a, PORT_UDP, p,
			    EVENT_PORT_OPEN_FILTERED,
			    EVENT_REASON_NO_RESPONSE, 0);
			continue;
		}
		port_full(t.one, a, PORT_UDP, p, EVENT_PORT_CLOSED,
		    EVENT_REASON_PORT_UNREACH, 64);
		v[3][nv[3]++] = p;
	}
	port_run(t.runs, a, PORT_UDP, v[3], nv[3], EVENT_PORT_CLOSED,
	    EVENT_REASON_PORT_UNREACH, 64);
	/* b: 20 closed ports, each listed, and 2 open. */
	for (p = 1; p <= 22; p++) {
		if (p > 20) {
			port_full(t.both, b, PORT_TCP, p, EVENT_PORT_OPEN,
			    EVENT_REASON_SYN_ACK, 64);
			continue;
		}
		port_full(t.one, b, PORT_TCP, p, EVENT_PORT_CLOSED,
		    EVENT_REASON_RESET, 64);
		v[0][p - 1] = p;
	}
	port_run(t.runs, b, PORT_TCP, v[0], 20, EVENT_PORT_CLOSED,
	    EVENT_REASON_RESET, 64);
	memset(&end, 0, sizeof end);
	end.status = EVENT_END_DONE;
	event_stream_emit(t.both, EVENT_SCAN_END, &end, sizeof end);

	for (i = 0; i < 2; i++) {
		h1 = results_host(t.r1, i);
		h2 = results_host(t.r2, i);
		CU_ASSERT_EQUAL(results_port_count(h1, 0),
		    results_port_count(h2, 0));
		CU_ASSERT_EQUAL(memcmp(h1->nstate, h2->nstate,
		    sizeof h1->nstate), 0);
		for (p = 0; p < 1002; p++) {
			p1 = results_port_find(h1, p, PORT_TCP, &buf1);
			p2 = results_port_find(h2, p, PORT_TCP, &buf2);
			CU_ASSERT((p1 == NULL) == (p2 == NULL));
			if (p1 == NULL || p2 == NULL)
				continue;
			CU_ASSERT(p1->state == p2->state &&
			    p1->reason == p2->reason && p1->ttl == p2->ttl);
		}
	}
	CU_ASSERT_EQUAL(results_port_count(results_host(t.r2, 0), 0), 1030);
	CU_ASSERT(results_host(t.r2, 0)->nports < 20);
	/* Each output, then each with --open. */
	CU_ASSERT(fixture_same_outputs(t.r1, t.r2, 0, NULL));
	CU_ASSERT(fixture_same_outputs(t.r1, t.r2, OUTPUT_OPEN, NULL));
	twin_close(&t);
}

/* What a port-run says of a port replaces what came before, and after. */
static void
test_results_later_record_wins_between_runs_and_ports(void)
{
	struct results		*r = results_create();
	struct event_stream	*es = event_stream_create();
	struct target_addr	 a = addr4(198, 18, 0, 9);
	const struct results_host *h;
	struct results_port	 buf, *v = NULL;
	uint16_t		 ports[] = { 1, 2, 3, 4, 5, 6 };
	size_t			 n, av = 0;

	event_stream_add_sink(es, results_sink, r);
	port_full(es, a, PORT_TCP, 3, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK,
	    64);
	port_run(es, a, PORT_TCP, ports, 6, EVENT_PORT_CLOSED,
	    EVENT_REASON_RESET, 64);
	h = results_host(r, 0);
	CU_ASSERT_EQUAL(h->nports, 0);
	CU_ASSERT_EQUAL(results_port_count(h, EVENT_PORT_CLOSED), 6);
	CU_ASSERT_EQUAL(results_port_count(h, EVENT_PORT_OPEN), 0);
	/* Into the middle of the range, then its ends. */
	port_full(es, a, PORT_TCP, 4, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK,
	    64);
	port_full(es, a, PORT_TCP, 1, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK,
	    64);
	port_run(es, a, PORT_TCP, ports + 5, 1, EVENT_PORT_FILTERED,
	    EVENT_REASON_NO_RESPONSE, 0);
	/* The same ports again change nothing. */
	port_run(es, a, PORT_TCP, ports + 1, 2, EVENT_PORT_CLOSED,
	    EVENT_REASON_RESET, 64);
	h = results_host(r, 0);
	CU_ASSERT_EQUAL(results_port_count(h, 0), 6);
	CU_ASSERT_EQUAL(results_port_count(h, EVENT_PORT_OPEN), 2);
	CU_ASSERT_EQUAL(results_port_count(h, EVENT_PORT_CLOSED), 3);
	CU_ASSERT_EQUAL(results_port_count(h, EVENT_PORT_FILTERED), 1);
	CU_ASSERT_EQUAL(results_port_find(h, 4, PORT_TCP, &buf)->state,
	    EVENT_PORT_OPEN);
	CU_ASSERT_EQUAL(results_port_find(h, 5, PORT_TCP, &buf)->state,
	    EVENT_PORT_CLOSED);
	CU_ASSERT_EQUAL(results_port_find(h, 6, PORT_TCP, &buf)->reason,
	    EVENT_REASON_NO_RESPONSE);
	CU_ASSERT_PTR_NULL(results_port_find(h, 7, PORT_TCP, &buf));
	CU_ASSERT_PTR_NULL(results_port_find(h, 5, PORT_UDP, &buf));
	n = results_host_ports(h, &v, &av);
	CU_ASSERT_EQUAL_FATAL(n, 6);
	CU_ASSERT(v[0].port == 1 && v[0].state == EVENT_PORT_OPEN);
	CU_ASSERT(v[1].port == 2 && v[1].state == EVENT_PORT_CLOSED);
	CU_ASSERT(v[3].port == 4 && v[3].state == EVENT_PORT_OPEN);
	CU_ASSERT(v[5].port == 6 && v[5].state == EVENT_PORT_FILTERED);
	free(v);
	event_stream_free(es);
	results_free(r);
}

/* What -sV found on a port: a service-info record, and a banner. */
static void
port_service(struct event_stream *es, struct target_addr a, uint16_t p)
{
	static const char	 strings[] = "service=http\0product=nginx\0"
				     "version=1.2";
	struct event_service_info *e;
	struct event_service	*b;

	e = xcalloc(1, sizeof *e + sizeof strings);
	e->addr = a;
	e->port = p;
	e->proto = PORT_TCP;
	e->method = EVENT_SERVICE_PROBED;
	e->conf = 10;
	e->nstrings = 3;
	memcpy(e + 1, strings, sizeof strings);
	event_stream_emit(es, EVENT_SERVICE_INFO, e, sizeof *e +
	    sizeof strings);
	free(e);
	b = xcalloc(1, sizeof *b + 4);
	b->addr = a;
	b->port = p;
	b->proto = PORT_TCP;
	b->len = 4;
	memcpy(b + 1, "HTTP", 4);
	event_stream_emit(es, EVENT_SERVICE, b, sizeof *b + 4);
	free(b);
}

/*
 * A run over a port that -sV found a service on (a resumed scan that
 * saw it closed later) does what port-state records would: the port
 * takes the run's state and keeps its service and banner, in the store
 * and in every output.
 */
static void
test_results_run_never_hides_a_port_with_a_service(void)
{
	struct twin		 t;
	struct target_addr	 a = addr4(198, 18, 0, 1);
	const struct results_host *h1, *h2;
	const struct results_port *p2;
	struct results_port	 buf;
	uint16_t		 v[100], p;
	char			*json;

	twin_open(&t);
	host(t.both, a, EVENT_HOST_UP, EVENT_REASON_USER_SET);
	port_full(t.both, a, PORT_TCP, 80, EVENT_PORT_OPEN,
	    EVENT_REASON_SYN_ACK, 64);
	port_service(t.both, a, 80);
	port_full(t.both, a, PORT_TCP, 443, EVENT_PORT_OPEN,
	    EVENT_REASON_SYN_ACK, 64);
	for (p = 1; p <= 100; p++) {
		port_full(t.one, a, PORT_TCP, p, EVENT_PORT_CLOSED,
		    EVENT_REASON_RESET, 64);
		v[p - 1] = p;
	}
	port_run(t.runs, a, PORT_TCP, v, 100, EVENT_PORT_CLOSED,
	    EVENT_REASON_RESET, 64);

	h1 = results_host(t.r1, 0);
	h2 = results_host(t.r2, 0);
	CU_ASSERT_EQUAL(memcmp(h1->nstate, h2->nstate, sizeof h1->nstate), 0);
	CU_ASSERT_EQUAL(results_port_count(h2, 0), 101);
	CU_ASSERT_EQUAL(results_port_count(h2, EVENT_PORT_CLOSED), 100);
	p2 = results_port_find(h2, 80, PORT_TCP, &buf);
	CU_ASSERT_FATAL(p2 != NULL);
	CU_ASSERT_EQUAL(p2->state, EVENT_PORT_CLOSED);
	CU_ASSERT_FATAL(p2->service != NULL && p2->banner != NULL);
	CU_ASSERT_STRING_EQUAL(p2->service->name, "http");
	CU_ASSERT(fixture_same_outputs(t.r1, t.r2, 0, &json));
	/* The others fold closed ports; JSON lists every one. */
	CU_ASSERT(strstr(json, "nginx") != NULL);
	free(json);
	twin_close(&t);
}

/*
 * A host abandoned at host_timeout: what it had found is not a result,
 * neither its ports held one by one nor those of its runs; another
 * host's runs stay.
 */
static void
test_results_timed_out_host_drops_its_runs(void)
{
	struct results		*r = results_create();
	struct event_stream	*es = event_stream_create();
	struct target_addr	 a = addr4(198, 18, 0, 1), b = addr4(198, 18, 0, 2);
	const struct results_host *h;
	struct results_port	 buf;
	uint16_t		 v[1000];
	size_t			 i, n = 0;

	event_stream_add_sink(es, results_sink, r);
	for (i = 1; i <= 1001; i++)
		if (i != 80)
			v[n++] = (uint16_t)i;
	host(es, a, EVENT_HOST_UP, EVENT_REASON_ECHO_REPLY);
	host(es, b, EVENT_HOST_UP, EVENT_REASON_ECHO_REPLY);
	port(es, a, 80, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK);
	port_run(es, a, PORT_TCP, v, n, EVENT_PORT_CLOSED,
	    EVENT_REASON_RESET, 64);
	port_run(es, b, PORT_TCP, v, n, EVENT_PORT_CLOSED,
	    EVENT_REASON_RESET, 64);
	h = results_host_find(r, &a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_EQUAL(results_port_count(h, 0), 1001);
	host(es, a, EVENT_HOST_TIMEOUT, 0);
	host(es, b, EVENT_HOST_DONE, 0);
	h = results_host_find(r, &a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_TRUE(h->timedout);
	CU_ASSERT_EQUAL(results_port_count(h, 0), 0);
	CU_ASSERT_EQUAL(results_port_count(h, EVENT_PORT_CLOSED), 0);
	CU_ASSERT_EQUAL(h->nruns, 0);
	CU_ASSERT_PTR_NULL(results_port_find(h, 1, PORT_TCP, &buf));
	h = results_host_find(r, &b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_EQUAL(results_port_count(h, EVENT_PORT_CLOSED), 1000);
	CU_ASSERT_PTR_NOT_NULL(results_port_find(h, 1, PORT_TCP, &buf));
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
	TEST(test_results_port_run_round_trips_its_ports),
	TEST(test_results_runs_give_the_same_store_and_outputs_as_port_records),
	TEST(test_results_later_record_wins_between_runs_and_ports),
	TEST(test_results_run_never_hides_a_port_with_a_service),
	TEST(test_results_timed_out_host_drops_its_runs),
	TEST_END
};

UNIT_MAIN("results", tests)
