/*
 * ICMP echo and timestamp requests, for host discovery. The identifier
 * and the sequence number together hold the 32-bit keyed cookie of
 * (host, type, try), so a reply proves it answers one of our requests,
 * and which try; no request to another host tells a host anything of
 * the cookie its own reply needs.
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
	uint16_t	 ck;
	uint32_t	 cookie, mark, sum = 0;
	uint8_t		 wire = type;
	size_t		 hl;

	probe_packet_keys(ctx, &t->dst, type, t->try, &cookie, &mark);
	memset(pkt->buf, 0, sizeof pkt->buf);
	pkt->fd = -1;
	if (t->dst.family == AF_INET6) {
		/* ICMPv6 echo (RFC 4443); ICMPv6 has no timestamp. */
		if ((hl = probe_packet_ip(pkt->buf, sizeof pkt->buf, ctx,
		    &t->dst, IPPROTO_ICMPV6, len, mark)) == 0)
			return (-1);
		sum = probe_packet_pseudo(&ctx->src, &t->dst, IPPROTO_ICMPV6,
		    len);
		wire = 128;
	} else if ((hl = probe_packet_ip(pkt->buf, sizeof pkt->buf, ctx,
	    &t->dst, IPPROTO_ICMP, len, mark)) == 0)
		return (-1);
	icmp = pkt->buf + hl;
	icmp[0] = wire;
	icmp[4] = (uint8_t)(cookie >> 24);	/* identifier */
	icmp[5] = (uint8_t)(cookie >> 16);
	icmp[6] = (uint8_t)(cookie >> 8);	/* sequence */
	icmp[7] = (uint8_t)cookie;
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
	uint32_t	got = (uint32_t)r->icmp_id << 16 | r->icmp_seq;
	uint8_t		try;

	memset(t, 0, sizeof *t);
	if (r->type != PROBE_REPLY_ICMP)
		return (false);
	for (try = 0; try < PROBE_TRIES_MAX; try++) {
		if (probe_packet_cookie(ctx, &r->from, request, try) == got) {
			t->dst = r->from;
			t->try = try;
			return (true);
		}
	}
	return (false);
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
