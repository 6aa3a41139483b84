/*
 * The ICMP echo and timestamp probes against hand-made packets: the
 * requests as RFC 792 (and RFC 4443 for ICMPv6 echo) has them, with
 * valid checksums and the keyed cookie of host, type and try in the
 * identifier and sequence number; which replies match (only the right
 * kind, from the host asked, with all 32 bits of a cookie of ours for a
 * try we can have sent) and what they mean.
 */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "unit.h"

#include "event.h"
#include "probe.h"
#include "probe-fixture.h"

/*
 * The reply a host sends to request (as made by the probe): the same
 * identifier, sequence number and data, type reply, addresses swapped.
 */
static size_t
reply_make(uint8_t *buf, const struct probe_packet *request, uint8_t type)
{
	size_t		len = request->len, hl;
	uint16_t	ck;
	uint32_t	sum = 0;

	memcpy(buf, request->buf, len);
	if ((buf[0] >> 4) == 6) {
		hl = 40;
		memcpy(buf + 8, request->buf + 24, 16);
		memcpy(buf + 24, request->buf + 8, 16);
		sum = fx_sum16(IPPROTO_ICMPV6 + (uint32_t)(len - hl), buf + 8,
		    32);
	} else {
		hl = 20;
		buf[8] = 61;
		memcpy(buf + 12, request->buf + 16, 4);
		memcpy(buf + 16, request->buf + 12, 4);
		buf[10] = buf[11] = 0;
		ck = (uint16_t)~fx_sum16(0, buf, 20);
		buf[10] = (uint8_t)(ck >> 8);
		buf[11] = (uint8_t)ck;
	}
	buf[hl] = type;
	buf[hl + 2] = buf[hl + 3] = 0;
	ck = (uint16_t)~fx_sum16(sum, buf + hl, len - hl);
	buf[hl + 2] = (uint8_t)(ck >> 8);
	buf[hl + 3] = (uint8_t)ck;
	return (len);
}

static void
test_probe_icmp_echo_request_is_rfc792s(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET);
	struct probe_target	t = fx_target(AF_INET, 0, 3);
	struct probe_packet	pkt;
	const uint8_t		*icmp;

	CU_ASSERT_EQUAL_FATAL(probe_icmp_echo.make(&ctx, &t, &pkt, NULL), 0);
	CU_ASSERT_EQUAL(probe_icmp_echo.kind, PROBE_RAW_IP);
	CU_ASSERT_EQUAL(pkt.len, 28);
	CU_ASSERT_EQUAL(pkt.fd, -1);
	CU_ASSERT_EQUAL(pkt.buf[0], 0x45);
	CU_ASSERT_EQUAL(pkt.buf[2] << 8 | pkt.buf[3], 28);
	CU_ASSERT_EQUAL(pkt.buf[9], IPPROTO_ICMP);
	CU_ASSERT_EQUAL(memcmp(pkt.buf + 12, fx_src4, 4), 0);
	CU_ASSERT_EQUAL(memcmp(pkt.buf + 16, fx_dst4, 4), 0);
	CU_ASSERT_EQUAL(fx_sum16(0, pkt.buf, 20), 0xffff);
	icmp = pkt.buf + 20;
	CU_ASSERT_EQUAL(icmp[0], 8);			/* echo */
	CU_ASSERT_EQUAL(icmp[1], 0);
	CU_ASSERT_EQUAL(fx_sum16(0, icmp, 8), 0xffff);
	CU_ASSERT_EQUAL(probe_get32(icmp + 4),		/* id, sequence */
	    probe_packet_cookie(&ctx, &t.dst, 8, 3));
}

static void
test_probe_icmp_timestamp_request_is_rfc792s(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET);
	struct probe_target	t = fx_target(AF_INET, 0, 0);
	struct probe_packet	pkt;
	const uint8_t		*icmp;

	CU_ASSERT_EQUAL_FATAL(probe_icmp_tstamp.make(&ctx, &t, &pkt, NULL),
	    0);
	CU_ASSERT_EQUAL(pkt.len, 20 + 20);
	CU_ASSERT_EQUAL(pkt.buf[2] << 8 | pkt.buf[3], 40);
	CU_ASSERT_EQUAL(pkt.buf[9], IPPROTO_ICMP);
	CU_ASSERT_EQUAL(fx_sum16(0, pkt.buf, 20), 0xffff);
	icmp = pkt.buf + 20;
	CU_ASSERT_EQUAL(icmp[0], 13);			/* timestamp */
	CU_ASSERT_EQUAL(icmp[1], 0);
	CU_ASSERT_EQUAL(fx_sum16(0, icmp, 20), 0xffff);
	CU_ASSERT_EQUAL(probe_get32(icmp + 4),
	    probe_packet_cookie(&ctx, &t.dst, 13, 0));
}

