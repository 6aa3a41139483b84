/*
 * The simulated network. A probe the engine sends is parsed back from
 * its bytes, decided on (lost, limited, dead host, or the reply its port
 * gives) and the reply queued, as a struct probe_reply in a slot, the
 * slot in a heap by the time it is due: the send time plus the host's
 * RTT and jitter (so the heap moves 16 bytes an entry). The heap
 * is drained through a timer (clock.h) armed for its earliest reply, so
 * the engine's epoll loop is the real one and only the wire is made up;
 * on the virtual clock, which the tests use, a busy machine does not
 * change a scan's course. The probes of a burst leave together, as the
 * raw transport's batch does: the clock is read once a burst, at its
 * first probe, and forgotten at the flush. Every decision (port state,
 * loss, jitter) is a hash of the seed and the probe, not a draw from a
 * stream, so it does not depend on the order probes are sent in, nor on
 * the scan's secret. Hosts that rate-limit or die keep a little state,
 * in a hash table made only for them.
 */
#include <sys/timerfd.h>

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "event.h"
#include "port-spec.h"
#include "rate.h"
#include "transport.h"
#include "transport-sim.h"
#include "xmalloc.h"

#define SIM_TTL		60
#define SIM_BURST	5	/* as the lab's nft limits */
#define TCP_SYN		0x02
#define TCP_RST		0x04
#define TCP_ACK		0x10

/* A heap entry: when a reply is due, and its slot in replies. */
struct sim_reply {
	uint64_t		at_ns;
	uint32_t		slot;
};

/* What a host that rate-limits or dies remembers. */
struct sim_state {
	struct target_addr	addr;
	bool			used;
	uint64_t		probes;
	struct rate		rst;
	struct rate		icmp;
};

struct transport_sim {
	struct transport_sim_config	 cfg;
	struct transport_sim_hosts	*hosts;
	int				 timerfd;
	uint64_t			 armed_ns;	/* 0: disarmed */
	uint64_t			 burst_ns;	/* 0: no burst begun */
	struct sim_reply		*heap;
	size_t				 n;
	size_t				 size;
	struct probe_reply		*replies;	/* size slots */
	uint32_t			*free;		/* slots not in use */
	size_t				 nfree;
	struct sim_state		*state;
	size_t				 nstate;
	size_t				 state_size;	/* a power of two */
	struct transport_sim_stats	 stats;
};

/* A probe, as parsed back from the packet the engine made. */
struct sim_probe {
	struct target_addr	src;
	struct target_addr	dst;
	uint32_t		mark;	/* IPv4 identifier, IPv6 flow label */
	uint8_t			proto;
	const uint8_t		*l4;
	size_t			l4len;
};

static uint64_t	sim_mix(uint64_t);
static uint64_t	sim_hash(const struct transport_sim *,
		    const struct target_addr *, uint64_t);
static const struct transport_sim_hosts *sim_find(const struct transport_sim *,
		    const struct target_addr *);
static struct sim_state *sim_state(struct transport_sim *,
		    const struct transport_sim_hosts *,
		    const struct target_addr *, uint64_t);
static int	sim_port(const struct transport_sim *,
		    const struct transport_sim_hosts *,
		    const struct target_addr *, uint8_t, uint16_t);
static int	sim_parse(const struct probe_packet *, struct sim_probe *);
static bool	sim_answer(struct transport_sim *,
		    const struct transport_sim_hosts *, struct sim_state *,
		    const struct sim_probe *, struct probe_reply *, uint64_t);
static void	sim_push(struct transport_sim *, uint64_t,
		    const struct probe_reply *);
static void	sim_pop(struct transport_sim *, struct probe_reply *);
static void	sim_arm(struct transport_sim *, uint64_t);
static int	sim_route(void *, const struct target_addr *,
		    struct probe_ctx *, char **);
static int	sim_fd(void *);
static int	sim_send(void *, const struct probe_target *, enum probe_kind,
		    const struct probe_packet *, char **);
static int	sim_read(void *, void (*)(void *, const struct probe_reply *),
		    void *, char **);
static int	sim_flush(void *, char **);
static void	sim_close(void *);

