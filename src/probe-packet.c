/*
 * Packet helpers for the probes: the keyed bits (SipHash-2-4) that tie a
 * reply to a probe we sent, the IP header and pseudo-header sum of either
 * family, and the parser of what comes back. The parser hands a packet
 * to its family's leaf by version (probe-packet4.c, probe-packet6.c: the
 * IP layer and ICMP), then parses the TCP or UDP header the leaf leaves
 * over here, for both families. It trusts nothing: every length is
 * checked before a byte is read, and anything odd is refused (a TCP data
 * offset under 5 or past the segment, a UDP length that is not the
 * datagram's, an ICMP error from where it could not come).
 *
 * A scanned host is untrusted, and sees the probes sent to it: whatever
 * it learns there must not let it answer for another host or port. So
 * every field a reply or an ICMP error's quote carries back holds keyed
 * bits of the probe's own (destination, port, try): the source port, the
 * IPv4 identifier or IPv6 flow label (the mark), and the cookie (a SYN's
 * sequence number, an echo's identifier and sequence, a UDP payload).
 * With a fixed source port (-g) the port holds nothing, and the cookie
 * and mark are keyed by the try instead: a reply's try is the one whose
 * cookie it carries.
 *
 * Checksums of replies are not verified, as Nmap does not: the kernel
 * leaves them unfilled on loopback and veth links (checksum offload), so
 * a capture there would refuse every good reply; the cookie already ties
 * a reply to its probe, and a segment damaged on the way is dropped by
 * the kernel before it could answer anything else.
 */
#include <endian.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "probe.h"

static uint64_t	keyed(const struct probe_ctx *, const struct target_addr *,
		    uint16_t, uint16_t);
static uint16_t	sport_offset(const struct probe_ctx *,
		    const struct target_addr *, uint16_t);
static bool	error_on_path(const struct probe_reply *);
static int	parse_tcp(const uint8_t *, size_t, struct probe_reply *);
static int	parse_udp(const uint8_t *, size_t, struct probe_reply *);

/* Source ports: 1024-65535, none of the privileged ones. */
#define SPORT_MIN	1024
#define SPORT_SPAN	(65536 - SPORT_MIN)

/*
 * ICMP unreachable codes (RFC 792, RFC 1812) a router on the path may
 * send about a packet it could not deliver. The others say something
 * only the destination knows (2 protocol and 3 port unreachable), or
 * cannot concern a probe (4: no probe needs fragmenting).
 */
static const bool probe_packet_router_unreach[16] = {
	[0] = true,	/* net unreachable */
	[1] = true,	/* host unreachable */
	[5] = true,	/* source route failed */
	[6] = true,	/* destination network unknown */
	[7] = true,	/* destination host unknown */
	[9] = true,	/* network administratively prohibited */
	[10] = true,	/* host administratively prohibited */
	[11] = true,	/* network unreachable for the TOS */
	[12] = true,	/* host unreachable for the TOS */
	[13] = true,	/* communication administratively prohibited */
	[14] = true,	/* host precedence violation */
	[15] = true,	/* precedence cutoff in effect */
};

/* The IP layer of each version. */
static const struct {
	uint8_t	 version;
	int	(*parse)(const uint8_t *, size_t, struct probe_reply *,
		    struct probe_payload *);
} probe_packet_families[] = {
	{ 4, probe_packet_parse4 },
	{ 6, probe_packet_parse6 },
};

/* The transport headers either family leaves over. */
static const struct {
	uint8_t	 proto;
	int	(*parse)(const uint8_t *, size_t, struct probe_reply *);
} probe_packet_transports[] = {
	{ IPPROTO_TCP, parse_tcp },
	{ IPPROTO_UDP, parse_udp },
};

#define ROTL(x, b)	(uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

/*
 * SipHash-2-4 (Aumasson and Bernstein), a keyed 64-bit hash: whole
 * words read at once, the rounds written out, as it runs a few times a
 * probe.
 */
uint64_t
probe_packet_siphash(const uint64_t *k, const void *buf, size_t len)
{
	const uint8_t	*in = buf;
	uint64_t	v0, v1, v2, v3, m, b;
	size_t		i, j, blocks = len / 8;

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
			memcpy(&m, in + i * 8, sizeof m);
			m = le64toh(m);
		}
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
#undef SIPROUND
	return (v0 ^ v1 ^ v2 ^ v3);
}

