/*
 * UDP probes, sent raw over IPv4 or IPv6. Most UDP services say nothing
 * to an unknown datagram, so the well-known ones get a request of their
 * own protocol (written from its RFC, in the table below); every other
 * port gets the 4 bytes of the keyed cookie. The request's identifier
 * (DNS ID, RPC XID, SNMP request-id...) holds the cookie, so that the
 * UDP checksum of every probe is keyed; so are the source port (by
 * destination, port and try, as for SYN probes) and the IP identifier
 * or flow label (the mark).
 *
 * A datagram back from the port means open; ICMP port unreachable,
 * closed; another ICMP unreachable, filtered; silence after the retries,
 * open|filtered, as Nmap reads them. An ICMP error counts only when the
 * headers it quotes (source port, mark, UDP length and checksum) are
 * those we sent for that try. A reply datagram is matched by its ports
 * alone, since a service need not echo anything of the request. With a
 * fixed source port (-g) the cookie and mark are keyed by the try, an
 * ICMP error's quote tells the try, and a datagram back counts as an
 * answer to the first try.
 */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "event.h"
#include "probe.h"
#include "xmalloc.h"

#define UDP_HDR		8

static const struct udp_payload *udp_payload(uint16_t);
static int	udp_build(const struct probe_ctx *, const struct probe_target *,
		    struct probe_packet *, size_t *);
static int	udp_make(const struct probe_ctx *, const struct probe_target *,
		    struct probe_packet *, char **);
static bool	udp_match(const struct probe_ctx *, const struct probe_reply *,
		    struct probe_target *);
static void	udp_classify(const struct probe_reply *,
		    struct probe_verdict *);

const struct probe_ops probe_udp = {
	.name = "udp",
	.kind = PROBE_RAW_IP,
	.filter = "udp or icmp[0] == 3 or icmp[0] == 11",
	.make = udp_make,
	.match = udp_match,
	.classify = udp_classify,
};

/*
 * A request for a port: its bytes, and where the cookie goes: cookie_len
 * bytes of it at cookie_off, or as many hexadecimal digits if hex.
 */
struct udp_payload {
	uint16_t	 port;
	const uint8_t	*data;
	size_t		 len;
	size_t		 cookie_off;
	size_t		 cookie_len;
	bool		 hex;
};

/* DNS (RFC 1035): ID, no flags, one question: the root's NS records. */
static const uint8_t udp_dns[] = {
	0, 0, 0x00, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
	0x00, 0x00, 0x02, 0x00, 0x01
};

/* ONC RPC (RFC 5531): a call of portmapper (100000) v2, procedure NULL. */
static const uint8_t udp_rpc[] = {
	0, 0, 0, 0,		/* XID */
	0, 0, 0, 0,		/* CALL */
	0, 0, 0, 2,		/* RPC version 2 */
	0, 1, 0x86, 0xa0,	/* program 100000 */
	0, 0, 0, 2,		/* version 2 */
	0, 0, 0, 0,		/* procedure 0 */
	0, 0, 0, 0, 0, 0, 0, 0,	/* credentials AUTH_NONE */
	0, 0, 0, 0, 0, 0, 0, 0	/* verifier AUTH_NONE */
};

/* NTP (RFC 5905): version 4, client mode; the cookie in transmit time. */
static const uint8_t udp_ntp[48] = { 0x23 };

/*
 * NetBIOS name service (RFC 1002, 4.2.17): a node status request for
 * the name "*", first-level encoded.
 */
static const uint8_t udp_netbios[] = {
	0, 0, 0x00, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
	0x20, 'C', 'K', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A',
	'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A',
	'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 0x00,
	0x00, 0x21, 0x00, 0x01
};

/*
 * SNMP (RFC 1157, RFC 3416): a version 1 GetRequest, community
 * "public", for sysDescr.0 (1.3.6.1.2.1.1.1.0).
 */
static const uint8_t udp_snmp[] = {
	0x30, 0x29,
	0x02, 0x01, 0x00,
	0x04, 0x06, 'p', 'u', 'b', 'l', 'i', 'c',
	0xa0, 0x1c,
	0x02, 0x04, 0, 0, 0, 0,
	0x02, 0x01, 0x00,
	0x02, 0x01, 0x00,
	0x30, 0x0e, 0x30, 0x0c,
	0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00,
	0x05, 0x00
};

