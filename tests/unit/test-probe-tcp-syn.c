/*
 * The SYN probe against hand-made packets: checksums, the MSS option,
 * the cookie, what each kind of answer means, and a parser that refuses
 * short, lying or fragmented packets, TCP data offsets outside the
 * segment and UDP lengths that are not the datagram's.
 */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "unit.h"

#include "event.h"
#include "probe.h"
#include "probe-fixture.h"

/* A reply from dst:port to our try-th source port, as a target sends. */
static size_t
reply_make(uint8_t *buf, const struct probe_ctx *ctx, uint16_t port,
    uint8_t try, uint8_t flags, uint32_t ack)
{
	struct probe_target	t = fx_target(AF_INET, port, try);
	uint16_t		sport, ck;

	sport = probe_packet_sport(ctx, &t.dst, port, try);

	memset(buf, 0, 40);
	buf[0] = 0x45;
	buf[3] = 40;
	buf[8] = 61;
	buf[9] = IPPROTO_TCP;
	memcpy(buf + 12, t.dst.addr, 4);
	memcpy(buf + 16, ctx->src.addr, 4);
	ck = (uint16_t)~fx_sum16(0, buf, 20);
	buf[10] = (uint8_t)(ck >> 8);
	buf[11] = (uint8_t)ck;
	buf[20] = (uint8_t)(port >> 8);
	buf[21] = (uint8_t)port;
	buf[22] = (uint8_t)(sport >> 8);
	buf[23] = (uint8_t)sport;
	buf[24] = 0x11;			/* their sequence */
	buf[28] = (uint8_t)(ack >> 24);
	buf[29] = (uint8_t)(ack >> 16);
	buf[30] = (uint8_t)(ack >> 8);
	buf[31] = (uint8_t)ack;
	buf[32] = 0x50;
	buf[33] = flags;
	return (40);
}

static void
test_probe_packet_cksum_matches_a_known_header(void)
{
	/* A well-known IPv4 header whose checksum is 0xb861. */
	static const uint8_t	hdr[20] = {
		0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
		0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7
	};

	CU_ASSERT_EQUAL(probe_packet_cksum(0, hdr, sizeof hdr), 0xb861);
}

static void
test_probe_packet_siphash_matches_the_reference_vector(void)
{
	/* SipHash-2-4 paper, appendix A: key 00..0f, message 00..0e. */
	uint64_t	key[2] = { 0x0706050403020100ULL,
			    0x0f0e0d0c0b0a0908ULL };
	uint8_t		msg[15];
	size_t		i;

	for (i = 0; i < sizeof msg; i++)
		msg[i] = (uint8_t)i;
	CU_ASSERT_EQUAL(probe_packet_siphash(key, msg, sizeof msg),
	    0xa129ca6149be45e5ULL);
}

static void
test_probe_tcp_syn_packet_has_valid_checksums(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET);
	struct probe_target	t = fx_target(AF_INET, 443, 0);
	struct probe_packet	pkt;
	uint32_t		pseudo;

	CU_ASSERT_EQUAL(probe_tcp_syn.make(&ctx, &t, &pkt, NULL), 0);
	CU_ASSERT_EQUAL(pkt.len, 44);
	CU_ASSERT_EQUAL(pkt.buf[0], 0x45);
	CU_ASSERT_EQUAL(pkt.buf[2] << 8 | pkt.buf[3], 44);
	CU_ASSERT_EQUAL(pkt.buf[9], IPPROTO_TCP);
	CU_ASSERT_EQUAL(fx_sum16(0, pkt.buf, 20), 0xffff);
	pseudo = (uint32_t)(198 << 8 | 18) + (0 << 8 | 2) +
	    (198 << 8 | 19) + (0 << 8 | 10) + IPPROTO_TCP + 24;
	CU_ASSERT_EQUAL(fx_sum16(pseudo, pkt.buf + 20, 24), 0xffff);
}