/*
 * The bytes keyed for dst:dport into in: its address in its family's
 * length (4 or 16 bytes) and the port. The length, which SipHash
 * hashes, tells the families apart: an IPv4 address fits the hash's
 * one-block inputs, so its probes cost fewer rounds.
 */
static size_t
keyed_input(uint8_t *in, const struct target_addr *dst, uint16_t dport)
{
	size_t	n = dst->family == AF_INET6 ? 16 : 4;

	memcpy(in, dst->addr, n);
	in[n] = (uint8_t)(dport >> 8);
	in[n + 1] = (uint8_t)dport;
	return (n + 2);
}

/* The keyed hash of a probe to dst:dport from sport. */
static uint64_t
keyed(const struct probe_ctx *ctx, const struct target_addr *dst,
    uint16_t dport, uint16_t sport)
{
	uint8_t		in[20];
	size_t		n = keyed_input(in, dst, dport);

	in[n] = (uint8_t)(sport >> 8);
	in[n + 1] = (uint8_t)sport;
	return (probe_packet_siphash(ctx->secret, in, n + 2));
}

/*
 * The cookie and mark of a probe to dst:dport from sport, from one
 * keyed hash: its low 32 bits the cookie, the sequence number of a SYN,
 * the identifier and sequence of an echo request (sport: the try), the
 * request identifier of a UDP payload, so that only someone who saw the
 * probe can answer it; its high bits the mark, independent of the
 * cookie, for the IP header, which an ICMP error quotes whole: the bits
 * dst's family keeps, 16 of the IPv4 identifier (never 0, which the
 * kernel would replace) or 20 of the IPv6 flow label.
 */
void
probe_packet_keys(const struct probe_ctx *ctx, const struct target_addr *dst,
    uint16_t dport, uint16_t sport, uint32_t *cookie, uint32_t *mark)
{
	uint64_t	h = keyed(ctx, dst, dport, sport);

	*cookie = (uint32_t)h;
	*mark = (uint32_t)(h >> 32);
	if (dst->family == AF_INET6)
		*mark &= 0xfffff;
	else if ((*mark &= 0xffff) == 0)
		*mark = 1;
}

/* The cookie alone (probe_packet_keys()). */
uint32_t
probe_packet_cookie(const struct probe_ctx *ctx, const struct target_addr *dst,
    uint16_t dport, uint16_t sport)
{
	return ((uint32_t)keyed(ctx, dst, dport, sport));
}

/* The mark alone (probe_packet_keys()). */
uint32_t
probe_packet_mark(const struct probe_ctx *ctx, const struct target_addr *dst,
    uint16_t dport, uint16_t sport)
{
	uint32_t	cookie, mark;

	probe_packet_keys(ctx, dst, dport, sport, &cookie, &mark);
	return (mark);
}

/*
 * Where the source ports of the probes to dst:dport start: keyed, so
 * that the port a host sees tells nothing of another's. The 6 or 18
 * bytes hashed are no cookie's 8 or 20.
 */
static uint16_t
sport_offset(const struct probe_ctx *ctx, const struct target_addr *dst,
    uint16_t dport)
{
	uint8_t		in[18];
	size_t		n = keyed_input(in, dst, dport);

	return ((uint16_t)((probe_packet_siphash(ctx->secret, in, n) +
	    ctx->sport_base) % SPORT_SPAN));
}

/* The source port of the try-th probe to dst:dport: -g's, or keyed. */
uint16_t
probe_packet_sport(const struct probe_ctx *ctx, const struct target_addr *dst,
    uint16_t dport, uint8_t try)
{
	if (ctx->sport_fixed != 0)
		return (ctx->sport_fixed);
	return ((uint16_t)(SPORT_MIN + (sport_offset(ctx, dst, dport) + try) %
	    SPORT_SPAN));
}

/*
 * The source port of probe t: from the port of its first try when the
 * caller kept it (t->sport0), else keyed; pkt->sport0 keeps it for the
 * next tries, so that the keyed offset is hashed once a pair.
 */
uint16_t
probe_packet_sport_of(const struct probe_ctx *ctx,
    const struct probe_target *t, struct probe_packet *pkt)
{
	uint16_t	first = t->sport0;

	pkt->sport0 = 0;
	if (ctx->sport_fixed != 0)
		return (ctx->sport_fixed);
	if (first < SPORT_MIN)
		first = probe_packet_sport(ctx, &t->dst, t->port, 0);
	pkt->sport0 = first;
	return ((uint16_t)(SPORT_MIN + (first - SPORT_MIN + t->try) %
	    SPORT_SPAN));
}

