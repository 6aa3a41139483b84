/*
 * The UDP probe and IPv6 packets against hand-made bytes: the protocol
 * requests (lengths, the cookie where the protocol echoes it), UDP and
 * TCP checksums over both pseudo-headers, which replies match which try,
 * what each answer means, and the IPv6 parser's reading of ICMPv6.
 */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "unit.h"

#include "event.h"
#include "probe.h"
#include "probe-fixture.h"

/* Does the transport checksum of pkt (header hl) come out right? */
static int
l4_sum_ok(const struct probe_packet *pkt, size_t hl, const uint8_t *s,
    const uint8_t *d, size_t alen, uint8_t proto)
{
	uint32_t	sum = proto + (uint32_t)(pkt->len - hl);

	sum += fx_sum16(0, s, alen);
	sum += fx_sum16(0, d, alen);
	return (fx_sum16(sum, pkt->buf + hl, pkt->len - hl) == 0xffff);
}

static void
test_probe_udp_dns_request_is_a_root_ns_query(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET);
	struct probe_target	t = fx_target(AF_INET, 53, 0);
	struct probe_packet	pkt;
	char			*cause = NULL;
	const uint8_t		*dns;

	CU_ASSERT_FATAL(probe_udp.make(&ctx, &t, &pkt, &cause) == 0);
	CU_ASSERT_EQUAL(pkt.len, 20 + 8 + 17);
	CU_ASSERT_EQUAL(pkt.buf[9], IPPROTO_UDP);
	dns = pkt.buf + 28;
	CU_ASSERT_EQUAL(dns[5], 1);		/* one question */
	CU_ASSERT_EQUAL(dns[12], 0);		/* the root */
	CU_ASSERT_EQUAL(dns[14], 2);		/* NS */
	CU_ASSERT_EQUAL(dns[16], 1);		/* IN */
	CU_ASSERT(dns[0] != 0 || dns[1] != 0);	/* the cookie as ID */
	CU_ASSERT(l4_sum_ok(&pkt, 20, fx_src4, fx_dst4, 4, IPPROTO_UDP));
}

static void
test_probe_udp_snmp_request_lengths_add_up(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET);
	struct probe_target	t = fx_target(AF_INET, 161, 0);
	struct probe_packet	pkt;
	char			*cause = NULL;
	const uint8_t		*b;

	CU_ASSERT_FATAL(probe_udp.make(&ctx, &t, &pkt, &cause) == 0);
	b = pkt.buf + 28;
	CU_ASSERT_EQUAL(b[0], 0x30);
	CU_ASSERT_EQUAL((size_t)b[1] + 2, pkt.len - 28);
	CU_ASSERT(memcmp(b + 7, "public", 6) == 0);
	CU_ASSERT_EQUAL(b[13], 0xa0);		/* GetRequest */
	CU_ASSERT_EQUAL((size_t)b[14] + 15, pkt.len - 28);
	CU_ASSERT((b[17] & 0x80) == 0);		/* request-id positive */
}

static void
test_probe_udp_other_ports_get_the_cookie_alone(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET);
	struct probe_target	t = fx_target(AF_INET, 5000, 3);
	struct probe_packet	pkt;
	char			*cause = NULL;
	uint16_t		sport = probe_packet_sport(&ctx, &t.dst, 5000, 3);
	uint32_t		cookie;

	CU_ASSERT_FATAL(probe_udp.make(&ctx, &t, &pkt, &cause) == 0);
	CU_ASSERT_EQUAL(pkt.len, 28 + 4);
	CU_ASSERT_EQUAL(pkt.buf[20] << 8 | pkt.buf[21], sport);
	cookie = probe_packet_cookie(&ctx, &t.dst, 5000, sport) & 0x7fffffff;
	CU_ASSERT_EQUAL((uint32_t)pkt.buf[28] << 24 |
	    (uint32_t)pkt.buf[29] << 16 | (uint32_t)pkt.buf[30] << 8 |
	    pkt.buf[31], cookie);
	CU_ASSERT(l4_sum_ok(&pkt, 20, fx_src4, fx_dst4, 4, IPPROTO_UDP));
}

