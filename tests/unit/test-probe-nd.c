/*
 * The Neighbor Solicitation probe against hand-made bytes: the Ethernet
 * and IPv6 headers RFC 4861 asks for (solicited-node group, hop limit
 * 255), the ICMPv6 checksum over the pseudo-header, the source
 * link-layer address option, and which Neighbor Advertisements match.
 */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "unit.h"

#include "event.h"
#include "probe.h"
#include "probe-fixture.h"

static const uint8_t	src6[16] = { 0x20, 0x01, 0, 2, 0, 0, 0, 1,
			    0, 0, 0, 0, 0, 0, 0, 2 };
static const uint8_t	dst6[16] = { 0x20, 0x01, 0, 2, 0, 0, 0, 1,
			    0, 0, 0, 0, 0, 0xab, 0xcd, 0xef };
static const uint8_t	group6[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0,
			    0, 0, 0, 1, 0xff, 0xcd, 0xef, 0x01 };
static const uint8_t	mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };

static struct probe_ctx
ctx_make(void)
{
	struct probe_ctx	ctx;

	memset(&ctx, 0, sizeof ctx);
	probe_packet_addr6(&ctx.src, src6);
	memcpy(ctx.src_mac, mac, 6);
	return (ctx);
}

static struct probe_target
target_make(const uint8_t *addr)
{
	struct probe_target	t;

	memset(&t, 0, sizeof t);
	probe_packet_addr6(&t.dst, addr);
	return (t);
}

/* A Neighbor Advertisement from a to b for target, with hop limit hl. */
static size_t
advert_make(uint8_t *buf, const uint8_t *a, const uint8_t *b,
    const uint8_t *target, uint8_t hl)
{
	memset(buf, 0, 40 + 24);
	buf[0] = 0x60;
	buf[5] = 24;
	buf[6] = IPPROTO_ICMPV6;
	buf[7] = hl;
	memcpy(buf + 8, a, 16);
	memcpy(buf + 24, b, 16);
	buf[40] = 136;
	buf[44] = 0x60;			/* solicited, override */
	memcpy(buf + 48, target, 16);
	return (40 + 24);
}

static void
test_probe_nd_solicitation_goes_to_the_solicited_node_group(void)
{
	struct probe_ctx	ctx = ctx_make();
	struct probe_target	t = target_make(dst6);
	struct probe_packet	pkt;
	static const uint8_t	emac[6] = { 0x33, 0x33, 0xff, 0xcd, 0xef,
				    0x01 };
	char			*cause = NULL;

	memcpy(t.dst.addr + 13, group6 + 13, 3);
	CU_ASSERT_FATAL(probe_nd.make(&ctx, &t, &pkt, &cause) == 0);
	CU_ASSERT_EQUAL(pkt.len, 14 + 40 + 32);
	CU_ASSERT(memcmp(pkt.buf, emac, 6) == 0);
	CU_ASSERT(memcmp(pkt.buf + 6, mac, 6) == 0);
	CU_ASSERT_EQUAL(pkt.buf[12] << 8 | pkt.buf[13], 0x86dd);
	CU_ASSERT_EQUAL(pkt.buf[14] >> 4, 6);
	CU_ASSERT_EQUAL(pkt.buf[14 + 4] << 8 | pkt.buf[14 + 5], 32);
	CU_ASSERT_EQUAL(pkt.buf[14 + 6], IPPROTO_ICMPV6);
	CU_ASSERT_EQUAL(pkt.buf[14 + 7], 255);
	CU_ASSERT(memcmp(pkt.buf + 14 + 8, src6, 16) == 0);
	CU_ASSERT(memcmp(pkt.buf + 14 + 24, group6, 16) == 0);
}