/*
 * What keys the cookie and mark of a try from sport, beside destination
 * and port: the source port, which names the try; with a fixed one, the
 * try itself (0-15, below every keyed port).
 */
uint16_t
probe_packet_key(const struct probe_ctx *ctx, uint16_t sport, uint8_t try)
{
	return (ctx->sport_fixed != 0 ? try : sport);
}

/*
 * Could sport be the source port of a try of ours to dst:dport? The
 * tries it could be, [*lo, *hi): the one a keyed port names, or every
 * try from the fixed port, for the cookie to tell.
 */
bool
probe_packet_sport_tries(const struct probe_ctx *ctx,
    const struct target_addr *dst, uint16_t dport, uint16_t sport,
    uint8_t *lo, uint8_t *hi)
{
	uint32_t	off;

	if (ctx->sport_fixed != 0) {
		*lo = 0;
		*hi = PROBE_TRIES_MAX;
		return (sport == ctx->sport_fixed);
	}
	if (sport < SPORT_MIN)
		return (false);
	off = ((uint32_t)sport - SPORT_MIN + SPORT_SPAN -
	    sport_offset(ctx, dst, dport)) % SPORT_SPAN;
	if (off >= PROBE_TRIES_MAX)
		return (false);
	*lo = (uint8_t)off;
	*hi = (uint8_t)(off + 1);
	return (true);
}

/* The IP header of dst's family, from ctx's address with its TTL. */
size_t
probe_packet_ip(uint8_t *buf, size_t size, const struct probe_ctx *ctx,
    const struct target_addr *dst, uint8_t proto, uint16_t payload,
    uint32_t mark)
{
	uint8_t	ttl = ctx->ttl != 0 ? ctx->ttl : PROBE_TTL;

	if (dst->family == AF_INET6)
		return (probe_packet_ip6(buf, size, &ctx->src, dst, proto,
		    payload, mark, ttl));
	return (probe_packet_ip4(buf, size, &ctx->src, dst, proto, payload,
	    mark, ttl));
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

/* A TCP header: 20 bytes at least, and no longer than the segment. */
static int
parse_tcp(const uint8_t *p, size_t len, struct probe_reply *r)
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
static int
parse_udp(const uint8_t *p, size_t len, struct probe_reply *r)
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
 * Could the ICMP error r come from where it does? From the destination
 * of the packet it quotes, anything; from another address (a router on
 * the path, we cannot tell which), only time exceeded and the
 * unreachable codes a router sends. So a host cannot say that another's
 * port is closed, even quoting a probe it saw.
 */
static bool
error_on_path(const struct probe_reply *r)
{
	if (memcmp(&r->from, &r->q_dst, sizeof r->from) == 0)
		return (true);
	if (r->icmp_type == 11)
		return (true);
	return (r->icmp_type == 3 && r->icmp_code <
	    sizeof probe_packet_router_unreach &&
	    probe_packet_router_unreach[r->icmp_code]);
}

/*
 * Parse an IPv4 or IPv6 packet (no link header) into r. Return -1 for
 * anything that is not a TCP segment, a UDP datagram or an ICMP message
 * we could have caused.
 */
int
probe_packet_parse(const uint8_t *p, size_t len, struct probe_reply *r)
{
	struct probe_payload	pl;
	size_t			i;
	int			rc = -1;

	memset(r, 0, sizeof *r);
	if (len == 0)
		return (-1);
	for (i = 0; i < sizeof probe_packet_families /
	    sizeof probe_packet_families[0]; i++) {
		if (probe_packet_families[i].version == p[0] >> 4)
			rc = probe_packet_families[i].parse(p, len, r, &pl);
	}
	if (rc == 0 && r->type == PROBE_REPLY_ICMP_ERROR &&
	    !error_on_path(r))
		return (-1);
	if (rc != 1)
		return (rc);
	for (i = 0; i < sizeof probe_packet_transports /
	    sizeof probe_packet_transports[0]; i++) {
		if (probe_packet_transports[i].proto == pl.proto)
			return (probe_packet_transports[i].parse(pl.p, pl.len,
			    r));
	}
	return (-1);
}