const struct transport_ops transport_sim_ops = {
	.name = "sim",
	.route = sim_route,
	.fd = sim_fd,
	.send = sim_send,
	.read = sim_read,
	.flush = sim_flush,
	.close = sim_close,
};

/* SplitMix64's finaliser: every input bit moves every output bit. */
static uint64_t
sim_mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return (x);
}

/* A hash of the seed, an address and what is asked about it. */
static uint64_t
sim_hash(const struct transport_sim *sim, const struct target_addr *a,
    uint64_t what)
{
	uint64_t	hi, lo;

	memcpy(&hi, a->addr, 8);
	memcpy(&lo, a->addr + 8, 8);
	return (sim_mix(sim_mix(sim_mix(sim->cfg.seed ^ hi) ^ lo) ^ what));
}

static const struct transport_sim_hosts *
sim_find(const struct transport_sim *sim, const struct target_addr *a)
{
	const struct transport_sim_hosts	*h;
	size_t					 i;

	for (i = 0; i < sim->cfg.nhosts; i++) {
		h = &sim->hosts[i];
		if (target_addr_cmp(a, &h->first) >= 0 &&
		    target_addr_cmp(a, &h->last) <= 0)
			return (h);
	}
	return (NULL);
}

/* The state of a host that needs one, made on first use. */
static struct sim_state *
sim_state(struct transport_sim *sim, const struct transport_sim_hosts *h,
    const struct target_addr *a, uint64_t now)
{
	struct sim_state	*old, *st;
	size_t			 i, j, oldsize;

	if (h->rst_rate <= 0 && h->icmp_rate <= 0 && h->die_after == 0 &&
	    h->rst_after == 0)
		return (NULL);
	if (2 * (sim->nstate + 1) > sim->state_size) {
		old = sim->state;
		oldsize = sim->state_size;
		sim->state_size = oldsize == 0 ? 64 : oldsize * 2;
		sim->state = xcalloc(sim->state_size, sizeof *sim->state);
		for (i = 0; i < oldsize; i++) {
			if (!old[i].used)
				continue;
			j = sim_hash(sim, &old[i].addr, 0) &
			    (sim->state_size - 1);
			while (sim->state[j].used)
				j = (j + 1) & (sim->state_size - 1);
			sim->state[j] = old[i];
		}
		free(old);
	}
	i = sim_hash(sim, a, 0) & (sim->state_size - 1);
	for (;;) {
		st = &sim->state[i];
		if (!st->used)
			break;
		if (memcmp(&st->addr, a, sizeof *a) == 0)
			return (st);
		i = (i + 1) & (sim->state_size - 1);
	}
	st->used = true;
	st->addr = *a;
	rate_init(&st->rst, h->rst_rate, SIM_BURST, now);
	rate_init(&st->icmp, h->icmp_rate, SIM_BURST, now);
	sim->nstate++;
	return (st);
}

/* The state of a port: open, closed or filtered (enum event_port_state). */
static int
sim_port(const struct transport_sim *sim, const struct transport_sim_hosts *h,
    const struct target_addr *a, uint8_t proto, uint16_t port)
{
	uint64_t	x;

	if (h->all_open)
		return (EVENT_PORT_OPEN);
	x = sim_hash(sim, a, (uint64_t)proto << 16 | port) % 1000;
	if (x < h->open_pm)
		return (EVENT_PORT_OPEN);
	if (x < (uint64_t)h->open_pm + h->filtered_pm)
		return (EVENT_PORT_FILTERED);
	return (EVENT_PORT_CLOSED);
}

int
transport_sim_truth(const struct transport_sim *sim,
    const struct target_addr *a, uint8_t proto, uint16_t port)
{
	const struct transport_sim_hosts	*h;
	int					 st;

	if ((h = sim_find(sim, a)) == NULL)
		return (0);
	st = sim_port(sim, h, a, proto == PORT_UDP ? IPPROTO_UDP :
	    IPPROTO_TCP, port);
	if (st == EVENT_PORT_FILTERED && proto == PORT_UDP)
		return (EVENT_PORT_OPEN_FILTERED);
	return (st);
}

