/*
 * Packet helpers for the probes: the Internet checksum, the keyed cookie
 * (SipHash-2-4) that ties a reply to a probe we sent, the IPv4 header,
 * a parser for what comes back, and the registry of every probe. The
 * parser trusts nothing: every length is checked before a byte is read,
 * and anything odd is refused (a fragment, an IPv4 header shorter than
 * 20 bytes or longer than the packet, a total length beyond what was
 * captured, a TCP data offset under 5 or past the segment, a UDP length
 * that is not the datagram's).
 *
 * Checksums of replies are not verified, as Nmap does not: the kernel
 * leaves them unfilled on loopback and veth links (checksum offload), so
 * a capture there would refuse every good reply; the cookie already ties
 * a reply to its probe, and a segment damaged on the way is dropped by
 * the kernel before it could answer anything else.
 */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "probe.h"

static int	parse_quoted(const uint8_t *, size_t, struct probe_reply *);

const struct probe_ops *const probe_registry[] = {
	&probe_tcp_syn,
	&probe_tcp_ack,
	&probe_tcp_connect,
	&probe_icmp_echo,
	&probe_icmp_tstamp,
	&probe_arp,
	&probe_nd,
	&probe_udp,
	NULL
};

#define ROTL(x, b)	(uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

const struct probe_ops *
probe_find(const char *name)
{
	const struct probe_ops *const	*p;

	for (p = probe_registry; *p != NULL; p++)
		if (strcmp((*p)->name, name) == 0)
			return (*p);
	return (NULL);
}

/* SipHash-2-4 (Aumasson and Bernstein), a keyed 64-bit hash. */
uint64_t
probe_packet_siphash(const uint64_t *k, const void *buf, size_t len)
{
	const uint8_t	*in = buf;
	uint64_t	v0, v1, v2, v3, m, b;
	size_t		i, j, blocks = len / 8;
	int		r;

	v0 = k[0] ^ 0x736f6d6570736575ULL;
	v1 = k[1] ^ 0x646f72616e646f6dULL;
	v2 = k[0] ^ 0x6c7967656e657261ULL;
	v3 = k[1] ^ 0x7465646279746573ULL;
	b = (uint64_t)len << 56;
#define SIPROUND do {							\
	v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);	\
	v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;				\
	v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;				\
	v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);	\
} while (0)
	for (i = 0; i <= blocks; i++) {
		if (i == blocks) {
			m = b;
			for (j = 0; j < len % 8; j++)
				m |= (uint64_t)in[i * 8 + j] << (8 * j);
		} else {
			m = 0;
			for (j = 0; j < 8; j++)
				m |= (uint64_t)in[i * 8 + j] << (8 * j);
		}
		v3 ^= m;
		for (r = 0; r < 2; r++)
			SIPROUND;
		v0 ^= m;
	}
	v2 ^= 0xff;
	for (r = 0; r < 4; r++)
		SIPROUND;
#undef SIPROUND
	return (v0 ^ v1 ^ v2 ^ v3);
}

