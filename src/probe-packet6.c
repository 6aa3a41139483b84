/*
 * IPv6 for the probes: the 40-byte header, and the IPv6 layer of the
 * replies: the header and ICMPv6 messages. A leaf under probe-packet.c,
 * which dispatches by version and parses the TCP or UDP header left
 * over. So that one table of reasons serves both families, ICMPv6
 * messages reach the probes in ICMPv4's numbers: echo reply 0,
 * destination unreachable 3 with the code of the same meaning, time
 * exceeded 11. A Neighbor Advertisement is read only as RFC 4861 has it
 * sent: hop limit 255, code 0. Extension headers are not followed: a
 * reply to a probe has none.
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
static int	parse6_icmp(const uint8_t *, size_t, struct probe_reply *);

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
 * Write a 40-byte IPv6 header for payload bytes of proto into buf, mark
 * as its flow label, hop limit ttl. Return 40, or 0 if buf is too small.
 */
size_t
probe_packet_ip6(uint8_t *buf, size_t size, const struct target_addr *src,
    const struct target_addr *dst, uint8_t proto, uint16_t payload,
    uint32_t mark, uint8_t ttl)
{
	if (size < IP6_HDR || size < (size_t)IP6_HDR + payload)
		return (0);
	memset(buf, 0, IP6_HDR);
	buf[0] = 0x60;
	buf[1] = (uint8_t)((mark >> 16) & 0x0f);
	buf[2] = (uint8_t)(mark >> 8);
	buf[3] = (uint8_t)mark;
	buf[4] = (uint8_t)(payload >> 8);
	buf[5] = (uint8_t)payload;
	buf[6] = proto;
	buf[7] = ttl;
	memcpy(buf + 8, src->addr, 16);
	memcpy(buf + 24, dst->addr, 16);
	return (IP6_HDR);
}

/* The IPv6 header and first 8 bytes an ICMPv6 error quotes. */
static int
parse6_quoted(const uint8_t *p, size_t len, struct probe_reply *r)
{
	if (len < IP6_HDR + 8 || (p[0] >> 4) != 6)
		return (-1);
	r->q_proto = p[6];
	r->q_mark = probe_get32(p) & 0xfffff;
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

/* An ICMPv6 message we could have caused, in ICMPv4's numbers. */
static int
parse6_icmp(const uint8_t *p, size_t len, struct probe_reply *r)
{
	if (len < 8)
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
		return (parse6_quoted(p + 8, len - 8, r));
	case ICMP6_TIMEX:
		r->type = PROBE_REPLY_ICMP_ERROR;
		r->icmp_type = 11;
		return (parse6_quoted(p + 8, len - 8, r));
	case ICMP6_ND_ADVERT:
		if (len < 24 || r->ttl != 255 || r->icmp_code != 0)
			return (-1);
		r->type = PROBE_REPLY_ND;
		probe_packet_addr6(&r->from, p + 8);
		return (0);
	}
	return (-1);
}

int
probe_packet_parse6(const uint8_t *p, size_t len, struct probe_reply *r,
    struct probe_payload *pl)
{
	size_t	plen;

	if (len < IP6_HDR || (p[0] >> 4) != 6)
		return (-1);
	plen = probe_get16(p + 4);
	if (plen > len - IP6_HDR)
		return (-1);
	r->ttl = p[7];
	probe_packet_addr6(&r->from, p + 8);
	probe_packet_addr6(&r->to, p + 24);
	if (p[6] == IPPROTO_ICMPV6)
		return (parse6_icmp(p + IP6_HDR, plen, r));
	pl->proto = p[6];
	pl->p = p + IP6_HDR;
	pl->len = plen;
	return (1);
}
