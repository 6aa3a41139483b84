/*
 * The event stream (event.c): the record CRC is CRC32C (Castagnoli,
 * reflected polynomial 0x82f63b78, initial and final value 0xffffffff),
 * checked against published vectors (the CRC catalogue's check value
 * and RFC 3720, appendix B.4, computed again with python3-crcmod's
 * "crc-32c") and against a bit-at-a-time version written here from the
 * polynomial; records are numbered from 1 (or after a resumed seq),
 * stamped, checksummed and handed to every sink in order; payload
 * lengths and names come from their tables.
 */
#include <stddef.h>
#include <string.h>

#include "unit.h"

#include "clock.h"
#include "event.h"

#define SINKS	3

/* CRC32C one bit at a time, from the polynomial alone. */
static uint32_t
crc32c_bitwise(uint32_t crc, const uint8_t *p, size_t len)
{
	int	k;

	crc = ~crc;
	while (len-- > 0) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ ((crc & 1) ? 0x82f63b78U : 0);
	}
	return (~crc);
}

/* What one sink was handed. */
struct seen {
	struct event_header	 h[8];
	const void		*payload[8];
	uint32_t		 crc[8];	/* crc32c_bitwise of each */
	size_t			 n;
	size_t			*order;		/* shared: sink calls so far */
	size_t			 called_at[8];
};

static void
seen_sink(void *arg, const struct event_header *h, const void *payload)
{
	struct seen	*s = arg;
	uint32_t	 crc;

	if (s->n == 8)
		return;
	crc = crc32c_bitwise(0, (const uint8_t *)h + sizeof h->crc,
	    sizeof *h - sizeof h->crc);
	s->crc[s->n] = crc32c_bitwise(crc, payload, h->len);
	s->h[s->n] = *h;
	s->payload[s->n] = payload;
	s->called_at[s->n] = (*s->order)++;
	s->n++;
}

static void
test_event_crc32c_matches_the_published_vectors(void)
{
	static const uint8_t	pdu[48] = {	/* RFC 3720 B.4: a read */
		0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
		0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18,
		0x28, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00
	};
	uint8_t			buf[1000];
	size_t			i;

	CU_ASSERT_EQUAL(event_crc32c(0, "123456789", 9), 0xe3069283U);
	CU_ASSERT_EQUAL(event_crc32c(0, "", 0), 0);
	memset(buf, 0, 32);
	CU_ASSERT_EQUAL(event_crc32c(0, buf, 32), 0x8a9136aaU);
	memset(buf, 0xff, 32);
	CU_ASSERT_EQUAL(event_crc32c(0, buf, 32), 0x62a8ab43U);
	for (i = 0; i < 32; i++)
		buf[i] = (uint8_t)i;
	CU_ASSERT_EQUAL(event_crc32c(0, buf, 32), 0x46dd794eU);
	for (i = 0; i < 32; i++)
		buf[i] = (uint8_t)(31 - i);
	CU_ASSERT_EQUAL(event_crc32c(0, buf, 32), 0x113fdb5cU);
	CU_ASSERT_EQUAL(event_crc32c(0, pdu, sizeof pdu), 0xd9963a56U);
	for (i = 0; i < sizeof buf; i++)
		buf[i] = (uint8_t)(i * 7 % 251);
	CU_ASSERT_EQUAL(event_crc32c(0, buf, sizeof buf), 0xa345377aU);
	/* The bit-at-a-time version agrees, so it can judge the rest. */
	CU_ASSERT_EQUAL(crc32c_bitwise(0, buf, sizeof buf), 0xa345377aU);
	CU_ASSERT_EQUAL(crc32c_bitwise(0, pdu, sizeof pdu), 0xd9963a56U);
}

static void
test_event_crc32c_of_every_length_and_split_is_the_same(void)
{
	uint8_t		buf[300];
	uint32_t	whole, crc;
	size_t		len, cut, off, bad = 0;

	for (len = 0; len < sizeof buf; len++)
		buf[len] = (uint8_t)(len * 151 + 17);
	/* Every length and alignment: the 8-byte steps and the tails. */
	for (off = 0; off < 8; off++) {
		for (len = 0; len + off <= 80; len++) {
			if (event_crc32c(0, buf + off, len) !=
			    crc32c_bitwise(0, buf + off, len))
				bad++;
		}
	}
	CU_ASSERT_EQUAL(bad, 0);
	/* A CRC carried on over pieces is that of the whole. */
	whole = event_crc32c(0, buf, sizeof buf);
	CU_ASSERT_EQUAL(whole, crc32c_bitwise(0, buf, sizeof buf));
	for (cut = 0; cut <= sizeof buf; cut++) {
		crc = event_crc32c(0, buf, cut);
		if (event_crc32c(crc, buf + cut, sizeof buf - cut) != whole)
			bad++;
	}
	CU_ASSERT_EQUAL(bad, 0);
}

