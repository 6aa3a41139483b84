/*
 * ARP requests, for host discovery on a directly attached Ethernet
 * segment: a host that answers ARP is there, whatever it filters above.
 * ARP has no room for a cookie, so a reply counts only if it comes from
 * an address we asked about and names our address as its target.
 */
#include <netinet/in.h>
#include <string.h>

#include "event.h"
#include "probe.h"

static int	arp_make(const struct probe_ctx *, const struct probe_target *,
		    struct probe_packet *, char **);
static bool	arp_match(const struct probe_ctx *, const struct probe_reply *,
		    struct probe_target *);
static void	arp_classify(const struct probe_reply *,
		    struct probe_verdict *);

const struct probe_ops probe_arp = {
	.name = "arp",
	.kind = PROBE_RAW_LINK,
	.filter = "arp[6:2] == 2",
	.make = arp_make,
	.match = arp_match,
	.classify = arp_classify,
};

/* An Ethernet broadcast frame holding an ARP request for t->dst. */
static int
arp_make(const struct probe_ctx *ctx, const struct probe_target *t,
    struct probe_packet *pkt, char **cause)
{
	static const uint8_t	head[] = {
		0x08, 0x06,		/* ethertype ARP */
		0x00, 0x01,		/* Ethernet */
		0x08, 0x00,		/* IPv4 */
		6, 4,
		0x00, 0x01		/* request */
	};
	uint8_t			*p = pkt->buf;

	memset(pkt->buf, 0, sizeof pkt->buf);
	pkt->fd = -1;
	memset(p, 0xff, 6);
	memcpy(p + 6, ctx->src_mac, 6);
	memcpy(p + 12, head, sizeof head);
	memcpy(p + 22, ctx->src_mac, 6);
	memcpy(p + 28, ctx->src.addr, 4);
	memcpy(p + 38, t->dst.addr, 4);
	pkt->len = 42;
	return (0);
}

static bool
arp_match(const struct probe_ctx *ctx, const struct probe_reply *r,
    struct probe_target *t)
{
	memset(t, 0, sizeof *t);
	if (r->type != PROBE_REPLY_ARP ||
	    memcmp(r->to.addr, ctx->src.addr, 4) != 0)
		return (false);
	t->dst = r->from;
	return (true);
}

static void
arp_classify(const struct probe_reply *r, struct probe_verdict *v)
{
	memset(v, 0, sizeof *v);
	v->host_up = true;
	v->reason = EVENT_REASON_ARP_RESPONSE;
}
