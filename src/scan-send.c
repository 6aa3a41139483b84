/*
 * The engine's sending policy: which host sends next (round robin over
 * the group's hosts that may send, pulling pairs from the iterator into
 * the hosts' queues as they run dry), which of its probes (a
 * retransmission, discovery, then ports) and whether every limit allows
 * it, checked in one place (scan_send and scan_send_can):
 *
 *	the scan's congestion window and token bucket (the plan's
 *	max_rate), then the host's congestion window capped by
 *	host_max_outstanding, its token bucket (host_max_rate) and its
 *	scan delay (scan_delay, raised when it rate-limits). While the
 *	scan sends slower than the plan's min_rate (--min-rate, unlocked
 *	profiles only), the congestion windows give way.
 *
 * Before those, the state entries the scan's probes leave in the NAT
 * and firewall devices on their way (max_state_entries): while the
 * model of them (state-model.c) is at its cap, nothing is sent. An
 * entry is born with each probe (each try goes from a source port of
 * its own, so it is a tuple of its own) and ends early when a RST ends
 * the exchange: the target's, or ours after its SYN-ACK.
 *
 * A probe not answered within the host's RTT timeout is a drop: it is
 * sent again up to max_retries times (fewer while the host loses little,
 * see scan_send_retries), then settles as filtered (no-response) once
 * its host has nothing else to do (scan_send_park). Windows grow on answers and shrink (once a window) on
 * proof of loss, a retransmission that is answered; a filtered port is
 * not congestion.
 *
 * The round robin costs the same with 16 hosts or 16384: it walks only
 * the hosts that may send (ready_low and ready_high, FIFOs). A host
 * that turns out not to may, when it is taken, leaves them for where it
 * waits: the wheel of hosts waiting for their scan delay or a token
 * (waits), the list of those whose own window is full (full, which
 * --min-rate may pass) or nowhere, until scan_send_wake puts it back:
 * a probe of its own answered, given up or freed, work added. Hosts
 * below SCAN_HOST_CWND_MIN outstanding are kept apart (ready_low), since
 * a full scan window holds back only the others. A call sends at most
 * SCAN_SEND_BURST probes, so that the loop reads the replies in between.
 */
#include <sys/epoll.h>

#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "event.h"
#include "port-spec.h"
#include "scan-engine.h"
#include "state-model.h"
#include "tact.h"
#include "transport.h"
#include "xmalloc.h"

#define SCAN_SEND_BURST		256	/* probes a call, at most */

/*
 * The entry each kind of probe leaves in a tracking device; ARP and ND
 * leave none. Tuples of one protocol meet: the ACK of discovery and the
 * SYN of a port scan to port 80 are one entry. An ICMP query is told
 * apart by its type.
 */
static const struct {
	const struct probe_ops	*ops;
	enum state_class	 class;
	uint8_t			 proto;		/* IPPROTO_* */
	uint16_t		 type;		/* ICMP; 0: the probe's port */
} scan_send_states[] = {
	{ &probe_tcp_syn, STATE_TCP, IPPROTO_TCP, 0 },
	{ &probe_tcp_ack, STATE_TCP, IPPROTO_TCP, 0 },
	{ &probe_tcp_connect, STATE_TCP, IPPROTO_TCP, 0 },
	{ &probe_udp, STATE_UDP, IPPROTO_UDP, 0 },
	{ &probe_icmp_echo, STATE_ICMP, IPPROTO_ICMP, 8 },
	{ &probe_icmp_tstamp, STATE_ICMP, IPPROTO_ICMP, 13 },
};

/* The reasons of an exchange a RST ends, the target's or ours. */
static const uint8_t scan_send_closing[] = {
	EVENT_REASON_RESET,		/* the target's */
	EVENT_REASON_CONN_REFUSED,	/* the target's, to connect() */
	EVENT_REASON_SYN_ACK,		/* ours: the kernel's, or connect's */
};

static bool	scan_send_can(const struct scan *, const struct scan_host *,
		    uint64_t);
static struct scan_host *scan_send_pull(struct scan *);
static bool	scan_send_full(const struct scan *, bool);
static void	scan_send_block(struct scan *, struct scan_host *, uint64_t);
static struct scan_host *scan_send_next(struct scan *, uint64_t);
static struct scan_probe *scan_send_take(struct scan *, struct scan_host *);
static void	scan_send_probe(struct scan *, struct scan_probe *, uint64_t);