static void
test_event_record_crc_covers_the_header_after_it_and_the_payload(void)
{
	struct event_header	h;
	uint8_t			payload[8];
	size_t			i;
	uint32_t		crc;

	memset(&h, 0, sizeof h);
	h.version = 1;
	h.type = EVENT_PORT_STATE;
	h.len = 8;
	h.seq = 42;
	h.mono_ns = 0x0102030405060708ULL;
	memcpy(payload, "ABCDEFGH", 8);
	/* Bytes 4..31 of the header, then the payload (python3-crcmod). */
	CU_ASSERT_EQUAL(event_record_crc(&h, payload), 0xf628025fU);
	/* The crc field itself is not covered. */
	h.crc = 0xdeadbeef;
	CU_ASSERT_EQUAL(event_record_crc(&h, payload), 0xf628025fU);
	/* Every other byte is (the length by what it covers, below). */
	crc = event_record_crc(&h, payload);
	for (i = sizeof h.crc; i < sizeof h; i++) {
		if (i >= offsetof(struct event_header, len) &&
		    i < offsetof(struct event_header, len) + sizeof h.len)
			continue;
		((uint8_t *)&h)[i] ^= 0x01;
		CU_ASSERT_NOT_EQUAL(event_record_crc(&h, payload), crc);
		((uint8_t *)&h)[i] ^= 0x01;
	}
	for (i = 0; i < sizeof payload; i++) {
		payload[i] ^= 0x80;
		CU_ASSERT_NOT_EQUAL(event_record_crc(&h, payload), crc);
		payload[i] ^= 0x80;
	}
	h.len = 7;
	CU_ASSERT_NOT_EQUAL(event_record_crc(&h, payload), crc);
}

static void
test_event_stream_numbers_stamps_and_checksums_for_every_sink(void)
{
	struct event_stream	*es;
	struct seen		 seen[SINKS];
	struct event_control	 c;
	struct event_scan_end	 e;
	uint64_t		 before, after;
	size_t			 order = 0, i, j;

	memset(seen, 0, sizeof seen);
	es = event_stream_create();
	for (i = 0; i < SINKS; i++) {
		seen[i].order = &order;
		event_stream_add_sink(es, seen_sink, &seen[i]);
	}
	memset(&c, 0, sizeof c);
	c.action = EVENT_CONTROL_PAUSE;
	memset(&e, 0, sizeof e);
	e.status = EVENT_END_DONE;
	before = clock_now_ns();
	CU_ASSERT_EQUAL(event_stream_emit(es, EVENT_CONTROL, &c, sizeof c), 1);
	CU_ASSERT_EQUAL(event_stream_emit(es, EVENT_SCAN_END, &e, sizeof e), 2);
	after = clock_now_ns();
	for (i = 0; i < SINKS; i++) {
		CU_ASSERT_EQUAL_FATAL(seen[i].n, 2);
		for (j = 0; j < 2; j++) {
			CU_ASSERT_EQUAL(seen[i].h[j].seq, j + 1);
			CU_ASSERT_EQUAL(seen[i].h[j].version, EVENT_VERSION);
			CU_ASSERT_EQUAL(seen[i].h[j].pad, 0);
			CU_ASSERT(seen[i].h[j].mono_ns >= before &&
			    seen[i].h[j].mono_ns <= after);
			CU_ASSERT_EQUAL(seen[i].h[j].crc, seen[i].crc[j]);
			/* In the order added, each record to all first. */
			CU_ASSERT_EQUAL(seen[i].called_at[j], j * SINKS + i);
		}
		CU_ASSERT_EQUAL(seen[i].h[0].type, EVENT_CONTROL);
		CU_ASSERT_EQUAL(seen[i].h[0].len, sizeof c);
		CU_ASSERT_PTR_EQUAL(seen[i].payload[0], &c);
		CU_ASSERT_EQUAL(seen[i].h[1].type, EVENT_SCAN_END);
		CU_ASSERT_EQUAL(seen[i].h[1].len, sizeof e);
		CU_ASSERT(seen[i].h[0].mono_ns <= seen[i].h[1].mono_ns);
	}
	event_stream_free(es);
}

static void
test_event_stream_numbers_on_after_a_resumed_seq(void)
{
	struct event_stream	*es;
	struct seen		 seen;
	struct event_scan_end	 e;
	size_t			 order = 0;

	memset(&seen, 0, sizeof seen);
	seen.order = &order;
	memset(&e, 0, sizeof e);
	es = event_stream_create();
	event_stream_add_sink(es, seen_sink, &seen);
	event_stream_set_seq(es, 1000);
	CU_ASSERT_EQUAL(event_stream_emit(es, EVENT_SCAN_END, &e, sizeof e),
	    1001);
	CU_ASSERT_EQUAL(event_stream_emit(es, EVENT_SCAN_END, &e, sizeof e),
	    1002);
	CU_ASSERT_EQUAL_FATAL(seen.n, 2);
	CU_ASSERT_EQUAL(seen.h[0].seq, 1001);
	CU_ASSERT_EQUAL(seen.h[1].seq, 1002);
	CU_ASSERT_EQUAL(seen.h[1].crc, seen.crc[1]);
	event_stream_free(es);
}