/*
 * SSDP (UPnP Device Architecture 2.0): a search for every device; the
 * cookie in the control point's friendly name.
 */
static const char udp_ssdp[] =
	"M-SEARCH * HTTP/1.1\r\n"
	"HOST:239.255.255.250:1900\r\n"
	"MAN:\"ssdp:discover\"\r\n"
	"MX:1\r\n"
	"ST:ssdp:all\r\n"
	"CPFN.UPNP.ORG:tact-00000000\r\n"
	"\r\n";
#define UDP_SSDP_COOKIE	(sizeof udp_ssdp - 1 - 12)

/* STUN (RFC 5389): a binding request; the cookie in the transaction. */
static const uint8_t udp_stun[20] = {
	0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42
};

/*
 * Multicast DNS (RFC 6762, RFC 6763 9): a legacy unicast query for the
 * services a host announces, answered to our port.
 */
static const uint8_t udp_mdns[] = {
	0, 0, 0x00, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
	9, '_', 's', 'e', 'r', 'v', 'i', 'c', 'e', 's',
	7, '_', 'd', 'n', 's', '-', 's', 'd',
	4, '_', 'u', 'd', 'p',
	5, 'l', 'o', 'c', 'a', 'l', 0,
	0x00, 0x0c, 0x00, 0x01
};

/* Any other port: the cookie alone. */
static const uint8_t udp_any[4];

static const struct udp_payload udp_payloads[] = {
	{ 53, udp_dns, sizeof udp_dns, 0, 2, false },
	{ 111, udp_rpc, sizeof udp_rpc, 0, 4, false },
	{ 123, udp_ntp, sizeof udp_ntp, 40, 4, false },
	{ 137, udp_netbios, sizeof udp_netbios, 0, 2, false },
	{ 161, udp_snmp, sizeof udp_snmp, 17, 4, false },
	{ 1900, (const uint8_t *)udp_ssdp, sizeof udp_ssdp - 1,
	    UDP_SSDP_COOKIE, 8, true },
	{ 3478, udp_stun, sizeof udp_stun, 8, 4, false },
	{ 5353, udp_mdns, sizeof udp_mdns, 0, 2, false },
	{ 0, udp_any, sizeof udp_any, 0, 4, false }	/* the last */
};

/* The request for port. */
static const struct udp_payload *
udp_payload(uint16_t port)
{
	size_t	i, n = sizeof udp_payloads / sizeof udp_payloads[0];

	for (i = 0; i < n - 1; i++)
		if (udp_payloads[i].port == port)
			return (&udp_payloads[i]);
	return (&udp_payloads[n - 1]);
}

/* The datagram for t into pkt; *hl is the IP header's length. */
static int
udp_build(const struct probe_ctx *ctx, const struct probe_target *t,
    struct probe_packet *pkt, size_t *hl)
{
	static const char		 digits[] = "0123456789abcdef";
	const struct udp_payload	*pl = udp_payload(t->port);
	uint8_t				*udp, *c;
	uint16_t			 sport, key, len, ck;
	uint32_t			 cookie, mark;
	size_t				 i;

	sport = probe_packet_sport_of(ctx, t, pkt);
	key = probe_packet_key(ctx, sport, t->try);
	probe_packet_keys(ctx, &t->dst, t->port, key, &cookie, &mark);
	len = (uint16_t)(UDP_HDR + pl->len);
	memset(pkt->buf, 0, sizeof pkt->buf);
	pkt->fd = -1;
	if ((*hl = probe_packet_ip(pkt->buf, sizeof pkt->buf, ctx,
	    &t->dst, IPPROTO_UDP, len, mark)) == 0)
		return (-1);
	udp = pkt->buf + *hl;
	udp[0] = (uint8_t)(sport >> 8);
	udp[1] = (uint8_t)sport;
	udp[2] = (uint8_t)(t->port >> 8);
	udp[3] = (uint8_t)t->port;
	udp[4] = (uint8_t)(len >> 8);
	udp[5] = (uint8_t)len;
	memcpy(udp + UDP_HDR, pl->data, pl->len);
	cookie &= 0x7fffffff;		/* positive, as an SNMP INTEGER */
	c = udp + UDP_HDR + pl->cookie_off;
	for (i = 0; i < pl->cookie_len; i++) {
		if (pl->hex)
			c[i] = (uint8_t)digits[(cookie >>
			    (4 * (pl->cookie_len - 1 - i))) & 0xf];
		else
			c[i] = (uint8_t)(cookie >>
			    (8 * (pl->cookie_len - 1 - i)));
	}
	ck = probe_packet_cksum(probe_packet_pseudo(&ctx->src, &t->dst,
	    IPPROTO_UDP, len), udp, len);
	if (ck == 0)
		ck = 0xffff;
	udp[6] = (uint8_t)(ck >> 8);
	udp[7] = (uint8_t)ck;
	pkt->len = *hl + len;
	return (0);
}