bool
scan_send_has_work(const struct scan_host *h)
{
	if (h->retry.head != NULL)
		return (true);
	if (h->phase == PHASE_DISCOVER)
		return (h->disc_next < h->ndisc);
	return (h->phase == PHASE_UP && h->bhead != h->btail);
}

/*
 * May the host be sent a probe now? The scan's window (which a host
 * below its floor may pass, so that one host's filtered ports cannot
 * starve the others), its own window, bucket and delay.
 */
bool
scan_send_behind(const struct scan *s, uint64_t now)
{
	return (s->plan->min_rate > 0 && rate_wait(&s->min_rate, now) == 0);
}

static bool
scan_send_can(const struct scan *s, const struct scan_host *h, uint64_t now)
{
	uint32_t	win = timing_cwnd_get(&h->cwnd);
	bool		behind = scan_send_behind(s, now);

	if (win > s->host_max_out)
		win = s->host_max_out;
	if (!behind && s->outstanding >= timing_cwnd_get(&s->cwnd) &&
	    h->outstanding >= SCAN_HOST_CWND_MIN)
		return (false);
	/* While a heartbeat is out, it alone is sent. */
	if (h->heartbeat && (h->retry.head == NULL || !h->retry.head->heartbeat))
		return (false);
	return ((h->outstanding < win || (behind &&
	    h->outstanding < s->host_max_out)) && now >= h->next_ns &&
	    rate_wait(&h->rate, now) == 0);
}

/* Pull the next pair of the group into its host's queue. */
static struct scan_host *
scan_send_pull(struct scan *s)
{
	struct scan_host	*h;
	uint64_t		 pair, next;

	if (s->iter_end)
		return (NULL);
	if (!target_iter_next(&s->iter, &pair)) {
		s->iter_end = true;
		for (pair = 0; pair < s->nhosts; pair++)
			scan_send_flush(s, &s->hosts[pair]);
		return (NULL);
	}
	if (target_iter_peek(&s->iter, &next))
		scan_host_prefetch(&s->hosts[next / s->nports]);
	h = &s->hosts[pair / s->nports];
	if (h->phase == PHASE_DOWN || h->phase == PHASE_SILENT ||
	    h->phase == PHASE_TIMEOUT ||
	    scan_resume_decided(s, h, pair % s->nports)) {
		scan_pair_done(s, h, 1);
		return (h);
	}
	if (h->btail == h->bsize) {
		if (h->bhead > 0) {
			memmove(h->backlog, h->backlog + h->bhead,
			    (h->btail - h->bhead) * sizeof *h->backlog);
			h->btail -= h->bhead;
			h->bhead = 0;
		} else {
			h->bsize = h->bsize == 0 ? 16 : h->bsize * 2;
			h->backlog = xreallocarray(h->backlog, h->bsize,
			    sizeof *h->backlog);
		}
	}
	h->backlog[h->btail++] = (uint16_t)(pair % s->nports);
	scan_send_wake(s, h);
	return (h);
}

/* Is the scan's window full for hosts at or above their floor? */
static bool
scan_send_full(const struct scan *s, bool behind)
{
	return (!behind && s->outstanding >= timing_cwnd_get(&s->cwnd));
}

/*
 * A host with work (or it might have) may send again: back in the
 * ready queue its outstanding probes say, unless it is there already.
 */
void
scan_send_wake(struct scan *s, struct scan_host *h)
{
	struct timer_list	*l;

	l = h->outstanding < SCAN_HOST_CWND_MIN ? &s->ready_low :
	    &s->ready_high;
	if (h->sched.list == l || h->sched.list == &s->ready_low)
		return;
	timer_entry_unlink(&h->sched);
	timer_list_append(l, &h->sched);
}

