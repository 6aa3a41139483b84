/*
 * IPv4 for the probes: the 20-byte header, and the IPv4 layer of the
 * replies: the header, ICMP messages (echo and timestamp replies, and
 * errors with the header of the probe they quote) and ARP replies. A
 * leaf under probe-packet.c, which dispatches by version and parses the
 * TCP or UDP header left over. Every length is checked before a byte is
 * read, and anything odd is refused: a fragment, a header shorter than
 * 20 bytes or longer than the packet, a total length beyond what was
 * captured.
 */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "probe.h"

static int	parse4_quoted(const uint8_t *, size_t, struct probe_reply *);
static int	parse4_icmp(const uint8_t *, size_t, struct probe_reply *);

void
probe_packet_addr4(struct target_addr *a, const uint8_t *p)
{
	memset(a, 0, sizeof *a);
	a->family = AF_INET;
	memcpy(a->addr, p, 4);
}

/*
 * Write a 20-byte IPv4 header for a packet of payload bytes into buf,
 * with its checksum, mark as its identifier and ttl. Return 20, or 0 if
 * buf is too small.
 */
size_t
probe_packet_ip4(uint8_t *buf, size_t size, const struct target_addr *src,
    const struct target_addr *dst, uint8_t proto, uint16_t payload,
    uint32_t mark, uint8_t ttl)
{
	uint16_t	total = (uint16_t)(20 + payload), ck;

	if (size < 20 || size < total)
		return (0);
	memset(buf, 0, 20);
	buf[0] = 0x45;
	buf[2] = (uint8_t)(total >> 8);
	buf[3] = (uint8_t)total;
	buf[4] = (uint8_t)(mark >> 8);
	buf[5] = (uint8_t)mark;
	buf[6] = 0x40;			/* don't fragment */
	buf[8] = ttl;
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
parse4_quoted(const uint8_t *p, size_t len, struct probe_reply *r)
{
	size_t	hl;

	if (len < 20 || (p[0] >> 4) != 4)
		return (-1);
	hl = (size_t)(p[0] & 0xf) * 4;
	if (hl < 20 || len < hl + 8)
		return (-1);
	r->q_proto = p[9];
	r->q_mark = probe_get16(p + 4);
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

/* An ICMP message we could have caused. */
static int
parse4_icmp(const uint8_t *p, size_t len, struct probe_reply *r)
{
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
		return (parse4_quoted(p + 8, len - 8, r));
	}
	return (-1);
}

int
probe_packet_parse4(const uint8_t *p, size_t len, struct probe_reply *r,
    struct probe_payload *pl)
{
	size_t	hl, total;

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
	if (p[9] == IPPROTO_ICMP)
		return (parse4_icmp(p + hl, total - hl, r));
	pl->proto = p[9];
	pl->p = p + hl;
	pl->len = total - hl;
	return (1);
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