static void
test_probe_udp_ipv6_datagram_has_valid_checksum(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET6);
	struct probe_target	t = fx_target(AF_INET6, 123, 1);
	struct probe_packet	pkt;
	char			*cause = NULL;

	CU_ASSERT_FATAL(probe_udp.make(&ctx, &t, &pkt, &cause) == 0);
	CU_ASSERT_EQUAL(pkt.len, 40 + 8 + 48);
	CU_ASSERT_EQUAL(pkt.buf[0] >> 4, 6);
	CU_ASSERT_EQUAL(pkt.buf[6], IPPROTO_UDP);
	CU_ASSERT_EQUAL(pkt.buf[4] << 8 | pkt.buf[5], 8 + 48);
	CU_ASSERT_EQUAL(pkt.buf[48], 0x23);	/* NTPv4, client */
	CU_ASSERT(l4_sum_ok(&pkt, 40, fx_src6, fx_dst6, 16, IPPROTO_UDP));
}

static void
test_probe_tcp_syn_ipv6_segment_has_valid_checksum(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET6);
	struct probe_target	t = fx_target(AF_INET6, 443, 0);
	struct probe_packet	pkt;
	char			*cause = NULL;

	CU_ASSERT_FATAL(probe_tcp_syn.make(&ctx, &t, &pkt, &cause) == 0);
	CU_ASSERT_EQUAL(pkt.len, 40 + 24);
	CU_ASSERT_EQUAL(pkt.buf[6], IPPROTO_TCP);
	CU_ASSERT(l4_sum_ok(&pkt, 40, fx_src6, fx_dst6, 16, IPPROTO_TCP));
}

/* An IPv6 packet from a to b carrying payload. */
static size_t
ip6_make(uint8_t *buf, const uint8_t *a, const uint8_t *b, uint8_t nh,
    const uint8_t *payload, size_t len)
{
	memset(buf, 0, 40);
	buf[0] = 0x60;
	buf[4] = (uint8_t)(len >> 8);
	buf[5] = (uint8_t)len;
	buf[6] = nh;
	buf[7] = 60;
	memcpy(buf + 8, a, 16);
	memcpy(buf + 24, b, 16);
	memcpy(buf + 40, payload, len);
	return (40 + len);
}

static void
test_probe_udp_reply_datagram_means_open(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET6);
	struct probe_reply	r;
	struct probe_target	t = fx_target(AF_INET6, 53, 2);
	struct probe_verdict	v;
	uint8_t			buf[128], udp[12] = { 0, 53, 0, 0, 0, 12 };
	uint16_t		sport = probe_packet_sport(&ctx, &t.dst, 53, 2);

	udp[2] = (uint8_t)(sport >> 8);
	udp[3] = (uint8_t)sport;
	CU_ASSERT_FATAL(probe_packet_parse(buf, ip6_make(buf, fx_dst6, fx_src6,
	    IPPROTO_UDP, udp, sizeof udp), &r) == 0);
	CU_ASSERT_EQUAL(r.type, PROBE_REPLY_UDP);
	CU_ASSERT_FATAL(probe_udp.match(&ctx, &r, &t));
	CU_ASSERT_EQUAL(t.port, 53);
	CU_ASSERT_EQUAL(t.try, 2);
	CU_ASSERT(memcmp(t.dst.addr, fx_dst6, 16) == 0);
	probe_udp.classify(&r, &v);
	CU_ASSERT_EQUAL(v.port_state, EVENT_PORT_OPEN);
	CU_ASSERT_EQUAL(v.reason, EVENT_REASON_UDP_RESPONSE);
	/* Not to one of our source ports: not ours. */
	udp[2] ^= 0x10;
	CU_ASSERT_FATAL(probe_packet_parse(buf, ip6_make(buf, fx_dst6, fx_src6,
	    IPPROTO_UDP, udp, sizeof udp), &r) == 0);
	CU_ASSERT_FALSE(probe_udp.match(&ctx, &r, &t));
}