/* Read the addresses and the transport header back from a packet. */
static int
sim_parse(const struct probe_packet *pkt, struct sim_probe *sp)
{
	const uint8_t	*p = pkt->buf;
	size_t		 hl;

	if (pkt->len < 20)
		return (-1);
	if ((p[0] >> 4) == 6) {
		if (pkt->len < 40)
			return (-1);
		hl = 40;
		sp->proto = p[6];
		sp->mark = probe_get32(p) & 0xfffff;
		probe_packet_addr6(&sp->src, p + 8);
		probe_packet_addr6(&sp->dst, p + 24);
	} else {
		hl = (size_t)(p[0] & 0xf) * 4;
		if (hl < 20 || pkt->len < hl)
			return (-1);
		sp->proto = p[9];
		sp->mark = probe_get16(p + 4);
		probe_packet_addr4(&sp->src, p + 12);
		probe_packet_addr4(&sp->dst, p + 16);
	}
	sp->l4 = p + hl;
	sp->l4len = pkt->len - hl;
	return (sp->l4len < 8 ? -1 : 0);
}

/*
 * The reply a host gives to a probe, in r; false when it gives none (or
 * its rate limit holds the reply back).
 */
static bool
sim_answer(struct transport_sim *sim, const struct transport_sim_hosts *h,
    struct sim_state *st, const struct sim_probe *sp, struct probe_reply *r,
    uint64_t now)
{
	const uint8_t	*l4 = sp->l4;
	uint16_t	 sport = (uint16_t)(l4[0] << 8 | l4[1]);
	uint16_t	 dport = (uint16_t)(l4[2] << 8 | l4[3]);
	uint32_t	 seq, ack;
	uint8_t		 flags;
	int		 state;

	memset(r, 0, sizeof *r);
	r->from = sp->dst;
	r->to = sp->src;
	r->ttl = SIM_TTL;
	switch (sp->proto) {
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if (h->no_ping || (l4[0] != 8 && l4[0] != 13 && l4[0] != 128))
			return (false);
		r->type = PROBE_REPLY_ICMP;
		r->icmp_type = l4[0] == 13 ? 14 : 0;
		r->icmp_id = (uint16_t)(l4[4] << 8 | l4[5]);
		r->icmp_seq = (uint16_t)(l4[6] << 8 | l4[7]);
		return (true);
	case IPPROTO_TCP:
		if (sp->l4len < 20)
			return (false);
		seq = (uint32_t)l4[4] << 24 | (uint32_t)l4[5] << 16 |
		    (uint32_t)l4[6] << 8 | l4[7];
		ack = (uint32_t)l4[8] << 24 | (uint32_t)l4[9] << 16 |
		    (uint32_t)l4[10] << 8 | l4[11];
		flags = l4[13];
		state = sim_port(sim, h, &sp->dst, IPPROTO_TCP, dport);
		if (state == EVENT_PORT_FILTERED)
			return (false);
		r->type = PROBE_REPLY_TCP;
		r->sport = dport;
		r->dport = sport;
		if ((flags & TCP_SYN) == 0) {
			/* An ACK probe: a RST from the acknowledgment. */
			r->flags = TCP_RST;
			r->seq = ack;
		} else if (state == EVENT_PORT_OPEN) {
			r->flags = TCP_SYN | TCP_ACK;
			r->ack = seq + 1;
			return (true);
		} else {
			r->flags = TCP_RST | TCP_ACK;
			r->ack = seq + 1;
		}
		if (st != NULL && !rate_take(&st->rst, now)) {
			sim->stats.limited++;
			return (false);
		}
		return (true);
	case IPPROTO_UDP:
		state = sim_port(sim, h, &sp->dst, IPPROTO_UDP, dport);
		if (state == EVENT_PORT_FILTERED)
			return (false);
		if (state == EVENT_PORT_OPEN) {
			r->type = PROBE_REPLY_UDP;
			r->sport = dport;
			r->dport = sport;
			return (true);
		}
		r->type = PROBE_REPLY_ICMP_ERROR;
		r->icmp_type = 3;
		r->icmp_code = 3;
		r->q_dst = sp->dst;
		r->q_mark = sp->mark;
		r->q_proto = IPPROTO_UDP;
		r->q_sport = sport;
		r->q_dport = dport;
		r->q_seq = (uint32_t)l4[4] << 24 | (uint32_t)l4[5] << 16 |
		    (uint32_t)l4[6] << 8 | l4[7];
		if (st != NULL && !rate_take(&st->icmp, now)) {
			sim->stats.limited++;
			return (false);
		}
		return (true);
	}
	return (false);
}

