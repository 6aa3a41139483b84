/*
 * Neighbor Solicitations (RFC 4861), IPv6's ARP: for host discovery on
 * a directly attached Ethernet segment. The solicitation goes in an
 * Ethernet frame to the target's solicited-node multicast group, with a
 * hop limit of 255 and our link-layer address; a host that is there
 * answers with a Neighbor Advertisement, whatever it filters above. A
 * solicitation has no room for a cookie, so, as with ARP, a reply counts
 * only if it is sent to our address and advertises an address we asked
 * about.
 */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "event.h"
#include "probe.h"

#define ND_ETHER_HDR	14
#define ND_IP6_HDR	40
#define ND_NS_LEN	32	/* header, target, source link-layer option */
#define ND_NS		135

static int	nd_make(const struct probe_ctx *, const struct probe_target *,
		    struct probe_packet *, char **);
static bool	nd_match(const struct probe_ctx *, const struct probe_reply *,
		    struct probe_target *);
static void	nd_classify(const struct probe_reply *,
		    struct probe_verdict *);

const struct probe_ops probe_nd = {
	.name = "nd",
	.kind = PROBE_RAW_LINK,
	.filter = "icmp6",
	.make = nd_make,
	.match = nd_match,
	.classify = nd_classify,
};

/* An Ethernet frame holding a Neighbor Solicitation for t->dst. */
static int
nd_make(const struct probe_ctx *ctx, const struct probe_target *t,
    struct probe_packet *pkt, char **cause)
{
	static const uint8_t	group[13] = { 0xff, 0x02, [11] = 0x01,
				    [12] = 0xff };
	struct target_addr	mc;
	uint8_t			*p = pkt->buf, *ns;
	uint16_t		 ck;

	memset(pkt->buf, 0, sizeof pkt->buf);
	pkt->fd = -1;
	memset(&mc, 0, sizeof mc);
	mc.family = AF_INET6;
	memcpy(mc.addr, group, sizeof group);
	memcpy(mc.addr + 13, t->dst.addr + 13, 3);

	p[0] = p[1] = 0x33;
	memcpy(p + 2, mc.addr + 12, 4);
	memcpy(p + 6, ctx->src_mac, 6);
	p[12] = 0x86;
	p[13] = 0xdd;
	/* The hop limit RFC 4861 demands, whatever --ttl says. */
	probe_packet_ip6(p + ND_ETHER_HDR, sizeof pkt->buf - ND_ETHER_HDR,
	    &ctx->src, &mc, IPPROTO_ICMPV6, ND_NS_LEN, 0, 255);

	ns = p + ND_ETHER_HDR + ND_IP6_HDR;
	ns[0] = ND_NS;
	memcpy(ns + 8, t->dst.addr, 16);
	ns[24] = 1;			/* source link-layer address */
	ns[25] = 1;			/* in units of 8 bytes */
	memcpy(ns + 26, ctx->src_mac, 6);
	ck = probe_packet_cksum(probe_packet_pseudo(&ctx->src, &mc,
	    IPPROTO_ICMPV6, ND_NS_LEN), ns, ND_NS_LEN);
	ns[2] = (uint8_t)(ck >> 8);
	ns[3] = (uint8_t)ck;
	pkt->len = ND_ETHER_HDR + ND_IP6_HDR + ND_NS_LEN;
	return (0);
}

static bool
nd_match(const struct probe_ctx *ctx, const struct probe_reply *r,
    struct probe_target *t)
{
	memset(t, 0, sizeof *t);
	if (r->type != PROBE_REPLY_ND || r->to.family != AF_INET6 ||
	    memcmp(r->to.addr, ctx->src.addr, 16) != 0)
		return (false);
	t->dst = r->from;
	return (true);
}

static void
nd_classify(const struct probe_reply *r, struct probe_verdict *v)
{
	memset(v, 0, sizeof *v);
	v->host_up = true;
	v->reason = EVENT_REASON_ND_RESPONSE;
}