/* An ICMPv6 error of type and code from the target, quoting pkt. */
static size_t
icmp6_error(uint8_t *buf, uint8_t type, uint8_t code,
    const struct probe_packet *pkt)
{
	uint8_t	icmp[8 + 48];

	memset(icmp, 0, sizeof icmp);
	icmp[0] = type;
	icmp[1] = code;
	memcpy(icmp + 8, pkt->buf, 48);
	return (ip6_make(buf, fx_dst6, fx_src6, IPPROTO_ICMPV6, icmp,
	    sizeof icmp));
}

static void
test_probe_udp_icmp6_port_unreachable_means_closed(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET6);
	struct probe_target	t = fx_target(AF_INET6, 161, 1), got;
	struct probe_packet	pkt;
	struct probe_reply	r;
	struct probe_verdict	v;
	uint8_t			buf[256];
	char			*cause = NULL;

	CU_ASSERT_FATAL(probe_udp.make(&ctx, &t, &pkt, &cause) == 0);
	CU_ASSERT_FATAL(probe_packet_parse(buf, icmp6_error(buf, 1, 4, &pkt),
	    &r) == 0);
	CU_ASSERT_EQUAL(r.type, PROBE_REPLY_ICMP_ERROR);
	CU_ASSERT_FATAL(probe_udp.match(&ctx, &r, &got));
	CU_ASSERT_EQUAL(got.port, 161);
	CU_ASSERT_EQUAL(got.try, 1);
	probe_udp.classify(&r, &v);
	CU_ASSERT_EQUAL(v.port_state, EVENT_PORT_CLOSED);
	CU_ASSERT_EQUAL(v.reason, EVENT_REASON_PORT_UNREACH);
	CU_ASSERT(v.host_up);
	/* Administratively prohibited: filtered. */
	CU_ASSERT_FATAL(probe_packet_parse(buf, icmp6_error(buf, 1, 1, &pkt),
	    &r) == 0);
	probe_udp.classify(&r, &v);
	CU_ASSERT_EQUAL(v.port_state, EVENT_PORT_FILTERED);
	CU_ASSERT_EQUAL(v.reason, EVENT_REASON_ADMIN_PROHIBITED);
}

static void
test_probe_udp_icmp_error_quoting_another_datagram_is_not_ours(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET6);
	struct probe_target	t = fx_target(AF_INET6, 161, 1), got;
	struct probe_packet	pkt;
	struct probe_reply	r;
	uint8_t			buf[256];
	char			*cause = NULL;

	CU_ASSERT_FATAL(probe_udp.make(&ctx, &t, &pkt, &cause) == 0);
	pkt.buf[40 + 7] ^= 1;		/* another checksum: another cookie */
	CU_ASSERT_FATAL(probe_packet_parse(buf, icmp6_error(buf, 1, 4, &pkt),
	    &r) == 0);
	CU_ASSERT_FALSE(probe_udp.match(&ctx, &r, &got));
}

static void
test_probe_packet_parse6_refuses_a_lying_length(void)
{
	struct probe_reply	r;
	uint8_t			buf[128], udp[8] = { 0, 53, 0x9c, 0x40, 0, 8 };
	size_t			len;

	len = ip6_make(buf, fx_dst6, fx_src6, IPPROTO_UDP, udp, sizeof udp);
	buf[5] = 200;
	CU_ASSERT_EQUAL(probe_packet_parse(buf, len, &r), -1);
	CU_ASSERT_EQUAL(probe_packet_parse(buf, 39, &r), -1);
}