/* Host h, taken from a queue, may not send now: where it waits. */
static void
scan_send_block(struct scan *s, struct scan_host *h, uint64_t now)
{
	uint32_t	win = timing_cwnd_get(&h->cwnd);
	bool		behind = scan_send_behind(s, now);
	uint64_t	t;

	if (win > s->host_max_out)
		win = s->host_max_out;
	if (scan_send_full(s, behind) && h->outstanding >= SCAN_HOST_CWND_MIN)
		timer_list_append(&s->ready_high, &h->sched);
	else if (h->heartbeat &&
	    (h->retry.head == NULL || !h->retry.head->heartbeat))
		return;		/* until the heartbeat is answered */
	else if (h->outstanding >= win && !(behind &&
	    h->outstanding < s->host_max_out)) {
		if (s->plan->min_rate > 0 && h->outstanding < s->host_max_out)
			timer_list_append(&s->full, &h->sched);
	} else {
		t = now + rate_wait(&h->rate, now);
		timer_wheel_add(&s->waits, &h->sched,
		    t > h->next_ns ? t : h->next_ns);
	}
}

/* The next host, round robin, that has work and may send now. */
static struct scan_host *
scan_send_next(struct scan *s, uint64_t now)
{
	struct timer_entry	*e;
	struct scan_host	*h;
	bool			 behind = scan_send_behind(s, now);

	while ((e = timer_wheel_due(&s->waits, now)) != NULL)
		scan_send_wake(s, SCAN_HOST_OF(e));
	for (;;) {
		if ((e = timer_list_pop(&s->ready_low)) == NULL &&
		    !scan_send_full(s, behind))
			e = timer_list_pop(&s->ready_high);
		if (e == NULL && behind)
			e = timer_list_pop(&s->full);
		if (e == NULL)
			break;
		h = SCAN_HOST_OF(e);
		if (!scan_send_can(s, h, now)) {
			scan_send_block(s, h, now);
			continue;
		}
		/* A host that may send but has run dry: refill it. */
		while (h->phase == PHASE_UP && !scan_send_has_work(h) &&
		    scan_send_pull(s) != NULL)
			;
		timer_entry_unlink(&h->sched);
		if (scan_send_has_work(h)) {
			if (s->ready_low.head != NULL)
				scan_host_prefetch(
				    SCAN_HOST_OF(s->ready_low.head));
			return (h);
		}
		/* Nothing to do: out of the queues until work comes. */
	}
	/* Nobody ready has work: pull pairs until one has. */
	while ((h = scan_send_pull(s)) != NULL) {
		if (scan_send_has_work(h) && scan_send_can(s, h, now)) {
			timer_entry_unlink(&h->sched);
			return (h);
		}
	}
	return (NULL);
}

/*
 * When a host may send next, as far as the hosts know (the scan's own
 * limits are the caller's): now if one is ready, when --min-rate's next
 * token lets a full window pass, or when the first waiting host's delay
 * or token comes; UINT64_MAX if none will without an answer.
 */
uint64_t
scan_send_when(struct scan *s, uint64_t now)
{
	uint64_t	send, t;

	if (s->ready_low.head != NULL || (s->ready_high.head != NULL &&
	    !scan_send_full(s, scan_send_behind(s, now))))
		return (now);
	send = timer_wheel_next(&s->waits);
	if (s->plan->min_rate > 0 && (s->full.head != NULL ||
	    s->ready_high.head != NULL) &&
	    (t = now + rate_wait(&s->min_rate, now)) < send)
		send = t;
	return (send);
}

/*
 * The host's next probe: a retransmission, discovery, then ports. While
 * both wait, retransmissions and new probes take turns, so that a port
 * that drops everything cannot hide that the rest of the host answers.
 */
static struct scan_probe *
scan_send_take(struct scan *s, struct scan_host *h)
{
	struct scan_probe	*p;
	const struct scan_disc	*d;
	uint16_t		 idx;
	bool			 fresh;

	fresh = h->phase == PHASE_UP ? h->bhead != h->btail :
	    h->phase == PHASE_DISCOVER && h->disc_next < h->ndisc;
	if ((p = h->retry.head) != NULL &&
	    (!fresh || !h->fresh_next || p->heartbeat)) {
		h->fresh_next = true;
		scan_list_remove(&h->retry, p);
		return (p);
	}
	h->fresh_next = false;
	if (h->phase == PHASE_DISCOVER) {
		d = &h->disc[h->disc_next++];
		p = scan_probe_new(s, h, d->ops, d->port);
		p->discovery = true;
		return (p);
	}
	idx = h->backlog[h->bhead++];
	p = scan_probe_new(s, h, s->plan->ports.v[idx].proto == PORT_UDP ?
	    &probe_udp : s->port_ops, s->plan->ports.v[idx].port);
	return (p);
}