static int
udp_make(const struct probe_ctx *ctx, const struct probe_target *t,
    struct probe_packet *pkt, char **cause)
{
	size_t	hl;

	if (udp_build(ctx, t, pkt, &hl) != 0) {
		xasprintf(cause, "udp: probe too long");
		return (-1);
	}
	return (0);
}

static bool
udp_match(const struct probe_ctx *ctx, const struct probe_reply *r,
    struct probe_target *t)
{
	struct probe_packet	pkt;
	const uint8_t		*udp;
	size_t			 hl;
	uint32_t		 sent;
	uint8_t			 lo, hi;

	memset(t, 0, sizeof *t);
	if (r->type == PROBE_REPLY_UDP) {
		if (!probe_packet_sport_tries(ctx, &r->from, r->sport,
		    r->dport, &lo, &hi))
			return (false);
		t->dst = r->from;
		t->port = r->sport;
		t->try = lo;
		return (true);
	}
	if (r->type != PROBE_REPLY_ICMP_ERROR || r->q_proto != IPPROTO_UDP ||
	    !probe_packet_sport_tries(ctx, &r->q_dst, r->q_dport, r->q_sport,
	    &lo, &hi))
		return (false);
	t->dst = r->q_dst;
	t->port = r->q_dport;
	for (t->try = lo; t->try < hi; t->try++) {
		if (udp_build(ctx, t, &pkt, &hl) != 0)
			return (false);
		udp = pkt.buf + hl;
		sent = (uint32_t)udp[4] << 24 | (uint32_t)udp[5] << 16 |
		    (uint32_t)udp[6] << 8 | udp[7];
		if (r->q_seq == sent && r->q_mark == probe_packet_mark(ctx,
		    &r->q_dst, r->q_dport,
		    probe_packet_key(ctx, r->q_sport, t->try)))
			return (true);
	}
	return (false);
}

/* ICMP unreachable codes: the state and reason each gives (RFC 792). */
static const struct {
	uint8_t	state;
	uint8_t	reason;
} udp_unreach[16] = {
	[0] = { EVENT_PORT_FILTERED, EVENT_REASON_NET_UNREACH },
	[1] = { EVENT_PORT_FILTERED, EVENT_REASON_HOST_UNREACH },
	[2] = { EVENT_PORT_FILTERED, EVENT_REASON_PROTO_UNREACH },
	[3] = { EVENT_PORT_CLOSED, EVENT_REASON_PORT_UNREACH },
	[9] = { EVENT_PORT_FILTERED, EVENT_REASON_ADMIN_PROHIBITED },
	[10] = { EVENT_PORT_FILTERED, EVENT_REASON_ADMIN_PROHIBITED },
	[13] = { EVENT_PORT_FILTERED, EVENT_REASON_ADMIN_PROHIBITED },
};

static void
udp_classify(const struct probe_reply *r, struct probe_verdict *v)
{
	memset(v, 0, sizeof *v);
	if (r->type == PROBE_REPLY_UDP) {
		v->port_state = EVENT_PORT_OPEN;
		v->reason = EVENT_REASON_UDP_RESPONSE;
		v->host_up = true;
		return;
	}
	v->port_state = EVENT_PORT_FILTERED;
	if (r->icmp_type == 3 && r->icmp_code < 16 &&
	    udp_unreach[r->icmp_code].state != 0) {
		v->port_state = udp_unreach[r->icmp_code].state;
		v->reason = udp_unreach[r->icmp_code].reason;
	}
	v->host_up = memcmp(&r->from, &r->q_dst, sizeof r->from) == 0;
}