static void
test_probe_tcp_syn_carries_the_ttl_asked_for(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET);
	struct probe_target	t = fx_target(AF_INET, 443, 0), t6;
	struct probe_packet	pkt;
	static const uint8_t	src6[16] = { 0x20, 0x01, 0, 2, 0, 0, 0, 1,
				    0, 0, 0, 0, 0, 0, 0, 2 };
	static const uint8_t	dst6[16] = { 0x20, 0x01, 0, 2, 0, 0, 0, 2,
				    0, 0, 0, 0, 0, 0, 0, 10 };

	CU_ASSERT_EQUAL(probe_tcp_syn.make(&ctx, &t, &pkt, NULL), 0);
	CU_ASSERT_EQUAL(pkt.buf[8], 64);	/* no --ttl: 64 */
	ctx.ttl = 7;
	CU_ASSERT_EQUAL(probe_tcp_syn.make(&ctx, &t, &pkt, NULL), 0);
	CU_ASSERT_EQUAL(pkt.buf[8], 7);
	CU_ASSERT_EQUAL(fx_sum16(0, pkt.buf, 20), 0xffff);

	/* IPv6: the hop limit. */
	probe_packet_addr6(&ctx.src, src6);
	t6 = t;
	probe_packet_addr6(&t6.dst, dst6);
	ctx.ttl = 0;
	CU_ASSERT_EQUAL(probe_tcp_syn.make(&ctx, &t6, &pkt, NULL), 0);
	CU_ASSERT_EQUAL(pkt.buf[0] >> 4, 6);
	CU_ASSERT_EQUAL(pkt.buf[7], 64);
	ctx.ttl = 200;
	CU_ASSERT_EQUAL(probe_tcp_syn.make(&ctx, &t6, &pkt, NULL), 0);
	CU_ASSERT_EQUAL(pkt.buf[7], 200);
}

static void
test_probe_tcp_syn_looks_like_a_normal_syn(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET);
	struct probe_target	t = fx_target(AF_INET, 22, 2);
	struct probe_packet	pkt;
	const uint8_t		*tcp;

	CU_ASSERT_EQUAL(probe_tcp_syn.make(&ctx, &t, &pkt, NULL), 0);
	tcp = pkt.buf + 20;
	CU_ASSERT_EQUAL(tcp[0] << 8 | tcp[1],
	    probe_packet_sport(&ctx, &t.dst, 22, 2));
	CU_ASSERT_EQUAL(tcp[2] << 8 | tcp[3], 22);
	CU_ASSERT_EQUAL(tcp[12] >> 4, 6);		/* 24 bytes */
	CU_ASSERT_EQUAL(tcp[13], 0x02);			/* SYN only */
	CU_ASSERT_NOT_EQUAL(tcp[14] << 8 | tcp[15], 0);	/* a window */
	CU_ASSERT_EQUAL(tcp[20], 2);			/* MSS option */
	CU_ASSERT_EQUAL(tcp[21], 4);
	CU_ASSERT_EQUAL(tcp[22] << 8 | tcp[23], 1460);
	CU_ASSERT_EQUAL((uint32_t)tcp[4] << 24 | (uint32_t)tcp[5] << 16 |
	    (uint32_t)tcp[6] << 8 | tcp[7],
	    probe_packet_cookie(&ctx, &t.dst, 22,
	    probe_packet_sport(&ctx, &t.dst, 22, 2)));
}

static void
test_probe_tcp_syn_cookie_differs_by_port_and_secret(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET), other = fx_ctx(AF_INET);
	struct probe_target	t = fx_target(AF_INET, 22, 0);

	other.secret[0]++;
	CU_ASSERT_NOT_EQUAL(probe_packet_cookie(&ctx, &t.dst, 22, 40000),
	    probe_packet_cookie(&ctx, &t.dst, 23, 40000));
	CU_ASSERT_NOT_EQUAL(probe_packet_cookie(&ctx, &t.dst, 22, 40000),
	    probe_packet_cookie(&other, &t.dst, 22, 40000));
}

static void
test_probe_tcp_syn_syn_ack_with_our_cookie_is_open(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET);
	struct probe_target	want = fx_target(AF_INET, 22, 1), got;
	struct probe_reply	r;
	struct probe_verdict	v;
	uint8_t			buf[64];
	size_t			len;

	len = reply_make(buf, &ctx, 22, 1, 0x12,
	    probe_packet_cookie(&ctx, &want.dst, 22,
	    probe_packet_sport(&ctx, &want.dst, 22, 1)) + 1);
	CU_ASSERT_EQUAL(probe_packet_parse(buf, len, &r), 0);
	CU_ASSERT_EQUAL(r.ttl, 61);
	CU_ASSERT_TRUE(probe_tcp_syn.match(&ctx, &r, &got));
	CU_ASSERT_EQUAL(memcmp(&got.dst, &want.dst, sizeof got.dst), 0);
	CU_ASSERT_EQUAL(got.port, 22);
	CU_ASSERT_EQUAL(got.try, 1);
	probe_tcp_syn.classify(&r, &v);
	CU_ASSERT_EQUAL(v.port_state, EVENT_PORT_OPEN);
	CU_ASSERT_EQUAL(v.reason, EVENT_REASON_SYN_ACK);
	CU_ASSERT_TRUE(v.host_up);
}