static void
scan_send_probe(struct scan *s, struct scan_probe *p, uint64_t now)
{
	struct scan_host	*h = p->host;
	struct scan_wire	*w;
	struct probe_target	 t;
	struct probe_packet	 pkt;
	struct probe_verdict	 v;
	struct probe_reply	 r;
	struct epoll_event	 ev;
	char			*cause = NULL;

	memset(&t, 0, sizeof t);
	t.dst = h->addr;
	t.port = p->port;
	t.try = p->tries;
	t.sport0 = p->sport0;
	if (p->fd != -1) {
		close(p->fd);
		p->fd = -1;
	}
	w = scan_wire(s, h->addr.family);
	if (p->ops->make(&w->ctx, &t, &pkt, &cause) != 0 ||
	    (p->ops->kind != PROBE_SOCKET &&
	    s->tops->send(w->tr, &t, p->ops->kind, &pkt, &cause) < 0)) {
		s->stop = true;
		if (s->cause == NULL)
			s->cause = cause;
		else
			free(cause);
		scan_list_append(&h->retry, p);
		return;
	}
	p->sport0 = pkt.sport0;
	scan_send_state(s, p, p->tries, NULL, now);
	if (s->cfg.trace != NULL)
		scan_send_trace(s, p, NULL, p->tries);
	if (p->tries > 0)
		s->stats.retransmits++;
	if (p->tries == 0)
		p->first_ns = now;
	p->tries++;
	p->sent_ns = now;
	p->deadline_ns = now + timing_rtt_timeout(&h->rtt) * 1000;
	p->outstanding = true;
	p->fd = pkt.fd;
	scan_list_append(&h->out, p);
	timer_wheel_add(&s->timeouts, &p->timeout, p->deadline_ns);
	s->outstanding++;
	h->outstanding++;
	h->probes++;
	s->stats.probes++;
	if (h->probes > s->stats.max_host_probes)
		s->stats.max_host_probes = h->probes;
	h->next_ns = now + h->delay.delay_us * 1000;
	if (p->ops->kind != PROBE_SOCKET)
		return;
	if (pkt.done) {
		memset(&r, 0, sizeof r);
		r.type = PROBE_REPLY_SOCKET;
		r.error = pkt.error;
		p->ops->classify(&r, &v);
		scan_host_answer(s, p, &v, 0, (uint8_t)(p->tries - 1), now);
		return;
	}
	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLOUT;
	ev.data.ptr = p;
	if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, p->fd, &ev) == -1) {
		s->stop = true;
		if (s->cause == NULL)
			xasprintf(&s->cause, "epoll: %s", strerror(errno));
	}
}

/* --packet-trace: probe p, sent (v NULL) or answered with v. */
void
scan_send_trace(struct scan *s, const struct scan_probe *p,
    const struct probe_verdict *v, uint8_t try)
{
	struct scan_trace	t;

	memset(&t, 0, sizeof t);
	t.sent = v == NULL;
	t.probe = p->ops->name;
	t.addr = p->host->addr;
	t.port = p->port;
	t.proto = p->proto;
	t.try = try;
	if (v != NULL) {
		t.state = p->discovery ? 0 : v->port_state;
		t.reason = v->reason;
		t.host_up = v->host_up;
	}
	s->cfg.trace(s->cfg.trace_arg, &t);
}

/*
 * Send what the limits allow now, up to SCAN_SEND_BURST probes, and
 * hand the transport's batch to the wire.
 */
void
scan_send(struct scan *s, uint64_t now)
{
	struct scan_host	*h;
	struct scan_probe	*p;
	size_t			 n = 0, i;
	char			*cause = NULL;

	while (!s->stop && !s->paused && n < SCAN_SEND_BURST &&
	    rate_wait(&s->rate, now) == 0 && !scan_send_state_full(s, now)) {
		if ((h = scan_send_next(s, now)) == NULL)
			break;
		p = scan_send_take(s, h);
		rate_take(&s->rate, now);
		rate_take(&h->rate, now);
		if (s->plan->min_rate > 0)
			rate_take(&s->min_rate, now);
		scan_send_probe(s, p, now);
		/* Round robin: to the back of the queue. */
		scan_send_wake(s, h);
		n++;
	}
	if (s->tops == NULL || s->tops->flush == NULL)
		return;
	for (i = 0; i < nitems(s->wire); i++) {
		if (s->wire[i].tr == NULL ||
		    s->tops->flush(s->wire[i].tr, &cause) == 0)
			continue;
		s->stop = true;
		if (s->cause == NULL)
			s->cause = cause;
		else
			free(cause);
		return;
	}
}