static void
test_probe_nd_solicitation_has_valid_checksum_and_option(void)
{
	struct probe_ctx	ctx = ctx_make();
	struct probe_target	t = target_make(dst6);
	struct probe_packet	pkt;
	uint8_t			grp[16], *ns;
	uint32_t		sum;
	char			*cause = NULL;

	CU_ASSERT_FATAL(probe_nd.make(&ctx, &t, &pkt, &cause) == 0);
	memcpy(grp, group6, 13);
	memcpy(grp + 13, dst6 + 13, 3);
	CU_ASSERT(memcmp(pkt.buf + 14 + 24, grp, 16) == 0);
	ns = pkt.buf + 14 + 40;
	CU_ASSERT_EQUAL(ns[0], 135);
	CU_ASSERT_EQUAL(ns[1], 0);
	CU_ASSERT(memcmp(ns + 4, "\0\0\0\0", 4) == 0);
	CU_ASSERT(memcmp(ns + 8, dst6, 16) == 0);
	CU_ASSERT_EQUAL(ns[24], 1);		/* source link-layer address */
	CU_ASSERT_EQUAL(ns[25], 1);		/* 8 bytes */
	CU_ASSERT(memcmp(ns + 26, mac, 6) == 0);
	sum = IPPROTO_ICMPV6 + 32;
	sum += fx_sum16(0, src6, 16);
	sum += fx_sum16(0, grp, 16);
	CU_ASSERT_EQUAL(fx_sum16(sum, ns, 32), 0xffff);
}

static void
test_probe_nd_advertisement_to_us_means_up(void)
{
	struct probe_ctx	ctx = ctx_make();
	struct probe_reply	r;
	struct probe_target	t;
	struct probe_verdict	v;
	uint8_t			buf[128];

	CU_ASSERT_FATAL(probe_packet_parse(buf, advert_make(buf, dst6, src6,
	    dst6, 255), &r) == 0);
	CU_ASSERT_EQUAL(r.type, PROBE_REPLY_ND);
	CU_ASSERT_FATAL(probe_nd.match(&ctx, &r, &t));
	CU_ASSERT(memcmp(t.dst.addr, dst6, 16) == 0);
	CU_ASSERT_EQUAL(t.dst.family, AF_INET6);
	probe_nd.classify(&r, &v);
	CU_ASSERT(v.host_up);
	CU_ASSERT_EQUAL(v.reason, EVENT_REASON_ND_RESPONSE);
	CU_ASSERT_STRING_EQUAL(event_reason_name(v.reason), "nd-response");
}

static void
test_probe_nd_advertisement_names_its_target_not_its_source(void)
{
	struct probe_ctx	ctx = ctx_make();
	struct probe_reply	r;
	struct probe_target	t;
	uint8_t			buf[128], other[16];

	memcpy(other, dst6, 16);
	other[15] = 0x99;
	CU_ASSERT_FATAL(probe_packet_parse(buf, advert_make(buf, other, src6,
	    dst6, 255), &r) == 0);
	CU_ASSERT_FATAL(probe_nd.match(&ctx, &r, &t));
	CU_ASSERT(memcmp(t.dst.addr, dst6, 16) == 0);
}

static void
test_probe_nd_advertisement_from_a_router_hop_is_refused(void)
{
	uint8_t			buf[128];
	struct probe_reply	r;

	CU_ASSERT(probe_packet_parse(buf, advert_make(buf, dst6, src6, dst6,
	    254), &r) == -1);
}

static void
test_probe_nd_advertisement_to_another_address_does_not_match(void)
{
	struct probe_ctx	ctx = ctx_make();
	struct probe_reply	r;
	struct probe_target	t;
	uint8_t			buf[128], other[16];

	memcpy(other, src6, 16);
	other[15] = 3;
	CU_ASSERT_FATAL(probe_packet_parse(buf, advert_make(buf, dst6, other,
	    dst6, 255), &r) == 0);
	CU_ASSERT_FALSE(probe_nd.match(&ctx, &r, &t));
}

static const struct unit_test tests[] = {
	TEST(test_probe_nd_solicitation_goes_to_the_solicited_node_group),
	TEST(test_probe_nd_solicitation_has_valid_checksum_and_option),
	TEST(test_probe_nd_advertisement_to_us_means_up),
	TEST(test_probe_nd_advertisement_names_its_target_not_its_source),
	TEST(test_probe_nd_advertisement_from_a_router_hop_is_refused),
	TEST(test_probe_nd_advertisement_to_another_address_does_not_match),
	TEST_END
};

UNIT_MAIN("probe-nd", tests)