static void
test_probe_tcp_syn_rst_with_our_cookie_is_closed(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET);
	struct probe_target	want = fx_target(AF_INET, 81, 0), got;
	struct probe_reply	r;
	struct probe_verdict	v;
	uint8_t			buf[64];
	size_t			len;

	len = reply_make(buf, &ctx, 81, 0, 0x14,
	    probe_packet_cookie(&ctx, &want.dst, 81,
	    probe_packet_sport(&ctx, &want.dst, 81, 0)) + 1);
	CU_ASSERT_EQUAL(probe_packet_parse(buf, len, &r), 0);
	CU_ASSERT_TRUE(probe_tcp_syn.match(&ctx, &r, &got));
	probe_tcp_syn.classify(&r, &v);
	CU_ASSERT_EQUAL(v.port_state, EVENT_PORT_CLOSED);
	CU_ASSERT_EQUAL(v.reason, EVENT_REASON_RESET);
}

static void
test_probe_tcp_syn_rejects_a_reply_with_the_wrong_cookie(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET), other = fx_ctx(AF_INET);
	struct probe_target	want = fx_target(AF_INET, 22, 0), got;
	struct probe_reply	r;
	uint8_t			buf[64];
	size_t			len;

	len = reply_make(buf, &ctx, 22, 0, 0x12,
	    probe_packet_cookie(&ctx, &want.dst, 22,
	    probe_packet_sport(&ctx, &want.dst, 22, 0)));
	CU_ASSERT_EQUAL(probe_packet_parse(buf, len, &r), 0);
	CU_ASSERT_FALSE(probe_tcp_syn.match(&ctx, &r, &got));
	/* A stale reply to another scan (another secret). */
	other.secret[1] ^= 1;
	len = reply_make(buf, &ctx, 22, 0, 0x12,
	    probe_packet_cookie(&other, &want.dst, 22,
	    probe_packet_sport(&ctx, &want.dst, 22, 0)) + 1);
	CU_ASSERT_EQUAL(probe_packet_parse(buf, len, &r), 0);
	CU_ASSERT_FALSE(probe_tcp_syn.match(&ctx, &r, &got));
	/* To a port that is not one of ours. */
	ctx.sport_base = 50000;
	len = reply_make(buf, &ctx, 22, 0, 0x12,
	    probe_packet_cookie(&ctx, &want.dst, 22,
	    probe_packet_sport(&ctx, &want.dst, 22, 0)) + 1);
	ctx.sport_base = 40000;
	CU_ASSERT_EQUAL(probe_packet_parse(buf, len, &r), 0);
	CU_ASSERT_FALSE(probe_tcp_syn.match(&ctx, &r, &got));
}

static void
test_probe_tcp_syn_ignores_its_own_syn(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET);
	struct probe_target	t = fx_target(AF_INET, 22, 0), got;
	struct probe_packet	pkt;
	struct probe_reply	r;

	/* On loopback the capture sees what we send: never an answer. */
	memcpy(ctx.src.addr, t.dst.addr, 4);
	CU_ASSERT_EQUAL(probe_tcp_syn.make(&ctx, &t, &pkt, NULL), 0);
	CU_ASSERT_EQUAL(probe_packet_parse(pkt.buf, pkt.len, &r), 0);
	CU_ASSERT_FALSE(probe_tcp_syn.match(&ctx, &r, &got));
}

static void
test_probe_tcp_syn_icmp_admin_prohibited_is_filtered(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET);
	struct probe_target	t = fx_target(AF_INET, 8443, 0), got;
	struct probe_packet	pkt;
	struct probe_reply	r;
	struct probe_verdict	v;
	uint8_t			buf[128];
	uint16_t		ck;

	CU_ASSERT_EQUAL(probe_tcp_syn.make(&ctx, &t, &pkt, NULL), 0);
	memset(buf, 0, sizeof buf);
	buf[0] = 0x45;
	buf[3] = 20 + 8 + 28;
	buf[8] = 64;
	buf[9] = IPPROTO_ICMP;
	memcpy(buf + 12, t.dst.addr, 4);
	memcpy(buf + 16, ctx.src.addr, 4);
	buf[20] = 3;			/* unreachable */
	buf[21] = 13;			/* administratively prohibited */
	memcpy(buf + 28, pkt.buf, 28);	/* our IP header + 8 bytes */
	ck = (uint16_t)~fx_sum16(0, buf + 20, 36);
	buf[22] = (uint8_t)(ck >> 8);
	buf[23] = (uint8_t)ck;
	CU_ASSERT_EQUAL(probe_packet_parse(buf, 56, &r), 0);
	CU_ASSERT_EQUAL(r.type, PROBE_REPLY_ICMP_ERROR);
	CU_ASSERT_TRUE(probe_tcp_syn.match(&ctx, &r, &got));
	CU_ASSERT_EQUAL(got.port, 8443);
	probe_tcp_syn.classify(&r, &v);
	CU_ASSERT_EQUAL(v.port_state, EVENT_PORT_FILTERED);
	CU_ASSERT_EQUAL(v.reason, EVENT_REASON_ADMIN_PROHIBITED);
	/* The same error quoting a different sequence number is not ours. */
	buf[28 + 20 + 4] ^= 0x80;
	CU_ASSERT_EQUAL(probe_packet_parse(buf, 56, &r), 0);
	CU_ASSERT_FALSE(probe_tcp_syn.match(&ctx, &r, &got));
}