/* Queue a reply due at at_ns: a binary min-heap on the time. */
static void
sim_push(struct transport_sim *sim, uint64_t at_ns,
    const struct probe_reply *r)
{
	struct sim_reply	tmp;
	size_t			i, up;
	uint32_t		slot;

	if (sim->n == sim->size) {
		sim->size = sim->size == 0 ? 1024 : sim->size * 2;
		sim->heap = xreallocarray(sim->heap, sim->size,
		    sizeof *sim->heap);
		sim->replies = xreallocarray(sim->replies, sim->size,
		    sizeof *sim->replies);
		sim->free = xreallocarray(sim->free, sim->size,
		    sizeof *sim->free);
	}
	/* With no slot free, the slots 0 to n - 1 are all in use. */
	slot = sim->nfree > 0 ? sim->free[--sim->nfree] : (uint32_t)sim->n;
	sim->replies[slot] = *r;
	i = sim->n++;
	sim->heap[i].at_ns = at_ns;
	sim->heap[i].slot = slot;
	while (i > 0) {
		up = (i - 1) / 2;
		if (sim->heap[up].at_ns <= sim->heap[i].at_ns)
			break;
		tmp = sim->heap[up];
		sim->heap[up] = sim->heap[i];
		sim->heap[i] = tmp;
		i = up;
	}
	if (sim->n > sim->stats.queue_max)
		sim->stats.queue_max = sim->n;
}

/* Remove the earliest reply, into r. */
static void
sim_pop(struct transport_sim *sim, struct probe_reply *r)
{
	struct sim_reply	tmp;
	size_t			i = 0, c;

	*r = sim->replies[sim->heap[0].slot];
	sim->free[sim->nfree++] = sim->heap[0].slot;
	sim->heap[0] = sim->heap[--sim->n];
	for (;;) {
		c = 2 * i + 1;
		if (c >= sim->n)
			break;
		if (c + 1 < sim->n && sim->heap[c + 1].at_ns <
		    sim->heap[c].at_ns)
			c++;
		if (sim->heap[i].at_ns <= sim->heap[c].at_ns)
			break;
		tmp = sim->heap[c];
		sim->heap[c] = sim->heap[i];
		sim->heap[i] = tmp;
		i = c;
	}
}

/* Arm the timer for the earliest reply, unless it already is. */
static void
sim_arm(struct transport_sim *sim, uint64_t now)
{
	uint64_t	at;

	at = sim->n == 0 ? 0 : sim->heap[0].at_ns;
	if (at == sim->armed_ns)
		return;
	clock_timer_set(sim->timerfd, at, now);
	sim->armed_ns = at;
}

struct transport_sim *
transport_sim_create(const struct transport_sim_config *cfg, char **cause)
{
	struct transport_sim	*sim;

	sim = xcalloc(1, sizeof *sim);
	sim->cfg = *cfg;
	sim->hosts = xreallocarray(NULL, cfg->nhosts + 1, sizeof *sim->hosts);
	memcpy(sim->hosts, cfg->hosts, cfg->nhosts * sizeof *sim->hosts);
	sim->timerfd = timerfd_create(CLOCK_MONOTONIC,
	    TFD_NONBLOCK | TFD_CLOEXEC);
	if (sim->timerfd == -1) {
		xasprintf(cause, "timerfd: %s", strerror(errno));
		transport_sim_free(sim);
		return (NULL);
	}
	return (sim);
}

