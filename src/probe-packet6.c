/*
 * IPv6 for the probes: the 40-byte header, the pseudo-header sum that
 * TCP, UDP and ICMPv6 checksums start from (in either family), and a
 * parser for IPv6 replies. So that one table of reasons serves both
 * families, the parser gives ICMPv6 messages to the probes in ICMPv4's
 * numbers: echo reply 0, destination unreachable 3 with the code of the
 * same meaning, time exceeded 11. A Neighbor Advertisement is read only
 * as RFC 4861 has it sent: hop limit 255, code 0. Extension headers are
 * not followed: a reply to a probe has none.
 */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "probe.h"

#define IP6_HDR		40
#define ICMP6_UNREACH	1
#define ICMP6_TIMEX	3
#define ICMP6_ECHOREPLY	129
#define ICMP6_ND_ADVERT	136

static int	parse6_quoted(const uint8_t *, size_t, struct probe_reply *);

/* ICMPv6 destination unreachable codes, as ICMPv4 codes (RFC 4443). */
static const uint8_t icmp6_unreach_codes[] = {
	[0] = 0,	/* no route: net unreachable */
	[1] = 13,	/* administratively prohibited */
	[2] = 1,	/* beyond the source's scope: host unreachable */
	[3] = 1,	/* address unreachable: host unreachable */
	[4] = 3,	/* port unreachable */
	[5] = 13,	/* source address failed policy */
	[6] = 13,	/* reject route */
};

void
probe_packet_addr6(struct target_addr *a, const uint8_t *p)
{
	memset(a, 0, sizeof *a);
	a->family = AF_INET6;
	memcpy(a->addr, p, 16);
}

/*
 * Write a 40-byte IPv6 header for payload bytes of proto into buf.
 * Return 40, or 0 if buf is too small.
 */
size_t
probe_packet_ip6(uint8_t *buf, size_t size, const struct target_addr *src,
    const struct target_addr *dst, uint8_t proto, uint16_t payload)
{
	if (size < IP6_HDR || size < (size_t)IP6_HDR + payload)
		return (0);
	memset(buf, 0, IP6_HDR);
	buf[0] = 0x60;
	buf[3] = dst->addr[15];		/* a flow label that varies */
	buf[4] = (uint8_t)(payload >> 8);
	buf[5] = (uint8_t)payload;
	buf[6] = proto;
	buf[7] = 64;
	memcpy(buf + 8, src->addr, 16);
	memcpy(buf + 24, dst->addr, 16);
	return (IP6_HDR);
}

/* The IP header of dst's family. */
size_t
probe_packet_ip(uint8_t *buf, size_t size, const struct target_addr *src,
    const struct target_addr *dst, uint8_t proto, uint16_t payload)
{
	if (dst->family == AF_INET6)
		return (probe_packet_ip6(buf, size, src, dst, proto, payload));
	return (probe_packet_ip4(buf, size, src, dst, proto, payload));
}

/*
 * The pseudo-header's sum for a checksum over len bytes of proto from
 * src to dst: the same words in both families, since len < 65536.
 */
uint32_t
probe_packet_pseudo(const struct target_addr *src,
    const struct target_addr *dst, uint8_t proto, uint16_t len)
{
	size_t		n = dst->family == AF_INET6 ? 16 : 4, i;
	uint32_t	sum = (uint32_t)proto + len;

	for (i = 0; i < n; i += 2) {
		sum += probe_get16(src->addr + i);
		sum += probe_get16(dst->addr + i);
	}
	return (sum);
}

/* The IPv6 header and first 8 bytes an ICMPv6 error quotes. */
static int
parse6_quoted(const uint8_t *p, size_t len, struct probe_reply *r)
{
	if (len < IP6_HDR + 8 || (p[0] >> 4) != 6)
		return (-1);
	r->q_proto = p[6];
	probe_packet_addr6(&r->q_dst, p + 24);
	p += IP6_HDR;
	switch (r->q_proto) {
	case IPPROTO_TCP:
		r->q_sport = probe_get16(p);
		r->q_dport = probe_get16(p + 2);
		r->q_seq = probe_get32(p + 4);
		return (0);
	case IPPROTO_UDP:
		r->q_sport = probe_get16(p);
		r->q_dport = probe_get16(p + 2);
		r->q_seq = probe_get32(p + 4);	/* length and checksum */
		return (0);
	case IPPROTO_ICMPV6:
		r->q_sport = probe_get16(p + 4);	/* the identifier */
		r->q_seq = probe_get16(p + 6);
		return (0);
	}
	return (-1);
}

/*
 * Parse an IPv6 packet (no link header) into r. Return -1 for anything
 * that is not a TCP segment, a UDP datagram or an ICMPv6 message we
 * could have caused.
 */
int
probe_packet_parse6(const uint8_t *p, size_t len, struct probe_reply *r)
{
	size_t	plen;

	memset(r, 0, sizeof *r);
	if (len < IP6_HDR || (p[0] >> 4) != 6)
		return (-1);
	plen = probe_get16(p + 4);
	if (plen > len - IP6_HDR)
		return (-1);
	r->ttl = p[7];
	probe_packet_addr6(&r->from, p + 8);
	probe_packet_addr6(&r->to, p + 24);
	switch (p[6]) {
	case IPPROTO_TCP:
		return (probe_packet_parse_tcp(p + IP6_HDR, plen, r));
	case IPPROTO_UDP:
		return (probe_packet_parse_udp(p + IP6_HDR, plen, r));
	case IPPROTO_ICMPV6:
		p += IP6_HDR;
		if (plen < 8)
			return (-1);
		r->icmp_code = p[1];
		r->icmp_id = probe_get16(p + 4);
		r->icmp_seq = probe_get16(p + 6);
		switch (p[0]) {
		case ICMP6_ECHOREPLY:
			r->type = PROBE_REPLY_ICMP;
			r->icmp_type = 0;
			return (0);
		case ICMP6_UNREACH:
			if (r->icmp_code >= sizeof icmp6_unreach_codes)
				return (-1);
			r->type = PROBE_REPLY_ICMP_ERROR;
			r->icmp_type = 3;
			r->icmp_code = icmp6_unreach_codes[r->icmp_code];
			return (parse6_quoted(p + 8, plen - 8, r));
		case ICMP6_TIMEX:
			r->type = PROBE_REPLY_ICMP_ERROR;
			r->icmp_type = 11;
			return (parse6_quoted(p + 8, plen - 8, r));
		case ICMP6_ND_ADVERT:
			if (plen < 24 || r->ttl != 255 || r->icmp_code != 0)
				return (-1);
			r->type = PROBE_REPLY_ND;
			probe_packet_addr6(&r->from, p + 8);
			return (0);
		}
		return (-1);
	}
	return (-1);
}