static void
test_probe_packet_parse_refuses_short_and_lying_packets(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET);
	struct probe_reply	r;
	uint8_t			buf[64];
	size_t			len, i;

	len = reply_make(buf, &ctx, 22, 0, 0x12, 1);
	for (i = 0; i < len; i++)
		CU_ASSERT_EQUAL(probe_packet_parse(buf, i, &r), -1);
	buf[3] = 60;			/* claims more than there is */
	CU_ASSERT_EQUAL(probe_packet_parse(buf, len, &r), -1);
	buf[3] = 40;
	buf[0] = 0x44;			/* header shorter than 20 */
	CU_ASSERT_EQUAL(probe_packet_parse(buf, len, &r), -1);
	buf[0] = 0x4f;			/* header longer than the packet */
	CU_ASSERT_EQUAL(probe_packet_parse(buf, len, &r), -1);
	buf[0] = 0x65;			/* not IPv4 */
	CU_ASSERT_EQUAL(probe_packet_parse(buf, len, &r), -1);
	buf[0] = 0x45;
	buf[6] = 0x20;			/* more fragments */
	CU_ASSERT_EQUAL(probe_packet_parse(buf, len, &r), -1);
	buf[6] = 0;
	buf[9] = IPPROTO_GRE;		/* nothing we sent */
	CU_ASSERT_EQUAL(probe_packet_parse(buf, len, &r), -1);
	buf[9] = IPPROTO_TCP;
	CU_ASSERT_EQUAL(probe_packet_parse(buf, len, &r), 0);
}

static void
test_probe_packet_parse_refuses_a_tcp_data_offset_out_of_the_segment(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET);
	struct probe_reply	r;
	uint8_t			buf[64];
	size_t			len;
	unsigned		off;

	len = reply_make(buf, &ctx, 22, 0, 0x14, 1);
	for (off = 0; off < 16; off++) {
		buf[32] = (uint8_t)(off << 4);
		/* 5 is the bare header; 20 bytes of segment hold no more. */
		CU_ASSERT_EQUAL(probe_packet_parse(buf, len, &r),
		    off == 5 ? 0 : -1);
	}
	/* The same header with 8 bytes of options behind it is taken. */
	buf[3] = 48;
	buf[32] = 0x70;
	memset(buf + 40, 1, 8);		/* NOPs */
	CU_ASSERT_EQUAL(probe_packet_parse(buf, 48, &r), 0);
	CU_ASSERT_EQUAL(r.flags, 0x14);
	buf[32] = 0x80;			/* 32 bytes in 28 */
	CU_ASSERT_EQUAL(probe_packet_parse(buf, 48, &r), -1);
}

static void
test_probe_packet_parse_refuses_a_udp_length_that_is_not_the_datagram(void)
{
	struct probe_reply	r;
	uint8_t			buf[64];

	memset(buf, 0, sizeof buf);
	buf[0] = 0x45;
	buf[3] = 20 + 12;
	buf[9] = IPPROTO_UDP;
	buf[20] = 0;
	buf[21] = 53;
	buf[25] = 12;			/* 8 + 4 bytes of data */
	CU_ASSERT_EQUAL(probe_packet_parse(buf, 32, &r), 0);
	CU_ASSERT_EQUAL(r.type, PROBE_REPLY_UDP);
	CU_ASSERT_EQUAL(r.sport, 53);
	buf[25] = 7;			/* shorter than its header */
	CU_ASSERT_EQUAL(probe_packet_parse(buf, 32, &r), -1);
	buf[25] = 13;			/* longer than the packet */
	CU_ASSERT_EQUAL(probe_packet_parse(buf, 32, &r), -1);
}