/*
 * How many times a probe may be resent: discovery and heartbeats the
 * plan's discovery retries; a port probe once while its host has lost
 * nothing (as Nmap: one try past the latest any probe of the host
 * needed), more as the host shows loss (timing_retries), at most the
 * profile's max_retries.
 */
uint32_t
scan_send_retries(const struct scan *s, const struct scan_probe *p)
{
	if (p->discovery || p->heartbeat)
		return (s->plan->disc_retries);
	return (timing_retries(p->host->lost, p->host->answered,
	    s->plan->max_retries));
}

/*
 * A port probe out of tries waits (up to SCAN_PARKED_MAX a host, the
 * oldest settling first) until its host has nothing else to do: if the
 * host turns out to lose probes after all, it is resent.
 */
void
scan_send_park(struct scan *s, struct scan_probe *p)
{
	struct scan_host	*h = p->host;

	p->parked = true;
	scan_list_append(&h->parked, p);
	if (++h->nparked > SCAN_PARKED_MAX)
		scan_loop_filtered(s, h->parked.head);
}

/* The host's loss grew: resend what it now allows. */
void
scan_send_unpark(struct scan *s, struct scan_host *h)
{
	struct scan_probe	*p, *next;

	for (p = h->parked.head; p != NULL; p = next) {
		next = p->next;
		if (p->tries > scan_send_retries(s, p))
			continue;
		scan_list_remove(&h->parked, p);
		h->nparked--;
		p->parked = false;
		scan_list_append(&h->retry, p);
	}
	scan_send_wake(s, h);
}

/* Settle the parked ports of a host with nothing left to do. */
void
scan_send_flush(struct scan *s, struct scan_host *h)
{
	if (!s->iter_end || h->outstanding != 0 || h->retry.head != NULL ||
	    h->bhead != h->btail)
		return;
	while (h->parked.head != NULL)
		scan_loop_filtered(s, h->parked.head);
}

/*
 * Is the model of state entries at its cap, once what is over by now
 * is forgotten? Never without a cap.
 */
bool
scan_send_state_full(struct scan *s, uint64_t now)
{
	if (s->state == NULL)
		return (false);
	state_model_expire(s->state, now);
	return (state_model_full(s->state));
}

/*
 * The entry of probe p's try-th transmission: born when it goes out (v
 * NULL), ended early when the verdict on it is one a RST ends.
 */
void
scan_send_state(struct scan *s, const struct scan_probe *p, uint8_t try,
    const struct probe_verdict *v, uint64_t now)
{
	struct state_key	k;
	size_t			i, j;

	if (s->state == NULL)
		return;
	for (i = 0; i < nitems(scan_send_states); i++) {
		if (scan_send_states[i].ops == p->ops)
			break;
	}
	if (i == nitems(scan_send_states))
		return;
	memset(&k, 0, sizeof k);
	k.addr = p->host->addr;
	k.port = scan_send_states[i].type != 0 ? scan_send_states[i].type :
	    p->port;
	k.proto = scan_send_states[i].proto;
	/* From one source port (-g), a TCP or UDP probe's tries share it. */
	k.try = s->wire[0].ctx.sport_fixed != 0 && (k.proto == IPPROTO_TCP ||
	    k.proto == IPPROTO_UDP) ? 0 : try;
	if (v == NULL) {
		state_model_open(s->state, &k, scan_send_states[i].class, now);
		if (state_model_count(s->state) > s->stats.state_peak)
			s->stats.state_peak = state_model_count(s->state);
		return;
	}
	for (j = 0; j < nitems(scan_send_closing); j++) {
		if (scan_send_closing[j] == v->reason) {
			state_model_close(s->state, &k, now);
			return;
		}
	}
}
