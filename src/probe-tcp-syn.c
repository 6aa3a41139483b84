/*
 * TCP SYN and ACK probes, sent raw. A SYN looks like a normal one (an MSS
 * option, a usual window) and carries a keyed cookie as its sequence
 * number; the source port is keyed by destination, port and try, so a
 * reply says which try it answers, and the IP identifier (or flow label)
 * holds the probe's mark. A reply whose acknowledgment does not match
 * the cookie is not ours and is dropped; so is an ICMP error whose quote
 * does not carry the cookie and the mark. The ACK probe (host discovery)
 * puts the cookie in its acknowledgment number, which a RST echoes.
 * With a fixed source port (-g) the cookie and mark are keyed by the try
 * (probe_packet_key()), and a reply's try is the one whose cookie it
 * acknowledges.
 */
#include <netinet/in.h>
#include <string.h>

#include "event.h"
#include "probe.h"

#define TCP_FIN		0x01
#define TCP_SYN		0x02
#define TCP_RST		0x04
#define TCP_ACK		0x10

static int	tcp_make(const struct probe_ctx *, const struct probe_target *,
		    struct probe_packet *, uint8_t);
static int	syn_make(const struct probe_ctx *, const struct probe_target *,
		    struct probe_packet *, char **);
static int	ack_make(const struct probe_ctx *, const struct probe_target *,
		    struct probe_packet *, char **);
static bool	syn_match(const struct probe_ctx *, const struct probe_reply *,
		    struct probe_target *);
static bool	ack_match(const struct probe_ctx *, const struct probe_reply *,
		    struct probe_target *);
static void	syn_classify(const struct probe_reply *,
		    struct probe_verdict *);
static void	ack_classify(const struct probe_reply *,
		    struct probe_verdict *);
static bool	tcp_match_try(const struct probe_ctx *,
		    const struct target_addr *, uint16_t, uint16_t, uint32_t,
		    uint32_t, bool, uint8_t *);
static uint8_t	icmp_reason(uint8_t, uint8_t);

const struct probe_ops probe_tcp_syn = {
	.name = "tcp-syn",
	.kind = PROBE_RAW_IP,
	.filter = "tcp or icmp[0] == 3 or icmp[0] == 11",
	.make = syn_make,
	.match = syn_match,
	.classify = syn_classify,
};

const struct probe_ops probe_tcp_ack = {
	.name = "tcp-ack",
	.kind = PROBE_RAW_IP,
	.filter = "tcp or icmp[0] == 3 or icmp[0] == 11",
	.make = ack_make,
	.match = ack_match,
	.classify = ack_classify,
};

/* Build a SYN (with MSS) or a bare ACK to t, cookie in seq or ack. */
static int
tcp_make(const struct probe_ctx *ctx, const struct probe_target *t,
    struct probe_packet *pkt, uint8_t flags)
{
	uint8_t		*tcp;
	uint16_t	 sport, key, ck, tcplen;
	uint32_t	 cookie, mark, sum;
	size_t		 hl;

	tcplen = (flags & TCP_SYN) ? 24 : 20;
	sport = probe_packet_sport_of(ctx, t, pkt);
	key = probe_packet_key(ctx, sport, t->try);
	probe_packet_keys(ctx, &t->dst, t->port, key, &cookie, &mark);
	memset(pkt->buf, 0, sizeof pkt->buf);
	pkt->fd = -1;
	if ((hl = probe_packet_ip(pkt->buf, sizeof pkt->buf, ctx,
	    &t->dst, IPPROTO_TCP, tcplen, mark)) == 0)
		return (-1);
	tcp = pkt->buf + hl;
	tcp[0] = (uint8_t)(sport >> 8);
	tcp[1] = (uint8_t)sport;
	tcp[2] = (uint8_t)(t->port >> 8);
	tcp[3] = (uint8_t)t->port;
	if (flags & TCP_SYN) {
		tcp[4] = (uint8_t)(cookie >> 24);
		tcp[5] = (uint8_t)(cookie >> 16);
		tcp[6] = (uint8_t)(cookie >> 8);
		tcp[7] = (uint8_t)cookie;
	} else {
		tcp[8] = (uint8_t)(cookie >> 24);
		tcp[9] = (uint8_t)(cookie >> 16);
		tcp[10] = (uint8_t)(cookie >> 8);
		tcp[11] = (uint8_t)cookie;
	}
	tcp[12] = (uint8_t)((tcplen / 4) << 4);
	tcp[13] = flags;
	tcp[14] = 0xfa;			/* window 64240 */
	tcp[15] = 0xf0;
	if (flags & TCP_SYN) {
		tcp[20] = 2;		/* MSS 1460 */
		tcp[21] = 4;
		tcp[22] = 0x05;
		tcp[23] = 0xb4;
	}
	sum = probe_packet_pseudo(&ctx->src, &t->dst, IPPROTO_TCP, tcplen);
	ck = probe_packet_cksum(sum, tcp, tcplen);
	tcp[16] = (uint8_t)(ck >> 8);
	tcp[17] = (uint8_t)ck;
	pkt->len = hl + tcplen;
	return (0);
}