static void
test_probe_icmp_echo_ipv6_reply_matches(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET6);
	struct probe_target	t = fx_target(AF_INET6, 0, 2), got;
	struct probe_packet	pkt;
	struct probe_reply	r;
	uint8_t			buf[128], icmp[8];
	char			*cause = NULL;

	CU_ASSERT_FATAL(probe_icmp_echo.make(&ctx, &t, &pkt, &cause) == 0);
	CU_ASSERT_EQUAL(pkt.buf[6], IPPROTO_ICMPV6);
	CU_ASSERT_EQUAL(pkt.buf[40], 128);
	CU_ASSERT(l4_sum_ok(&pkt, 40, fx_src6, fx_dst6, 16, IPPROTO_ICMPV6));
	memcpy(icmp, pkt.buf + 40, 8);
	icmp[0] = 129;
	CU_ASSERT_FATAL(probe_packet_parse(buf, ip6_make(buf, fx_dst6, fx_src6,
	    IPPROTO_ICMPV6, icmp, sizeof icmp), &r) == 0);
	CU_ASSERT_FATAL(probe_icmp_echo.match(&ctx, &r, &got));
	CU_ASSERT_EQUAL(got.try, 2);
}

/* An ICMPv4 error of type and code from the address from, quoting q. */
static size_t
icmp4_error(uint8_t *buf, const uint8_t *from, uint8_t type, uint8_t code,
    const uint8_t *q, size_t qlen)
{
	memset(buf, 0, 28);
	buf[0] = 0x45;
	buf[2] = (uint8_t)((28 + qlen) >> 8);
	buf[3] = (uint8_t)(28 + qlen);
	buf[8] = 64;
	buf[9] = IPPROTO_ICMP;
	memcpy(buf + 12, from, 4);
	memcpy(buf + 16, fx_src4, 4);
	buf[20] = type;
	buf[21] = code;
	memcpy(buf + 28, q, qlen);
	return (28 + qlen);
}

/*
 * What a host that saw our probe to itself can forge for another host's
 * port: the same probe's bytes with the other destination and port, a
 * nearby source port (another try), and the UDP checksum made right for
 * them, with the payload it saw or none; as the other host's own port
 * unreachable. None of it may match.
 */
static void
test_probe_udp_icmp_error_forged_from_public_values_never_matches(void)
{
	static const uint8_t	other[4] = { 198, 19, 0, 11 };
	struct probe_ctx	ctx = fx_ctx(AF_INET);
	struct probe_target	seen = fx_target(AF_INET, 5000, 0), got;
	struct probe_target	real;
	struct probe_packet	pkt;
	struct probe_reply	r;
	uint8_t			q[64], buf[128];
	char			*cause = NULL;
	uint16_t		sport, ck, ulen;
	size_t			qlen, keep;
	int			d, matched = 0;

	CU_ASSERT_FATAL(probe_udp.make(&ctx, &seen, &pkt, &cause) == 0);
	sport = (uint16_t)(pkt.buf[20] << 8 | pkt.buf[21]);
	for (keep = 0; keep <= 1; keep++) {
		for (d = -2; d <= 2; d++) {
			qlen = keep ? pkt.len : 28;
			memcpy(q, pkt.buf, qlen);
			ulen = (uint16_t)(qlen - 20);
			q[2] = 0;
			q[3] = (uint8_t)qlen;
			memcpy(q + 16, other, 4);
			q[20] = (uint8_t)((sport + d) >> 8);
			q[21] = (uint8_t)(sport + d);
			q[22] = 5001 >> 8;
			q[23] = 5001 & 0xff;
			q[24] = 0;
			q[25] = (uint8_t)ulen;
			q[26] = q[27] = 0;
			ck = (uint16_t)~fx_sum16(IPPROTO_UDP + ulen +
			    fx_sum16(0, fx_src4, 4) + fx_sum16(0, other, 4),
			    q + 20, ulen);
			q[26] = (uint8_t)(ck >> 8);
			q[27] = (uint8_t)ck;
			if (probe_packet_parse(buf, icmp4_error(buf, other, 3,
			    3, q, qlen), &r) == 0 &&
			    probe_udp.match(&ctx, &r, &got))
				matched++;
		}
	}
	CU_ASSERT_EQUAL(matched, 0);
	/* The real probe to that port, quoted by that host, matches. */
	real = seen;
	memcpy(real.dst.addr, other, 4);
	real.port = 5001;
	CU_ASSERT_FATAL(probe_udp.make(&ctx, &real, &pkt, &cause) == 0);
	CU_ASSERT_FATAL(probe_packet_parse(buf, icmp4_error(buf, other, 3, 3,
	    pkt.buf, 28), &r) == 0);
	CU_ASSERT(probe_udp.match(&ctx, &r, &got));
	CU_ASSERT_EQUAL(got.port, 5001);
}