static void
test_probe_packet_parse6_refuses_a_tcp_data_offset_out_of_the_segment(void)
{
	struct probe_reply	r;
	uint8_t			buf[80];

	memset(buf, 0, sizeof buf);
	buf[0] = 0x60;
	buf[5] = 20;			/* payload length */
	buf[6] = IPPROTO_TCP;
	buf[7] = 64;
	buf[40 + 12] = 0x50;
	buf[40 + 13] = 0x14;
	CU_ASSERT_EQUAL(probe_packet_parse(buf, 60, &r), 0);
	CU_ASSERT_EQUAL(r.type, PROBE_REPLY_TCP);
	buf[40 + 12] = 0;
	CU_ASSERT_EQUAL(probe_packet_parse(buf, 60, &r), -1);
	buf[40 + 12] = 0x60;
	CU_ASSERT_EQUAL(probe_packet_parse(buf, 60, &r), -1);
}

/* Only TCP, UDP and ICMPv6 after the IPv6 header; no extension header. */
static void
test_probe_packet_parse6_refuses_what_we_did_not_send(void)
{
	static const uint8_t	next[] = { 0, 43, 44, 47, 59, 132 };
	struct probe_reply	r;
	uint8_t			buf[80];
	size_t			i;

	memset(buf, 0, sizeof buf);
	buf[0] = 0x60;
	buf[5] = 20;
	buf[7] = 64;
	buf[40 + 12] = 0x50;
	for (i = 0; i < sizeof next; i++) {
		buf[6] = next[i];
		CU_ASSERT_EQUAL(probe_packet_parse(buf, 60, &r), -1);
	}
	buf[6] = IPPROTO_TCP;
	CU_ASSERT_EQUAL(probe_packet_parse(buf, 60, &r), 0);
	buf[0] = 0x50;			/* neither version */
	CU_ASSERT_EQUAL(probe_packet_parse(buf, 60, &r), -1);
}

/*
 * Every value of every byte of a genuine SYN-ACK: the parser survives
 * each, and none with a byte of the acknowledgment (the cookie) changed
 * is taken for ours, nor one from another address or port.
 */
static void
test_probe_tcp_syn_matches_no_reply_with_a_keyed_byte_changed(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET);
	struct probe_target	want = fx_target(AF_INET, 22, 0), got;
	struct probe_reply	r;
	uint8_t			buf[64], copy[64];
	size_t			len, i;
	unsigned		v, matched = 0, cookie_tried = 0;
	bool			keyed;

	len = reply_make(buf, &ctx, 22, 0, 0x12,
	    probe_packet_cookie(&ctx, &want.dst, 22,
	    probe_packet_sport(&ctx, &want.dst, 22, 0)) + 1);
	CU_ASSERT_EQUAL_FATAL(probe_packet_parse(buf, len, &r), 0);
	CU_ASSERT_TRUE_FATAL(probe_tcp_syn.match(&ctx, &r, &got));
	for (i = 0; i < len; i++) {
		/* The source address, the ports and the acknowledgment. */
		keyed = (i >= 12 && i < 16) || (i >= 20 && i < 24) ||
		    (i >= 28 && i < 32);
		for (v = 0; v < 256; v++) {
			if (v == buf[i])
				continue;
			memcpy(copy, buf, len);
			copy[i] = (uint8_t)v;
			if (probe_packet_parse(copy, len, &r) != 0 ||
			    !probe_tcp_syn.match(&ctx, &r, &got)) {
				cookie_tried += keyed;
				continue;
			}
			matched++;
			if (keyed)
				CU_FAIL("a reply with a keyed byte changed "
				    "matched");
		}
	}
	CU_ASSERT_EQUAL(cookie_tried, 12 * 255);
	/* Bytes outside the key (TTL, window) do not stop a match. */
	CU_ASSERT(matched > 0);
}

/* An ICMP unreachable of code from the address from, quoting pkt's 28. */
static size_t
unreach_make(uint8_t *buf, const uint8_t *from, uint8_t code,
    const struct probe_packet *pkt)
{
	memset(buf, 0, 56);
	buf[0] = 0x45;
	buf[3] = 56;
	buf[8] = 64;
	buf[9] = IPPROTO_ICMP;
	memcpy(buf + 12, from, 4);
	memcpy(buf + 16, pkt->buf + 12, 4);
	buf[20] = 3;
	buf[21] = code;
	memcpy(buf + 28, pkt->buf, 28);
	return (56);
}

/*
 * The source port is keyed by host and port: a host that saw our SYN to
 * itself learns nothing of the port a SYN to another host comes from,
 * and what it forges from what it saw (nearby source ports, the
 * sequence number it saw) is not an answer.
 */