static int
syn_make(const struct probe_ctx *ctx, const struct probe_target *t,
    struct probe_packet *pkt, char **cause)
{
	return (tcp_make(ctx, t, pkt, TCP_SYN));
}

static int
ack_make(const struct probe_ctx *ctx, const struct probe_target *t,
    struct probe_packet *pkt, char **cause)
{
	return (tcp_make(ctx, t, pkt, TCP_ACK));
}

/*
 * The try of ours to dst:dport from sport whose cookie is cookie (and,
 * when check_mark, whose mark is mark): the one the keyed port names, or
 * with -g any of them.
 */
static bool
tcp_match_try(const struct probe_ctx *ctx, const struct target_addr *dst,
    uint16_t dport, uint16_t sport, uint32_t cookie, uint32_t mark,
    bool check_mark, uint8_t *try)
{
	uint32_t	sent, sent_mark;
	uint8_t		lo, hi;

	if (!probe_packet_sport_tries(ctx, dst, dport, sport, &lo, &hi))
		return (false);
	for (*try = lo; *try < hi; (*try)++) {
		probe_packet_keys(ctx, dst, dport,
		    probe_packet_key(ctx, sport, *try), &sent, &sent_mark);
		if (cookie == sent && (!check_mark || mark == sent_mark))
			return (true);
	}
	return (false);
}

static bool
syn_match(const struct probe_ctx *ctx, const struct probe_reply *r,
    struct probe_target *t)
{
	memset(t, 0, sizeof *t);
	if (r->type == PROBE_REPLY_TCP) {
		if ((r->flags & (TCP_RST | TCP_ACK)) == 0 ||
		    (r->flags & (TCP_SYN | TCP_RST)) == 0 ||
		    !tcp_match_try(ctx, &r->from, r->sport, r->dport,
		    r->ack - 1, 0, false, &t->try))
			return (false);
		t->dst = r->from;
		t->port = r->sport;
		return (true);
	}
	if (r->type == PROBE_REPLY_ICMP_ERROR && r->q_proto == IPPROTO_TCP) {
		if (!tcp_match_try(ctx, &r->q_dst, r->q_dport, r->q_sport,
		    r->q_seq, r->q_mark, true, &t->try))
			return (false);
		t->dst = r->q_dst;
		t->port = r->q_dport;
		return (true);
	}
	return (false);
}

static bool
ack_match(const struct probe_ctx *ctx, const struct probe_reply *r,
    struct probe_target *t)
{
	memset(t, 0, sizeof *t);
	if (r->type == PROBE_REPLY_TCP) {
		if ((r->flags & TCP_RST) == 0 || (r->flags & TCP_SYN) ||
		    !tcp_match_try(ctx, &r->from, r->sport, r->dport, r->seq,
		    0, false, &t->try))
			return (false);
		t->dst = r->from;
		t->port = r->sport;
		return (true);
	}
	return (syn_match(ctx, r, t));
}

/* The reason an ICMP error gives, as Nmap names it. */
static uint8_t
icmp_reason(uint8_t type, uint8_t code)
{
	static const uint8_t	unreach[16] = {
		[0] = EVENT_REASON_NET_UNREACH,
		[1] = EVENT_REASON_HOST_UNREACH,
		[2] = EVENT_REASON_PROTO_UNREACH,
		[3] = EVENT_REASON_PORT_UNREACH,
		[9] = EVENT_REASON_ADMIN_PROHIBITED,
		[10] = EVENT_REASON_ADMIN_PROHIBITED,
		[13] = EVENT_REASON_ADMIN_PROHIBITED,
	};

	if (type != 3 || code >= sizeof unreach)
		return (EVENT_REASON_NONE);
	return (unreach[code]);
}

static void
syn_classify(const struct probe_reply *r, struct probe_verdict *v)
{
	memset(v, 0, sizeof *v);
	if (r->type == PROBE_REPLY_TCP) {
		v->host_up = true;
		if (r->flags & TCP_RST) {
			v->port_state = EVENT_PORT_CLOSED;
			v->reason = EVENT_REASON_RESET;
		} else {
			v->port_state = EVENT_PORT_OPEN;
			v->reason = EVENT_REASON_SYN_ACK;
		}
		return;
	}
	v->port_state = EVENT_PORT_FILTERED;
	v->reason = icmp_reason(r->icmp_type, r->icmp_code);
	v->host_up = memcmp(&r->from, &r->q_dst, sizeof r->from) == 0;
}

static void
ack_classify(const struct probe_reply *r, struct probe_verdict *v)
{
	syn_classify(r, v);
	if (r->type == PROBE_REPLY_TCP)
		v->port_state = EVENT_PORT_UNFILTERED;
}