void
transport_sim_free(struct transport_sim *sim)
{
	if (sim == NULL)
		return;
	if (sim->timerfd != -1)
		close(sim->timerfd);
	free(sim->heap);
	free(sim->replies);
	free(sim->free);
	free(sim->state);
	free(sim->hosts);
	free(sim);
}

const struct transport_sim_stats *
transport_sim_stats(const struct transport_sim *sim)
{
	return (&sim->stats);
}

/* Every target is one hop away, from our configured address. */
static int
sim_route(void *arg, const struct target_addr *dst, struct probe_ctx *ctx,
    char **cause)
{
	struct transport_sim	*sim = arg;

	if (dst->family != sim->cfg.src.family) {
		xasprintf(cause, "sim: no route to that family");
		return (-1);
	}
	ctx->src = sim->cfg.src;
	return (0);
}

static int
sim_fd(void *arg)
{
	struct transport_sim	*sim = arg;

	return (sim->timerfd);
}

static int
sim_send(void *arg, const struct probe_target *t, enum probe_kind kind,
    const struct probe_packet *pkt, char **cause)
{
	struct transport_sim			*sim = arg;
	const struct transport_sim_hosts	*h;
	struct sim_state			*st;
	struct sim_probe			 sp;
	struct probe_reply			 r;
	uint64_t				 now, key, at;

	sim->stats.probes++;
	if (kind != PROBE_RAW_IP || sim_parse(pkt, &sp) != 0 ||
	    (h = sim_find(sim, &sp.dst)) == NULL)
		return (0);
	if (sim->burst_ns == 0)
		sim->burst_ns = clock_now_ns();
	now = sim->burst_ns;
	st = sim_state(sim, h, &sp.dst, now);
	if (st != NULL && ++st->probes == h->rst_after)
		rate_set(&st->rst, h->rst_rate_after, now);
	if (st != NULL && h->die_after != 0 && st->probes > h->die_after) {
		sim->stats.dead++;
		return (0);
	}
	/*
	 * Each try of each probe is lost, or not, on its own: a probe is
	 * its protocol, port and, for ICMP, type and code; not its source
	 * port, which is keyed by the scan's secret and would make every
	 * run of a test take another course.
	 */
	key = (uint64_t)sp.proto << 56 | (uint64_t)t->try << 48 |
	    (uint64_t)t->port << 16;
	if (sp.proto == IPPROTO_ICMP || sp.proto == IPPROTO_ICMPV6)
		key |= (uint64_t)sp.l4[0] << 40 | (uint64_t)sp.l4[1] << 32;
	if (h->loss_pm != 0 && (sim_hash(sim, &sp.dst, key | 1) % 1000 <
	    h->loss_pm || sim_hash(sim, &sp.dst, key | 2) % 1000 <
	    h->loss_pm)) {
		sim->stats.lost++;
		return (0);
	}
	if (!sim_answer(sim, h, st, &sp, &r, now))
		return (0);
	at = now + (uint64_t)h->rtt_us * 1000;
	if (h->jitter_us != 0)
		at = at - (uint64_t)h->jitter_us * 1000 +
		    sim_hash(sim, &sp.dst, key | 3) %
		    ((uint64_t)h->jitter_us * 2000 + 1);
	sim_push(sim, at, &r);
	if (sim->armed_ns == 0 || at < sim->armed_ns)
		sim_arm(sim, now);
	return (0);
}

static int
sim_read(void *arg, void (*fn)(void *, const struct probe_reply *),
    void *fnarg, char **cause)
{
	struct transport_sim	*sim = arg;
	struct probe_reply	 r;
	uint64_t		 expired, now = clock_now_ns();

	(void)read(sim->timerfd, &expired, sizeof expired);
	sim->armed_ns = 0;
	while (sim->n > 0 && sim->heap[0].at_ns <= now) {
		sim_pop(sim, &r);
		sim->stats.replies++;
		fn(fnarg, &r);
	}
	sim_arm(sim, now);
	return (0);
}

/* The burst is out: the next probe reads the clock again. */
static int
sim_flush(void *arg, char **cause)
{
	struct transport_sim	*sim = arg;

	sim->burst_ns = 0;
	return (0);
}

static void
sim_close(void *arg)
{
}
