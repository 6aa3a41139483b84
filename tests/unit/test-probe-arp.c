/*
 * The ARP probe against hand-made frames: a request as RFC 826 has it
 * (broadcast, our hardware and protocol addresses, the target's), a
 * reply counts only if it names our address as its target and it says
 * who answered, and neither a request (our own, seen by the capture)
 * nor anything but an Ethernet/IPv4 reply parses as one.
 */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "unit.h"

#include "event.h"
#include "probe.h"

static const uint8_t	our_ip[4] = { 198, 18, 0, 2 };
static const uint8_t	their_ip[4] = { 198, 18, 0, 77 };
static const uint8_t	our_mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x02 };
static const uint8_t	their_mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x4d };

static struct probe_ctx
ctx_make(void)
{
	struct probe_ctx	ctx;

	memset(&ctx, 0, sizeof ctx);
	probe_packet_addr4(&ctx.src, our_ip);
	memcpy(ctx.src_mac, our_mac, 6);
	return (ctx);
}

/* An ARP reply (after the Ethernet header), RFC 826's fields. */
static size_t
reply_make(uint8_t *p, const uint8_t *sha, const uint8_t *spa,
    const uint8_t *tha, const uint8_t *tpa)
{
	memset(p, 0, 28);
	p[1] = 1;			/* hardware: Ethernet */
	p[2] = 0x08;			/* protocol: IPv4 */
	p[4] = 6;
	p[5] = 4;
	p[7] = 2;			/* reply */
	memcpy(p + 8, sha, 6);
	memcpy(p + 14, spa, 4);
	memcpy(p + 18, tha, 6);
	memcpy(p + 24, tpa, 4);
	return (28);
}

static void
test_probe_arp_request_is_a_broadcast_rfc826_request(void)
{
	static const uint8_t	want[42] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,	/* broadcast */
		0x02, 0x00, 0x5e, 0x10, 0x00, 0x02,	/* from us */
		0x08, 0x06,				/* ARP */
		0x00, 0x01, 0x08, 0x00, 6, 4,		/* Ethernet, IPv4 */
		0x00, 0x01,				/* request */
		0x02, 0x00, 0x5e, 0x10, 0x00, 0x02,	/* sender: us */
		198, 18, 0, 2,
		0, 0, 0, 0, 0, 0,			/* target: unknown */
		198, 18, 0, 77
	};
	struct probe_ctx	ctx = ctx_make();
	struct probe_target	t;
	struct probe_packet	pkt;

	memset(&t, 0, sizeof t);
	probe_packet_addr4(&t.dst, their_ip);
	CU_ASSERT_EQUAL(probe_arp.kind, PROBE_RAW_LINK);
	CU_ASSERT_EQUAL_FATAL(probe_arp.make(&ctx, &t, &pkt, NULL), 0);
	CU_ASSERT_EQUAL(pkt.fd, -1);
	CU_ASSERT_EQUAL_FATAL(pkt.len, sizeof want);
	CU_ASSERT_EQUAL(memcmp(pkt.buf, want, sizeof want), 0);
}

static void
test_probe_arp_reply_to_us_is_the_sender_up(void)
{
	struct probe_ctx	ctx = ctx_make();
	struct probe_target	got;
	struct probe_reply	r;
	struct probe_verdict	v;
	uint8_t			buf[64];
	size_t			len;

	len = reply_make(buf, their_mac, their_ip, our_mac, our_ip);
	CU_ASSERT_EQUAL_FATAL(probe_packet_parse_arp(buf, len, &r), 0);
	CU_ASSERT_EQUAL(r.type, PROBE_REPLY_ARP);
	CU_ASSERT_EQUAL(memcmp(r.mac, their_mac, 6), 0);
	CU_ASSERT_TRUE(probe_arp.match(&ctx, &r, &got));
	CU_ASSERT_EQUAL(got.dst.family, AF_INET);
	CU_ASSERT_EQUAL(memcmp(got.dst.addr, their_ip, 4), 0);
	CU_ASSERT_EQUAL(got.port, 0);
	probe_arp.classify(&r, &v);
	CU_ASSERT_TRUE(v.host_up);
	CU_ASSERT_EQUAL(v.reason, EVENT_REASON_ARP_RESPONSE);
	CU_ASSERT_EQUAL(v.port_state, 0);
}

static void
test_probe_arp_reply_to_another_address_is_not_ours(void)
{
	static const uint8_t	other_ip[4] = { 198, 18, 0, 3 };
	struct probe_ctx	ctx = ctx_make();
	struct probe_target	got;
	struct probe_reply	r;
	uint8_t			buf[64], tpa[4];
	size_t			len, i;

	len = reply_make(buf, their_mac, their_ip, our_mac, other_ip);
	CU_ASSERT_EQUAL_FATAL(probe_packet_parse_arp(buf, len, &r), 0);
	CU_ASSERT_FALSE(probe_arp.match(&ctx, &r, &got));
	/* Any byte of the target address changed. */
	for (i = 0; i < 4; i++) {
		memcpy(tpa, our_ip, 4);
		tpa[i] ^= 0x40;
		len = reply_make(buf, their_mac, their_ip, our_mac, tpa);
		CU_ASSERT_EQUAL_FATAL(probe_packet_parse_arp(buf, len, &r), 0);
		CU_ASSERT_FALSE(probe_arp.match(&ctx, &r, &got));
	}
	/* Not ARP at all. */
	memset(&r, 0, sizeof r);
	r.type = PROBE_REPLY_ICMP;
	probe_packet_addr4(&r.to, our_ip);
	CU_ASSERT_FALSE(probe_arp.match(&ctx, &r, &got));
}

static void
test_probe_arp_parses_only_ethernet_ipv4_replies(void)
{
	struct probe_ctx	ctx = ctx_make();
	struct probe_target	t;
	struct probe_packet	pkt;
	struct probe_reply	r;
	uint8_t			buf[64];
	size_t			len, i;
	static const size_t	field[] = { 1, 2, 4, 5, 7 };

	/* Our own request, as a capture sees it, is not a reply. */
	memset(&t, 0, sizeof t);
	probe_packet_addr4(&t.dst, their_ip);
	CU_ASSERT_EQUAL_FATAL(probe_arp.make(&ctx, &t, &pkt, NULL), 0);
	CU_ASSERT_EQUAL(probe_packet_parse_arp(pkt.buf + 14, pkt.len - 14,
	    &r), -1);
	/* Short, or another hardware, protocol, length or operation. */
	len = reply_make(buf, their_mac, their_ip, our_mac, our_ip);
	for (i = 0; i < len; i++)
		CU_ASSERT_EQUAL(probe_packet_parse_arp(buf, i, &r), -1);
	for (i = 0; i < sizeof field / sizeof field[0]; i++) {
		buf[field[i]] ^= 0x10;
		CU_ASSERT_EQUAL(probe_packet_parse_arp(buf, len, &r), -1);
		buf[field[i]] ^= 0x10;
	}
	CU_ASSERT_EQUAL(probe_packet_parse_arp(buf, len, &r), 0);
}

static const struct unit_test tests[] = {
	TEST(test_probe_arp_request_is_a_broadcast_rfc826_request),
	TEST(test_probe_arp_reply_to_us_is_the_sender_up),
	TEST(test_probe_arp_reply_to_another_address_is_not_ours),
	TEST(test_probe_arp_parses_only_ethernet_ipv4_replies),
	TEST_END
};

UNIT_MAIN("probe-arp", tests)