static void
test_event_min_len_is_each_types_struct_and_zero_for_unknown(void)
{
	static const struct {
		enum event_type	type;
		size_t		len;
	} want[] = {
		{ EVENT_SCAN_START, sizeof (struct event_scan_start) },
		{ EVENT_HOST_STATE, sizeof (struct event_host) },
		{ EVENT_PORT_STATE, sizeof (struct event_port) },
		{ EVENT_SERVICE, sizeof (struct event_service) },
		{ EVENT_PROGRESS, sizeof (struct event_progress) },
		{ EVENT_WARNING, sizeof (struct event_warning) },
		{ EVENT_CONTROL, sizeof (struct event_control) },
		{ EVENT_SCAN_END, sizeof (struct event_scan_end) },
		{ EVENT_HOST_NAME, sizeof (struct event_host_name) },
		{ EVENT_SERVICE_INFO, sizeof (struct event_service_info) },
		{ EVENT_PORT_RUN, sizeof (struct event_port_run) },
	};
	size_t	i;

	CU_ASSERT_EQUAL(sizeof want / sizeof want[0], EVENT_TYPE_MAX - 1);
	/* The journal's numbers: docs/HACKING.md and older tacts know them. */
	CU_ASSERT_EQUAL(EVENT_SERVICE_INFO, 10);
	CU_ASSERT_EQUAL(EVENT_PORT_RUN, 11);
	for (i = 0; i < sizeof want / sizeof want[0]; i++)
		CU_ASSERT_EQUAL(event_min_len(want[i].type), want[i].len);
	CU_ASSERT_EQUAL(event_min_len(0), 0);
	CU_ASSERT_EQUAL(event_min_len(EVENT_TYPE_MAX), 0);
	CU_ASSERT_EQUAL(event_min_len((enum event_type)0xffff), 0);
}

static void
test_event_names_are_nmaps_and_unknown_out_of_range(void)
{
	int	i, j;

	for (i = 1; i < EVENT_TYPE_MAX; i++) {
		CU_ASSERT_STRING_NOT_EQUAL(event_type_name(i), "unknown");
		for (j = 1; j < i; j++)
			CU_ASSERT_STRING_NOT_EQUAL(event_type_name(i),
			    event_type_name(j));
	}
	for (i = 1; i < EVENT_REASON_MAX; i++)
		CU_ASSERT_STRING_NOT_EQUAL(event_reason_name(i), "unknown");
	for (i = 1; i < EVENT_PORT_STATE_MAX; i++)
		CU_ASSERT_STRING_NOT_EQUAL(event_port_state_name(i), "unknown");
	CU_ASSERT_STRING_EQUAL(event_type_name(EVENT_PORT_STATE),
	    "port-state");
	CU_ASSERT_STRING_EQUAL(event_reason_name(EVENT_REASON_SYN_ACK),
	    "syn-ack");
	CU_ASSERT_STRING_EQUAL(event_reason_name(EVENT_REASON_LOCALHOST),
	    "localhost-response");
	CU_ASSERT_STRING_EQUAL(event_port_state_name(EVENT_PORT_OPEN_FILTERED),
	    "open|filtered");
	CU_ASSERT_STRING_EQUAL(event_host_state_name(EVENT_HOST_SILENT),
	    "silent");
	CU_ASSERT_STRING_EQUAL(event_name_type_name(EVENT_NAME_PTR), "PTR");
	CU_ASSERT_STRING_EQUAL(event_type_name(0), "unknown");
	CU_ASSERT_STRING_EQUAL(event_type_name(EVENT_TYPE_MAX), "unknown");
	CU_ASSERT_STRING_EQUAL(event_reason_name(EVENT_REASON_MAX), "unknown");
	CU_ASSERT_STRING_EQUAL(event_port_state_name(EVENT_PORT_STATE_MAX),
	    "unknown");
	CU_ASSERT_STRING_EQUAL(event_host_state_name(0), "unknown");
	CU_ASSERT_STRING_EQUAL(event_host_state_name(EVENT_HOST_TIMEOUT),
	    "timeout");
	CU_ASSERT_STRING_EQUAL(event_host_state_name(EVENT_HOST_TIMEOUT + 1),
	    "unknown");
	CU_ASSERT_STRING_EQUAL(event_name_type_name(EVENT_NAME_TYPE_MAX),
	    "unknown");
}

static const struct unit_test tests[] = {
	TEST(test_event_crc32c_matches_the_published_vectors),
	TEST(test_event_crc32c_of_every_length_and_split_is_the_same),
	TEST(test_event_record_crc_covers_the_header_after_it_and_the_payload),
	TEST(test_event_stream_numbers_stamps_and_checksums_for_every_sink),
	TEST(test_event_stream_numbers_on_after_a_resumed_seq),
	TEST(test_event_min_len_is_each_types_struct_and_zero_for_unknown),
	TEST(test_event_names_are_nmaps_and_unknown_out_of_range),
	TEST_END
};

UNIT_MAIN("event", tests)
