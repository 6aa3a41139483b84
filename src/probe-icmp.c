/*
 * ICMP echo and timestamp requests, for host discovery. The sequence
 * number is the source port base plus the try and the identifier is the
 * keyed cookie of (host, type, sequence), so a reply proves it answers
 * one of our requests.
 */
#include <netinet/in.h>
#include <string.h>

#include "event.h"
#include "probe.h"

#define ICMP_ECHO		8
#define ICMP_ECHOREPLY		0
#define ICMP_TSTAMP		13
#define ICMP_TSTAMPREPLY	14

static int	icmp_make(const struct probe_ctx *, const struct probe_target *,
		    struct probe_packet *, uint8_t, uint16_t);
static int	echo_make(const struct probe_ctx *,
		    const struct probe_target *, struct probe_packet *,
		    char **);
static int	tstamp_make(const struct probe_ctx *,
		    const struct probe_target *, struct probe_packet *,
		    char **);
static bool	icmp_match(const struct probe_ctx *, const struct probe_reply *,
		    uint8_t, struct probe_target *);
static bool	echo_match(const struct probe_ctx *,
		    const struct probe_reply *, struct probe_target *);
static bool	tstamp_match(const struct probe_ctx *,
		    const struct probe_reply *, struct probe_target *);
static void	icmp_classify(const struct probe_reply *,
		    struct probe_verdict *);

const struct probe_ops probe_icmp_echo = {
	.name = "icmp-echo",
	.kind = PROBE_RAW_IP,
	.filter = "icmp[0] == 0",
	.make = echo_make,
	.match = echo_match,
	.classify = icmp_classify,
};

const struct probe_ops probe_icmp_tstamp = {
	.name = "icmp-timestamp",
	.kind = PROBE_RAW_IP,
	.filter = "icmp[0] == 14",
	.make = tstamp_make,
	.match = tstamp_match,
	.classify = icmp_classify,
};

static int
icmp_make(const struct probe_ctx *ctx, const struct probe_target *t,
    struct probe_packet *pkt, uint8_t type, uint16_t len)
{
	uint8_t		*icmp;
	uint16_t	 seq, id, ck;
	uint32_t	 sum = 0;
	uint8_t		 wire = type;
	size_t		 hl;

	seq = (uint16_t)(ctx->sport_base + t->try);
	id = (uint16_t)probe_packet_cookie(ctx, &t->dst, type, seq);
	memset(pkt->buf, 0, sizeof pkt->buf);
	pkt->fd = -1;
	if (t->dst.family == AF_INET6) {
		/* ICMPv6 echo (RFC 4443); ICMPv6 has no timestamp. */
		if ((hl = probe_packet_ip6(pkt->buf, sizeof pkt->buf,
		    &ctx->src, &t->dst, IPPROTO_ICMPV6, len)) == 0)
			return (-1);
		sum = probe_packet_pseudo(&ctx->src, &t->dst, IPPROTO_ICMPV6,
		    len);
		wire = 128;
	} else if ((hl = probe_packet_ip4(pkt->buf, sizeof pkt->buf,
	    &ctx->src, &t->dst, IPPROTO_ICMP, len)) == 0)
		return (-1);
	icmp = pkt->buf + hl;
	icmp[0] = wire;
	icmp[4] = (uint8_t)(id >> 8);
	icmp[5] = (uint8_t)id;
	icmp[6] = (uint8_t)(seq >> 8);
	icmp[7] = (uint8_t)seq;
	ck = probe_packet_cksum(sum, icmp, len);
	icmp[2] = (uint8_t)(ck >> 8);
	icmp[3] = (uint8_t)ck;
	pkt->len = hl + len;
	return (0);
}

static int
echo_make(const struct probe_ctx *ctx, const struct probe_target *t,
    struct probe_packet *pkt, char **cause)
{
	return (icmp_make(ctx, t, pkt, ICMP_ECHO, 8));
}

static int
tstamp_make(const struct probe_ctx *ctx, const struct probe_target *t,
    struct probe_packet *pkt, char **cause)
{
	return (icmp_make(ctx, t, pkt, ICMP_TSTAMP, 20));
}

static bool
icmp_match(const struct probe_ctx *ctx, const struct probe_reply *r,
    uint8_t request, struct probe_target *t)
{
	uint16_t	id;

	memset(t, 0, sizeof *t);
	if (r->type != PROBE_REPLY_ICMP || r->icmp_seq < ctx->sport_base ||
	    r->icmp_seq - ctx->sport_base >= 16)
		return (false);
	id = (uint16_t)probe_packet_cookie(ctx, &r->from, request,
	    r->icmp_seq);
	if (r->icmp_id != id)
		return (false);
	t->dst = r->from;
	t->try = (uint8_t)(r->icmp_seq - ctx->sport_base);
	return (true);
}

static bool
echo_match(const struct probe_ctx *ctx, const struct probe_reply *r,
    struct probe_target *t)
{
	return (r->icmp_type == ICMP_ECHOREPLY &&
	    icmp_match(ctx, r, ICMP_ECHO, t));
}

static bool
tstamp_match(const struct probe_ctx *ctx, const struct probe_reply *r,
    struct probe_target *t)
{
	return (r->icmp_type == ICMP_TSTAMPREPLY &&
	    icmp_match(ctx, r, ICMP_TSTAMP, t));
}

static void
icmp_classify(const struct probe_reply *r, struct probe_verdict *v)
{
	memset(v, 0, sizeof *v);
	v->host_up = true;
	v->reason = r->icmp_type == ICMP_ECHOREPLY ?
	    EVENT_REASON_ECHO_REPLY : EVENT_REASON_TIMESTAMP_REPLY;
}