/* The ones' complement sum of buf, added to sum, folded and inverted. */
uint16_t
probe_packet_cksum(uint32_t sum, const void *buf, size_t len)
{
	const uint8_t	*p = buf;

	while (len > 1) {
		sum += probe_get16(p);
		p += 2;
		len -= 2;
	}
	if (len == 1)
		sum += (uint32_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ((uint16_t)~sum);
}

/*
 * The cookie of a probe to dst:dport from sport: the sequence number of
 * a SYN, the identifier and sequence of an echo request. Only someone who
 * saw the probe can answer it.
 */
uint32_t
probe_packet_cookie(const struct probe_ctx *ctx, const struct target_addr *dst,
    uint16_t dport, uint16_t sport)
{
	uint8_t		in[21];

	in[0] = dst->family;
	memcpy(in + 1, dst->addr, 16);
	in[17] = (uint8_t)(dport >> 8);
	in[18] = (uint8_t)dport;
	in[19] = (uint8_t)(sport >> 8);
	in[20] = (uint8_t)sport;
	return ((uint32_t)probe_packet_siphash(ctx->secret, in, sizeof in));
}

void
probe_packet_addr4(struct target_addr *a, const uint8_t *p)
{
	memset(a, 0, sizeof *a);
	a->family = AF_INET;
	memcpy(a->addr, p, 4);
}

/*
 * Write a 20-byte IPv4 header for a packet of payload bytes into buf,
 * with its checksum. Return 20, or 0 if buf is too small.
 */
size_t
probe_packet_ip4(uint8_t *buf, size_t size, const struct target_addr *src,
    const struct target_addr *dst, uint8_t proto, uint16_t payload)
{
	uint16_t	total = (uint16_t)(20 + payload), ck;

	if (size < 20 || size < total)
		return (0);
	memset(buf, 0, 20);
	buf[0] = 0x45;
	buf[2] = (uint8_t)(total >> 8);
	buf[3] = (uint8_t)total;
	buf[4] = dst->addr[3];		/* an identifier that varies */
	buf[5] = dst->addr[2];
	buf[6] = 0x40;			/* don't fragment */
	buf[8] = 64;
	buf[9] = proto;
	memcpy(buf + 12, src->addr, 4);
	memcpy(buf + 16, dst->addr, 4);
	ck = probe_packet_cksum(0, buf, 20);
	buf[10] = (uint8_t)(ck >> 8);
	buf[11] = (uint8_t)ck;
	return (20);
}

/* The IP header and first 8 bytes an ICMP error quotes. */
static int
parse_quoted(const uint8_t *p, size_t len, struct probe_reply *r)
{
	size_t	hl;

	if (len < 20 || (p[0] >> 4) != 4)
		return (-1);
	hl = (size_t)(p[0] & 0xf) * 4;
	if (hl < 20 || len < hl + 8)
		return (-1);
	r->q_proto = p[9];
	probe_packet_addr4(&r->q_dst, p + 16);
	p += hl;
	switch (r->q_proto) {
	case IPPROTO_TCP:
		r->q_sport = probe_get16(p);
		r->q_dport = probe_get16(p + 2);
		r->q_seq = probe_get32(p + 4);
		break;
	case IPPROTO_ICMP:
		r->q_sport = probe_get16(p + 4);	/* the identifier */
		r->q_seq = probe_get16(p + 6);
		break;
	case IPPROTO_UDP:
		r->q_sport = probe_get16(p);
		r->q_dport = probe_get16(p + 2);
		r->q_seq = probe_get32(p + 4);	/* length and checksum */
		break;
	default:
		return (-1);
	}
	return (0);
}

/* A TCP header: 20 bytes at least, and no longer than the segment. */
int
probe_packet_parse_tcp(const uint8_t *p, size_t len, struct probe_reply *r)
{
	size_t	off;

	if (len < 20)
		return (-1);
	off = (size_t)(p[12] >> 4) * 4;
	if (off < 20 || off > len)
		return (-1);
	r->type = PROBE_REPLY_TCP;
	r->sport = probe_get16(p);
	r->dport = probe_get16(p + 2);
	r->seq = probe_get32(p + 4);
	r->ack = probe_get32(p + 8);
	r->flags = p[13];
	return (0);
}

/* A UDP header whose length is the datagram's (at most len bytes). */
int
probe_packet_parse_udp(const uint8_t *p, size_t len, struct probe_reply *r)
{
	size_t	ulen;

	if (len < 8)
		return (-1);
	ulen = probe_get16(p + 4);
	if (ulen < 8 || ulen > len)
		return (-1);
	r->type = PROBE_REPLY_UDP;
	r->sport = probe_get16(p);
	r->dport = probe_get16(p + 2);
	return (0);
}

/*
 * Parse an IPv4 packet (no link header) into r, or an IPv6 one with
 * probe_packet_parse6(). Return -1 for anything that is not a TCP
 * segment, a UDP datagram or an ICMP message we could have caused.
 */
int
probe_packet_parse(const uint8_t *p, size_t len, struct probe_reply *r)
{
	size_t	hl, total;

	if (len > 0 && (p[0] >> 4) == 6)
		return (probe_packet_parse6(p, len, r));
	memset(r, 0, sizeof *r);
	if (len < 20 || (p[0] >> 4) != 4)
		return (-1);
	hl = (size_t)(p[0] & 0xf) * 4;
	total = probe_get16(p + 2);
	if (hl < 20 || total < hl || total > len)
		return (-1);
	if ((probe_get16(p + 6) & 0x3fff) != 0)	/* a fragment */
		return (-1);
	r->ttl = p[8];
	probe_packet_addr4(&r->from, p + 12);
	probe_packet_addr4(&r->to, p + 16);
	len = total - hl;
	switch (p[9]) {
	case IPPROTO_TCP:
		return (probe_packet_parse_tcp(p + hl, len, r));
	case IPPROTO_UDP:
		return (probe_packet_parse_udp(p + hl, len, r));
	case IPPROTO_ICMP:
		p += hl;
		if (len < 8)
			return (-1);
		r->icmp_type = p[0];
		r->icmp_code = p[1];
		r->icmp_id = probe_get16(p + 4);
		r->icmp_seq = probe_get16(p + 6);
		switch (r->icmp_type) {
		case 0:		/* echo reply */
		case 14:	/* timestamp reply */
			r->type = PROBE_REPLY_ICMP;
			return (0);
		case 3:		/* destination unreachable */
		case 11:	/* time exceeded */
			r->type = PROBE_REPLY_ICMP_ERROR;
			return (parse_quoted(p + 8, len - 8, r));
		}
		return (-1);
	}
	return (-1);
}

/* Parse an ARP packet (after the Ethernet header): replies only. */
int
probe_packet_parse_arp(const uint8_t *p, size_t len, struct probe_reply *r)
{
	memset(r, 0, sizeof *r);
	if (len < 28 || probe_get16(p) != 1 || probe_get16(p + 2) != 0x0800 ||
	    p[4] != 6 || p[5] != 4 || probe_get16(p + 6) != 2)
		return (-1);
	r->type = PROBE_REPLY_ARP;
	memcpy(r->mac, p + 8, 6);
	probe_packet_addr4(&r->from, p + 14);
	probe_packet_addr4(&r->to, p + 24);
	return (0);
}