/* The quoted IP identifier (IPv4) or flow label (IPv6) is checked. */
static void
test_probe_udp_icmp_error_quoting_another_mark_is_not_ours(void)
{
	struct probe_ctx	ctx4 = fx_ctx(AF_INET);
	struct probe_ctx	ctx6 = fx_ctx(AF_INET6);
	struct probe_target	t4 = fx_target(AF_INET, 5000, 1), got;
	struct probe_target	t6 = fx_target(AF_INET6, 5000, 1);
	struct probe_packet	pkt;
	struct probe_reply	r;
	uint8_t			buf[256];
	char			*cause = NULL;

	CU_ASSERT_FATAL(probe_udp.make(&ctx4, &t4, &pkt, &cause) == 0);
	CU_ASSERT_FATAL(probe_packet_parse(buf, icmp4_error(buf, fx_dst4, 3, 3,
	    pkt.buf, 28), &r) == 0);
	CU_ASSERT(probe_udp.match(&ctx4, &r, &got));
	pkt.buf[5] ^= 0x40;
	CU_ASSERT_FATAL(probe_packet_parse(buf, icmp4_error(buf, fx_dst4, 3, 3,
	    pkt.buf, 28), &r) == 0);
	CU_ASSERT_FALSE(probe_udp.match(&ctx4, &r, &got));

	CU_ASSERT_FATAL(probe_udp.make(&ctx6, &t6, &pkt, &cause) == 0);
	CU_ASSERT_FATAL(probe_packet_parse(buf, icmp6_error(buf, 1, 4, &pkt),
	    &r) == 0);
	CU_ASSERT(probe_udp.match(&ctx6, &r, &got));
	pkt.buf[1] ^= 0x08;		/* the flow label's top bit */
	CU_ASSERT_FATAL(probe_packet_parse(buf, icmp6_error(buf, 1, 4, &pkt),
	    &r) == 0);
	CU_ASSERT_FALSE(probe_udp.match(&ctx6, &r, &got));
}

/*
 * An ICMP error about our probe from a third address: a router on the
 * path may say the host or net is unreachable, prohibited, or the TTL
 * ran out, but only the destination can say its port or protocol is
 * unreachable. A router's error does not make the host up, and the
 * reply keeps the router's address.
 */
static void
test_probe_udp_icmp_error_from_off_the_path_is_refused(void)
{
	static const uint8_t	third[4] = { 198, 18, 0, 77 };
	static const struct {
		uint8_t	type;
		uint8_t	code;
		int	taken;
		uint8_t	state;
	} cases[] = {
		{ 3, 3, 0, 0 },
		{ 3, 2, 0, 0 },
		{ 3, 4, 0, 0 },
		{ 3, 0, 1, EVENT_PORT_FILTERED },
		{ 3, 1, 1, EVENT_PORT_FILTERED },
		{ 3, 13, 1, EVENT_PORT_FILTERED },
		{ 11, 0, 1, EVENT_PORT_FILTERED },
	};
	struct probe_ctx	ctx = fx_ctx(AF_INET);
	struct probe_target	t = fx_target(AF_INET, 5000, 0), got;
	struct probe_packet	pkt;
	struct probe_reply	r;
	struct probe_verdict	v;
	uint8_t			buf[256];
	char			*cause = NULL;
	size_t			i;
	int			rc;

	CU_ASSERT_FATAL(probe_udp.make(&ctx, &t, &pkt, &cause) == 0);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		rc = probe_packet_parse(buf, icmp4_error(buf, third,
		    cases[i].type, cases[i].code, pkt.buf, 28), &r);
		if (!cases[i].taken) {
			CU_ASSERT(rc == -1 || !probe_udp.match(&ctx, &r, &got));
			continue;
		}
		CU_ASSERT_FATAL(rc == 0);
		CU_ASSERT_FATAL(probe_udp.match(&ctx, &r, &got));
		CU_ASSERT(memcmp(r.from.addr, third, 4) == 0);
		probe_udp.classify(&r, &v);
		CU_ASSERT_EQUAL(v.port_state, cases[i].state);
		CU_ASSERT_FALSE(v.host_up);
	}
	/* Port unreachable from the destination itself: closed. */
	CU_ASSERT_FATAL(probe_packet_parse(buf, icmp4_error(buf, fx_dst4, 3, 3,
	    pkt.buf, 28), &r) == 0);
	CU_ASSERT_FATAL(probe_udp.match(&ctx, &r, &got));
	probe_udp.classify(&r, &v);
	CU_ASSERT_EQUAL(v.port_state, EVENT_PORT_CLOSED);
	CU_ASSERT(v.host_up);
}