static void
test_probe_tcp_syn_source_port_is_keyed_by_host_and_port(void)
{
	static const uint8_t	other[4] = { 198, 19, 0, 11 };
	struct probe_ctx	ctx = fx_ctx(AF_INET);
	struct probe_target	a22 = fx_target(AF_INET, 22, 0), b22 = a22;
	struct probe_target	a23, got;
	struct probe_packet	pa22, pb22, pa23;
	struct probe_reply	r;
	uint8_t			buf[64];
	uint32_t		seq;
	uint16_t		sport;
	int			d, matched = 0;

	a23 = fx_target(AF_INET, 23, 0);
	memcpy(b22.dst.addr, other, 4);
	CU_ASSERT_FATAL(probe_tcp_syn.make(&ctx, &a22, &pa22, NULL) == 0);
	CU_ASSERT_FATAL(probe_tcp_syn.make(&ctx, &b22, &pb22, NULL) == 0);
	CU_ASSERT_FATAL(probe_tcp_syn.make(&ctx, &a23, &pa23, NULL) == 0);
	CU_ASSERT(memcmp(pa22.buf + 20, pb22.buf + 20, 2) != 0);
	CU_ASSERT(memcmp(pa22.buf + 20, pa23.buf + 20, 2) != 0);

	sport = (uint16_t)(pa22.buf[20] << 8 | pa22.buf[21]);
	seq = probe_get32(pa22.buf + 24);
	for (d = -2; d <= 2; d++) {
		reply_make(buf, &ctx, 22, 0, 0x12, seq + 1);
		memcpy(buf + 12, other, 4);
		buf[22] = (uint8_t)((sport + d) >> 8);
		buf[23] = (uint8_t)(sport + d);
		if (probe_packet_parse(buf, 40, &r) == 0 &&
		    probe_tcp_syn.match(&ctx, &r, &got))
			matched++;
	}
	CU_ASSERT_EQUAL(matched, 0);
}

/* An ICMP error must quote the IP identifier the SYN was sent with. */
static void
test_probe_tcp_syn_icmp_error_quoting_another_mark_is_not_ours(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET);
	struct probe_target	t = fx_target(AF_INET, 8443, 1), got;
	struct probe_packet	pkt;
	struct probe_reply	r;
	uint8_t			buf[64];

	CU_ASSERT_FATAL(probe_tcp_syn.make(&ctx, &t, &pkt, NULL) == 0);
	CU_ASSERT_FATAL(probe_packet_parse(buf, unreach_make(buf, t.dst.addr,
	    13, &pkt), &r) == 0);
	CU_ASSERT(probe_tcp_syn.match(&ctx, &r, &got));
	pkt.buf[4] ^= 0x01;
	CU_ASSERT_FATAL(probe_packet_parse(buf, unreach_make(buf, t.dst.addr,
	    13, &pkt), &r) == 0);
	CU_ASSERT_FALSE(probe_tcp_syn.match(&ctx, &r, &got));
}

/*
 * A retry made from the first try's port, as the engine keeps it, is the
 * packet a retry made from nothing is: the next keyed port, its cookie
 * and mark; and the kept port is the first try's, whichever try made it.
 */
static void
test_probe_tcp_syn_retry_from_the_kept_port_is_the_same_packet(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET);
	struct probe_target	first = fx_target(AF_INET, 8443, 0);
	struct probe_target	fresh = fx_target(AF_INET, 8443, 3), kept;
	struct probe_packet	p0, p1, p2;

	CU_ASSERT_FATAL(probe_tcp_syn.make(&ctx, &first, &p0, NULL) == 0);
	CU_ASSERT_EQUAL(p0.sport0, probe_packet_sport(&ctx, &first.dst, 8443,
	    0));
	CU_ASSERT_FATAL(probe_tcp_syn.make(&ctx, &fresh, &p1, NULL) == 0);
	CU_ASSERT_EQUAL(p1.sport0, p0.sport0);
	kept = fresh;
	kept.sport0 = p0.sport0;
	CU_ASSERT_FATAL(probe_tcp_syn.make(&ctx, &kept, &p2, NULL) == 0);
	CU_ASSERT_EQUAL(p2.len, p1.len);
	CU_ASSERT(memcmp(p2.buf, p1.buf, p1.len) == 0);
	CU_ASSERT_EQUAL(p2.sport0, p0.sport0);
	/* A kept port is not the key: another's gives another packet. */
	kept.sport0 = (uint16_t)(p0.sport0 == 65535 ? 1024 : p0.sport0 + 1);
	CU_ASSERT_FATAL(probe_tcp_syn.make(&ctx, &kept, &p2, NULL) == 0);
	CU_ASSERT(memcmp(p2.buf, p1.buf, p1.len) != 0);
}