static void
test_probe_icmp_echo_request_over_ipv6_is_rfc4443s(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET6);
	struct probe_target	t = fx_target(AF_INET6, 0, 1);
	struct probe_packet	pkt;
	const uint8_t		*icmp;
	uint32_t		pseudo;

	CU_ASSERT_EQUAL_FATAL(probe_icmp_echo.make(&ctx, &t, &pkt, NULL), 0);
	CU_ASSERT_EQUAL(pkt.len, 40 + 8);
	CU_ASSERT_EQUAL(pkt.buf[0] >> 4, 6);
	CU_ASSERT_EQUAL(pkt.buf[4] << 8 | pkt.buf[5], 8);
	CU_ASSERT_EQUAL(pkt.buf[6], IPPROTO_ICMPV6);
	CU_ASSERT_EQUAL(memcmp(pkt.buf + 8, fx_src6, 16), 0);
	CU_ASSERT_EQUAL(memcmp(pkt.buf + 24, fx_dst6, 16), 0);
	icmp = pkt.buf + 40;
	CU_ASSERT_EQUAL(icmp[0], 128);			/* echo request */
	CU_ASSERT_EQUAL(icmp[1], 0);
	pseudo = fx_sum16(IPPROTO_ICMPV6 + 8, pkt.buf + 8, 32);
	CU_ASSERT_EQUAL(fx_sum16(pseudo, icmp, 8), 0xffff);
	/* Keyed with the type of ICMP's echo, as over IPv4. */
	CU_ASSERT_EQUAL(probe_get32(icmp + 4),
	    probe_packet_cookie(&ctx, &t.dst, 8, 1));
}

static void
test_probe_icmp_echo_reply_matches_and_means_up(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET);
	struct probe_target	t = fx_target(AF_INET, 0, 2), got;
	struct probe_packet	pkt;
	struct probe_reply	r;
	struct probe_verdict	v;
	uint8_t			buf[PROBE_PACKET_MAX];
	size_t			len;

	CU_ASSERT_EQUAL_FATAL(probe_icmp_echo.make(&ctx, &t, &pkt, NULL), 0);
	len = reply_make(buf, &pkt, 0);
	CU_ASSERT_EQUAL_FATAL(probe_packet_parse(buf, len, &r), 0);
	CU_ASSERT_EQUAL(r.type, PROBE_REPLY_ICMP);
	CU_ASSERT_TRUE(probe_icmp_echo.match(&ctx, &r, &got));
	CU_ASSERT_EQUAL(memcmp(&got.dst, &t.dst, sizeof got.dst), 0);
	CU_ASSERT_EQUAL(got.try, 2);
	CU_ASSERT_EQUAL(got.port, 0);
	/* An echo reply is not a timestamp reply. */
	CU_ASSERT_FALSE(probe_icmp_tstamp.match(&ctx, &r, &got));
	probe_icmp_echo.classify(&r, &v);
	CU_ASSERT_TRUE(v.host_up);
	CU_ASSERT_EQUAL(v.reason, EVENT_REASON_ECHO_REPLY);
	CU_ASSERT_EQUAL(v.port_state, 0);
}

static void
test_probe_icmp_timestamp_reply_matches_and_means_up(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET);
	struct probe_target	t = fx_target(AF_INET, 0, 0), got;
	struct probe_packet	pkt;
	struct probe_reply	r;
	struct probe_verdict	v;
	uint8_t			buf[PROBE_PACKET_MAX];
	size_t			len;

	CU_ASSERT_EQUAL_FATAL(probe_icmp_tstamp.make(&ctx, &t, &pkt, NULL),
	    0);
	len = reply_make(buf, &pkt, 14);
	CU_ASSERT_EQUAL_FATAL(probe_packet_parse(buf, len, &r), 0);
	CU_ASSERT_TRUE(probe_icmp_tstamp.match(&ctx, &r, &got));
	CU_ASSERT_EQUAL(memcmp(&got.dst, &t.dst, sizeof got.dst), 0);
	CU_ASSERT_EQUAL(got.try, 0);
	CU_ASSERT_FALSE(probe_icmp_echo.match(&ctx, &r, &got));
	probe_icmp_tstamp.classify(&r, &v);
	CU_ASSERT_TRUE(v.host_up);
	CU_ASSERT_EQUAL(v.reason, EVENT_REASON_TIMESTAMP_REPLY);
	/* An echo reply quoting a timestamp request's identifier. */
	len = reply_make(buf, &pkt, 0);
	CU_ASSERT_EQUAL_FATAL(probe_packet_parse(buf, len, &r), 0);
	CU_ASSERT_FALSE(probe_icmp_echo.match(&ctx, &r, &got));
}