/* An ICMPv4 echo reply from the address from: the 8 bytes icmp. */
static size_t
echo_reply(uint8_t *buf, const uint8_t *from, const uint8_t *icmp)
{
	memset(buf, 0, 20);
	buf[0] = 0x45;
	buf[3] = 28;
	buf[9] = IPPROTO_ICMP;
	memcpy(buf + 12, from, 4);
	memcpy(buf + 16, fx_src4, 4);
	memcpy(buf + 20, icmp, 8);
	return (28);
}

/*
 * An echo reply must carry 32 bits of cookie: a host that saw a request
 * to itself, trying every identifier with the sequence it saw, cannot
 * answer for another.
 */
static void
test_probe_icmp_echo_reply_needs_all_32_bits(void)
{
	static const uint8_t	other[4] = { 198, 19, 0, 11 };
	struct probe_ctx	ctx = fx_ctx(AF_INET);
	struct probe_target	t = fx_target(AF_INET, 0, 0), got;
	struct probe_packet	pkt;
	struct probe_reply	r;
	uint8_t			buf[64], icmp[8];
	char			*cause = NULL;
	unsigned		id, matched = 0;

	CU_ASSERT_FATAL(probe_icmp_echo.make(&ctx, &t, &pkt, &cause) == 0);
	memcpy(icmp, pkt.buf + 20, 8);
	icmp[0] = 0;
	for (id = 0; id < 65536; id++) {
		icmp[4] = (uint8_t)(id >> 8);
		icmp[5] = (uint8_t)id;
		if (probe_packet_parse(buf, echo_reply(buf, other, icmp),
		    &r) == 0 && probe_icmp_echo.match(&ctx, &r, &got))
			matched++;
	}
	CU_ASSERT_EQUAL(matched, 0);
	/* The other host's reply to its own request matches. */
	memcpy(t.dst.addr, other, 4);
	CU_ASSERT_FATAL(probe_icmp_echo.make(&ctx, &t, &pkt, &cause) == 0);
	memcpy(icmp, pkt.buf + 20, 8);
	icmp[0] = 0;
	CU_ASSERT_FATAL(probe_packet_parse(buf, echo_reply(buf, other, icmp),
	    &r) == 0);
	CU_ASSERT(probe_icmp_echo.match(&ctx, &r, &got));
}

/*
 * -g: every try goes from the fixed port with the payload, checksum and
 * flow label keyed by the try; an ICMP error is ours when its quote is
 * one try's datagram and mark (and says which), and a datagram back to
 * the fixed port from the probed port counts as the first try's.
 */