/*
 * From a third address only what a router says is taken: administratively
 * prohibited (filtered, the host not known up, the router's address
 * kept), never protocol or port unreachable.
 */
static void
test_probe_tcp_syn_icmp_error_from_off_the_path_is_refused(void)
{
	static const uint8_t	router[4] = { 198, 18, 0, 1 };
	struct probe_ctx	ctx = fx_ctx(AF_INET);
	struct probe_target	t = fx_target(AF_INET, 8443, 0), got;
	struct probe_packet	pkt;
	struct probe_reply	r;
	struct probe_verdict	v;
	uint8_t			buf[64];

	CU_ASSERT_FATAL(probe_tcp_syn.make(&ctx, &t, &pkt, NULL) == 0);
	CU_ASSERT(probe_packet_parse(buf, unreach_make(buf, router, 2, &pkt),
	    &r) == -1 || !probe_tcp_syn.match(&ctx, &r, &got));
	CU_ASSERT(probe_packet_parse(buf, unreach_make(buf, router, 3, &pkt),
	    &r) == -1 || !probe_tcp_syn.match(&ctx, &r, &got));
	CU_ASSERT_FATAL(probe_packet_parse(buf, unreach_make(buf, router, 13,
	    &pkt), &r) == 0);
	CU_ASSERT_FATAL(probe_tcp_syn.match(&ctx, &r, &got));
	CU_ASSERT(memcmp(r.from.addr, router, 4) == 0);
	probe_tcp_syn.classify(&r, &v);
	CU_ASSERT_EQUAL(v.port_state, EVENT_PORT_FILTERED);
	CU_ASSERT_FALSE(v.host_up);
	/* The same protocol unreachable from the host itself is taken. */
	CU_ASSERT_FATAL(probe_packet_parse(buf, unreach_make(buf, t.dst.addr,
	    2, &pkt), &r) == 0);
	CU_ASSERT(probe_tcp_syn.match(&ctx, &r, &got));
}

/*
 * -g: every try goes from the fixed port, and the sequence number is
 * keyed by the try instead: a SYN-ACK or RST to that port is ours when it
 * acknowledges one try's cookie (and says which); one from another host
 * with what this host saw, to another port, or acknowledging nothing we
 * sent is not; an ICMP error must quote that try's cookie and mark.
 */