static void
test_probe_icmp_echo_reply_over_ipv6_matches(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET6);
	struct probe_target	t = fx_target(AF_INET6, 0, 1), got;
	struct probe_packet	pkt;
	struct probe_reply	r;
	struct probe_verdict	v;
	uint8_t			buf[PROBE_PACKET_MAX];
	size_t			len;

	CU_ASSERT_EQUAL_FATAL(probe_icmp_echo.make(&ctx, &t, &pkt, NULL), 0);
	len = reply_make(buf, &pkt, 129);
	CU_ASSERT_EQUAL_FATAL(probe_packet_parse(buf, len, &r), 0);
	CU_ASSERT_TRUE(probe_icmp_echo.match(&ctx, &r, &got));
	CU_ASSERT_EQUAL(memcmp(&got.dst, &t.dst, sizeof got.dst), 0);
	CU_ASSERT_EQUAL(got.try, 1);
	probe_icmp_echo.classify(&r, &v);
	CU_ASSERT_TRUE(v.host_up);
	CU_ASSERT_EQUAL(v.reason, EVENT_REASON_ECHO_REPLY);
}

static void
test_probe_icmp_rejects_replies_that_are_not_to_our_requests(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET), other = ctx;
	struct probe_target	t = fx_target(AF_INET, 0, 0), got;
	struct probe_packet	pkt;
	struct probe_reply	r;
	uint8_t			buf[PROBE_PACKET_MAX];
	size_t			len, i;
	unsigned		bit;

	CU_ASSERT_EQUAL_FATAL(probe_icmp_echo.make(&ctx, &t, &pkt, NULL), 0);
	len = reply_make(buf, &pkt, 0);
	CU_ASSERT_EQUAL_FATAL(probe_packet_parse(buf, len, &r), 0);
	CU_ASSERT_TRUE_FATAL(probe_icmp_echo.match(&ctx, &r, &got));
	/* Any bit of the identifier or the sequence number changed. */
	for (bit = 0; bit < 16; bit++) {
		r.icmp_id ^= (uint16_t)(1U << bit);
		CU_ASSERT_FALSE(probe_icmp_echo.match(&ctx, &r, &got));
		r.icmp_id ^= (uint16_t)(1U << bit);
		r.icmp_seq ^= (uint16_t)(1U << bit);
		CU_ASSERT_FALSE(probe_icmp_echo.match(&ctx, &r, &got));
		r.icmp_seq ^= (uint16_t)(1U << bit);
	}
	/* From another host than the one asked. */
	r.from.addr[3] ^= 1;
	CU_ASSERT_FALSE(probe_icmp_echo.match(&ctx, &r, &got));
	r.from.addr[3] ^= 1;
	/* Another scan's (another secret). */
	other.secret[0] ^= 1;
	CU_ASSERT_FALSE(probe_icmp_echo.match(&other, &r, &got));
	/* The reply to a try a scan never sends (past the last). */
	t.try = PROBE_TRIES_MAX;
	CU_ASSERT_EQUAL_FATAL(probe_icmp_echo.make(&ctx, &t, &pkt, NULL), 0);
	len = reply_make(buf, &pkt, 0);
	CU_ASSERT_EQUAL_FATAL(probe_packet_parse(buf, len, &r), 0);
	CU_ASSERT_FALSE(probe_icmp_echo.match(&ctx, &r, &got));
	t.try = PROBE_TRIES_MAX - 1;
	CU_ASSERT_EQUAL_FATAL(probe_icmp_echo.make(&ctx, &t, &pkt, NULL), 0);
	len = reply_make(buf, &pkt, 0);
	CU_ASSERT_EQUAL_FATAL(probe_packet_parse(buf, len, &r), 0);
	CU_ASSERT_TRUE(probe_icmp_echo.match(&ctx, &r, &got));
	CU_ASSERT_EQUAL(got.try, PROBE_TRIES_MAX - 1);
	/* Our own request, as a capture on loopback sees it. */
	CU_ASSERT_EQUAL(probe_packet_parse(pkt.buf, pkt.len, &r), -1);
	/* The reply in any other ICMP type is not an answer. */
	for (i = 1; i < 256; i++) {
		len = reply_make(buf, &pkt, (uint8_t)i);
		if (probe_packet_parse(buf, len, &r) == 0)
			CU_ASSERT_FALSE(probe_icmp_echo.match(&ctx, &r, &got));
	}
}

static const struct unit_test tests[] = {
	TEST(test_probe_icmp_echo_request_is_rfc792s),
	TEST(test_probe_icmp_timestamp_request_is_rfc792s),
	TEST(test_probe_icmp_echo_request_over_ipv6_is_rfc4443s),
	TEST(test_probe_icmp_echo_reply_matches_and_means_up),
	TEST(test_probe_icmp_timestamp_reply_matches_and_means_up),
	TEST(test_probe_icmp_echo_reply_over_ipv6_matches),
	TEST(test_probe_icmp_rejects_replies_that_are_not_to_our_requests),
	TEST_END
};

UNIT_MAIN("probe-icmp", tests)