static void
test_probe_udp_fixed_source_port_keys_the_payload_by_try(void)
{
	struct probe_ctx	ctx = fx_ctx(AF_INET6);
	struct probe_target	t = fx_target(AF_INET6, 161, 1), got;
	struct probe_packet	pkt, pkt0;
	struct probe_reply	r;
	uint8_t			buf[256];
	uint8_t			udp[12] = { 0, 161, 0, 53, 0, 12 };
	char			*cause = NULL;

	ctx.sport_fixed = 53;
	CU_ASSERT_FATAL(probe_udp.make(&ctx, &t, &pkt, &cause) == 0);
	t.try = 0;
	CU_ASSERT_FATAL(probe_udp.make(&ctx, &t, &pkt0, &cause) == 0);
	CU_ASSERT_EQUAL(probe_get16(pkt.buf + 40), 53);
	CU_ASSERT_EQUAL(probe_get16(pkt0.buf + 40), 53);
	CU_ASSERT(memcmp(pkt.buf + 46, pkt0.buf + 46, 2) != 0);
	CU_ASSERT(l4_sum_ok(&pkt, 40, fx_src6, fx_dst6, 16, IPPROTO_UDP));
	CU_ASSERT_FATAL(probe_packet_parse(buf, icmp6_error(buf, 1, 4, &pkt),
	    &r) == 0);
	CU_ASSERT_FATAL(probe_udp.match(&ctx, &r, &got));
	CU_ASSERT_EQUAL(got.port, 161);
	CU_ASSERT_EQUAL(got.try, 1);
	CU_ASSERT_FATAL(probe_packet_parse(buf, icmp6_error(buf, 1, 4, &pkt0),
	    &r) == 0);
	CU_ASSERT_FATAL(probe_udp.match(&ctx, &r, &got));
	CU_ASSERT_EQUAL(got.try, 0);
	/* Another flow label, or another checksum: not ours. */
	pkt.buf[3] ^= 0x01;
	CU_ASSERT_FATAL(probe_packet_parse(buf, icmp6_error(buf, 1, 4, &pkt),
	    &r) == 0);
	CU_ASSERT_FALSE(probe_udp.match(&ctx, &r, &got));
	pkt.buf[3] ^= 0x01;
	pkt.buf[47] ^= 0x01;
	CU_ASSERT_FATAL(probe_packet_parse(buf, icmp6_error(buf, 1, 4, &pkt),
	    &r) == 0);
	CU_ASSERT_FALSE(probe_udp.match(&ctx, &r, &got));
	/* A datagram from the port to ours, and to another port. */
	CU_ASSERT_FATAL(probe_packet_parse(buf, ip6_make(buf, fx_dst6, fx_src6,
	    IPPROTO_UDP, udp, sizeof udp), &r) == 0);
	CU_ASSERT_FATAL(probe_udp.match(&ctx, &r, &got));
	CU_ASSERT_EQUAL(got.port, 161);
	CU_ASSERT_EQUAL(got.try, 0);
	udp[3] = 54;
	CU_ASSERT_FATAL(probe_packet_parse(buf, ip6_make(buf, fx_dst6, fx_src6,
	    IPPROTO_UDP, udp, sizeof udp), &r) == 0);
	CU_ASSERT_FALSE(probe_udp.match(&ctx, &r, &got));
}

static const struct unit_test tests[] = {
	TEST(test_probe_udp_dns_request_is_a_root_ns_query),
	TEST(test_probe_udp_snmp_request_lengths_add_up),
	TEST(test_probe_udp_other_ports_get_the_cookie_alone),
	TEST(test_probe_udp_ipv6_datagram_has_valid_checksum),
	TEST(test_probe_tcp_syn_ipv6_segment_has_valid_checksum),
	TEST(test_probe_udp_reply_datagram_means_open),
	TEST(test_probe_udp_icmp6_port_unreachable_means_closed),
	TEST(test_probe_udp_icmp_error_quoting_another_datagram_is_not_ours),
	TEST(test_probe_packet_parse6_refuses_a_lying_length),
	TEST(test_probe_icmp_echo_ipv6_reply_matches),
	TEST(test_probe_udp_icmp_error_forged_from_public_values_never_matches),
	TEST(test_probe_udp_icmp_error_quoting_another_mark_is_not_ours),
	TEST(test_probe_udp_icmp_error_from_off_the_path_is_refused),
	TEST(test_probe_icmp_echo_reply_needs_all_32_bits),
	TEST(test_probe_udp_fixed_source_port_keys_the_payload_by_try),
	TEST_END
};

UNIT_MAIN("probe-udp", tests)