static void
test_probe_tcp_syn_fixed_source_port_keys_the_sequence_by_try(void)
{
	static const uint8_t	other[4] = { 198, 19, 0, 11 };
	struct probe_ctx	ctx = fx_ctx(AF_INET);
	struct probe_target	t, got;
	struct probe_packet	pkt[4];
	struct probe_reply	r;
	uint8_t			buf[64];
	uint32_t		seq[4];
	int			i, j;

	ctx.sport_fixed = 53;
	for (i = 0; i < 4; i++) {
		t = fx_target(AF_INET, 22, (uint8_t)i);
		CU_ASSERT_FATAL(probe_tcp_syn.make(&ctx, &t, &pkt[i],
		    NULL) == 0);
		CU_ASSERT_EQUAL(probe_get16(pkt[i].buf + 20), 53);
		seq[i] = probe_get32(pkt[i].buf + 24);
		for (j = 0; j < i; j++)
			CU_ASSERT_NOT_EQUAL(seq[i], seq[j]);
	}
	reply_make(buf, &ctx, 22, 0, 0x12, seq[2] + 1);
	CU_ASSERT_FATAL(probe_packet_parse(buf, 40, &r) == 0);
	CU_ASSERT_EQUAL(r.dport, 53);
	CU_ASSERT_FATAL(probe_tcp_syn.match(&ctx, &r, &got));
	CU_ASSERT_EQUAL(got.port, 22);
	CU_ASSERT_EQUAL(got.try, 2);
	reply_make(buf, &ctx, 22, 0, 0x14, seq[3] + 1);
	CU_ASSERT_FATAL(probe_packet_parse(buf, 40, &r) == 0);
	CU_ASSERT_FATAL(probe_tcp_syn.match(&ctx, &r, &got));
	CU_ASSERT_EQUAL(got.try, 3);
	/* The sequence number itself, not plus one. */
	reply_make(buf, &ctx, 22, 0, 0x12, seq[2]);
	CU_ASSERT_FATAL(probe_packet_parse(buf, 40, &r) == 0);
	CU_ASSERT_FALSE(probe_tcp_syn.match(&ctx, &r, &got));
	/* Another host's port, from what this one saw. */
	reply_make(buf, &ctx, 22, 0, 0x12, seq[2] + 1);
	memcpy(buf + 12, other, 4);
	CU_ASSERT_FATAL(probe_packet_parse(buf, 40, &r) == 0);
	CU_ASSERT_FALSE(probe_tcp_syn.match(&ctx, &r, &got));
	/* Another port of the host. */
	reply_make(buf, &ctx, 23, 0, 0x12, seq[2] + 1);
	CU_ASSERT_FATAL(probe_packet_parse(buf, 40, &r) == 0);
	CU_ASSERT_FALSE(probe_tcp_syn.match(&ctx, &r, &got));
	/* To another of our ports. */
	reply_make(buf, &ctx, 22, 0, 0x12, seq[2] + 1);
	buf[23] = 54;
	CU_ASSERT_FATAL(probe_packet_parse(buf, 40, &r) == 0);
	CU_ASSERT_FALSE(probe_tcp_syn.match(&ctx, &r, &got));
	/* An ICMP error quoting try 1, then with its mark changed. */
	CU_ASSERT_FATAL(probe_packet_parse(buf, unreach_make(buf,
	    pkt[1].buf + 16, 13, &pkt[1]), &r) == 0);
	CU_ASSERT_FATAL(probe_tcp_syn.match(&ctx, &r, &got));
	CU_ASSERT_EQUAL(got.try, 1);
	pkt[1].buf[5] ^= 0x01;
	CU_ASSERT_FATAL(probe_packet_parse(buf, unreach_make(buf,
	    pkt[1].buf + 16, 13, &pkt[1]), &r) == 0);
	CU_ASSERT_FALSE(probe_tcp_syn.match(&ctx, &r, &got));
	/* The ACK probe's RST echoes the cookie as its sequence number. */
	t = fx_target(AF_INET, 80, 1);
	CU_ASSERT_FATAL(probe_tcp_ack.make(&ctx, &t, &pkt[0], NULL) == 0);
	CU_ASSERT_EQUAL(probe_get16(pkt[0].buf + 20), 53);
	reply_make(buf, &ctx, 80, 0, 0x04, 0);
	memcpy(buf + 24, pkt[0].buf + 28, 4);
	CU_ASSERT_FATAL(probe_packet_parse(buf, 40, &r) == 0);
	CU_ASSERT_FATAL(probe_tcp_ack.match(&ctx, &r, &got));
	CU_ASSERT_EQUAL(got.try, 1);
	buf[27] ^= 0x01;
	CU_ASSERT_FATAL(probe_packet_parse(buf, 40, &r) == 0);
	CU_ASSERT_FALSE(probe_tcp_ack.match(&ctx, &r, &got));
}

static const struct unit_test tests[] = {
	TEST(test_probe_packet_cksum_matches_a_known_header),
	TEST(test_probe_packet_siphash_matches_the_reference_vector),
	TEST(test_probe_tcp_syn_packet_has_valid_checksums),
	TEST(test_probe_tcp_syn_carries_the_ttl_asked_for),
	TEST(test_probe_tcp_syn_looks_like_a_normal_syn),
	TEST(test_probe_tcp_syn_cookie_differs_by_port_and_secret),
	TEST(test_probe_tcp_syn_syn_ack_with_our_cookie_is_open),
	TEST(test_probe_tcp_syn_rst_with_our_cookie_is_closed),
	TEST(test_probe_tcp_syn_rejects_a_reply_with_the_wrong_cookie),
	TEST(test_probe_tcp_syn_ignores_its_own_syn),
	TEST(test_probe_tcp_syn_icmp_admin_prohibited_is_filtered),
	TEST(test_probe_packet_parse_refuses_short_and_lying_packets),
	TEST(test_probe_packet_parse_refuses_a_tcp_data_offset_out_of_the_segment),
	TEST(test_probe_packet_parse_refuses_a_udp_length_that_is_not_the_datagram),
	TEST(test_probe_packet_parse6_refuses_a_tcp_data_offset_out_of_the_segment),
	TEST(test_probe_packet_parse6_refuses_what_we_did_not_send),
	TEST(test_probe_tcp_syn_matches_no_reply_with_a_keyed_byte_changed),
	TEST(test_probe_tcp_syn_source_port_is_keyed_by_host_and_port),
	TEST(test_probe_tcp_syn_icmp_error_quoting_another_mark_is_not_ours),
	TEST(test_probe_tcp_syn_retry_from_the_kept_port_is_the_same_packet),
	TEST(test_probe_tcp_syn_icmp_error_from_off_the_path_is_refused),
	TEST(test_probe_tcp_syn_fixed_source_port_keys_the_sequence_by_try),
	TEST_END
};

UNIT_MAIN("probe-tcp-syn", tests)
