/*
 * What the engine learns of a host: a reply from the wire (matched to
 * its probe by each probe kind in use) or a connect's outcome becomes a
 * port state, a host up or down; a host that stops answering is asked
 * again on a port that answered (a heartbeat) and, unanswered, is
 * silent. Every fact becomes an event record: a closed or filtered port
 * is deferred and goes out in a port-run record with the host's others
 * of the same state, reason and TTL (scan_host_flush: each second once 64
 * are deferred or the first a minute ago, and before the host's silent or
 * done), every other one in a record of its own at once.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "event.h"
#include "port-spec.h"
#include "scan-engine.h"
#include "xmalloc.h"

static void	scan_host_emit_name(struct scan *, struct scan_host *);
static void	scan_host_warn(struct scan *, const struct target_addr *,
		    const char *);
static void	scan_host_give_up(struct scan *, struct scan_host *,
		    enum scan_phase, uint8_t, char *);

/* The name the host was given as, if any, before its first state. */
static void
scan_host_emit_name(struct scan *s, struct scan_host *h)
{
	struct event_host_name	*e;
	const char		*name;
	size_t			 len;

	h->named = true;
	name = target_set_hostname(s->plan->targets, s->group_first + h->slot);
	if (name == NULL)
		return;
	len = strlen(name);
	e = xcalloc(1, sizeof *e + len);
	e->addr = h->addr;
	e->type = EVENT_NAME_USER;
	e->len = (uint32_t)len;
	memcpy(e + 1, name, len);
	event_stream_emit(s->es, EVENT_HOST_NAME, e, sizeof *e + len);
	free(e);
}

void
scan_host_emit(struct scan *s, struct scan_host *h, uint8_t state)
{
	struct event_host	e;

	if (!h->named)
		scan_host_emit_name(s, h);
	memset(&e, 0, sizeof e);
	e.addr = h->addr;
	e.state = state;
	e.reason = h->reason;
	e.ttl = h->ttl;
	e.rtt_us = h->rtt_us;
	e.probes = h->probes;
	event_stream_emit(s->es, EVENT_HOST_STATE, &e, sizeof e);
}

/*
 * A port decided: closed and filtered ones wait for a port-run record,
 * as a key of their kind (protocol, state, reason, TTL) and port.
 */
void
scan_host_port(struct scan *s, struct scan_host *h, const struct event_port *e)
{
	if (e->state != EVENT_PORT_CLOSED && e->state != EVENT_PORT_FILTERED) {
		event_stream_emit(s->es, EVENT_PORT_STATE, e, sizeof *e);
		return;
	}
	if (h->ndeferred == 0)
		h->deferred_ns = clock_now_ns();
	if (h->ndeferred == h->adeferred) {
		h->adeferred = h->adeferred == 0 ? 64 : h->adeferred * 2;
		h->deferred = xreallocarray(h->deferred, h->adeferred,
		    sizeof *h->deferred);
	}
	h->deferred[h->ndeferred++] = (uint64_t)e->proto << 40 |
	    (uint64_t)e->state << 32 | (uint64_t)e->reason << 24 |
	    (uint64_t)e->ttl << 16 | e->port;
	if (h->ndeferred == SCAN_RUN_MAX)
		scan_host_flush(s, h);
}

/*
 * The host's deferred ports, a port-run record for each kind: the ports
 * of the first kind left are marked in a bitmap of every port (and the
 * others kept), then read from it in order; a host has a kind or two.
 */
void
scan_host_flush(struct scan *s, struct scan_host *h)
{
	uint64_t	kind, w;
	size_t		i, k, n, len, lo, hi;

	if (s->run == NULL) {
		s->run = xmalloc(EVENT_PORT_RUN_MAX(SCAN_RUN_MAX));
		s->run_ports = xreallocarray(NULL, SCAN_RUN_MAX,
		    sizeof *s->run_ports);
		s->run_bits = xcalloc(65536 / 64, sizeof *s->run_bits);
	}
	while (h->ndeferred > 0) {
		kind = h->deferred[0] >> 16;
		lo = 65535;
		hi = 0;
		for (i = k = 0; i < h->ndeferred; i++) {
			w = h->deferred[i];
			if (w >> 16 != kind) {
				h->deferred[k++] = w;
				continue;
			}
			w &= 0xffff;
			s->run_bits[w / 64] |= 1ULL << (w % 64);
			if (w < lo)
				lo = w;
			if (w > hi)
				hi = w;
		}
		h->ndeferred = k;
		n = 0;
		for (i = lo / 64; i <= hi / 64; i++) {
			for (w = s->run_bits[i]; w != 0; w &= w - 1)
				s->run_ports[n++] = (uint16_t)(i * 64 +
				    (size_t)__builtin_ctzll(w));
			s->run_bits[i] = 0;
		}
		memset(s->run, 0, sizeof *s->run);
		s->run->addr = h->addr;
		s->run->proto = (uint8_t)(kind >> 24);
		s->run->state = (uint8_t)(kind >> 16);
		s->run->reason = (uint8_t)(kind >> 8);
		s->run->ttl = (uint8_t)kind;
		len = event_port_run_encode(s->run, s->run_ports, n);
		event_stream_emit(s->es, EVENT_PORT_RUN, s->run, len);
	}
}

static void
scan_host_warn(struct scan *s, const struct target_addr *addr, const char *text)
{
	struct event_warning	*w;
	size_t			 len = strlen(text);

	w = xcalloc(1, sizeof *w + len);
	if (addr != NULL)
		w->addr = *addr;
	w->len = (uint32_t)len;
	memcpy(w + 1, text, len);
	event_stream_emit(s->es, EVENT_WARNING, w, sizeof *w + len);
	free(w);
}

/* The host answered discovery (or needs none): scan its ports. */
void
scan_host_up(struct scan *s, struct scan_host *h, uint8_t reason, uint8_t ttl,
    uint64_t rtt_us)
{
	struct scan_probe	*p, *next;

	h->phase = PHASE_UP;
	h->reason = reason;
	h->ttl = ttl;
	h->rtt_us = (uint32_t)rtt_us;
	h->disc_left = 0;
	for (p = h->out.head; p != NULL; p = next) {
		next = p->next;
		if (p->discovery)
			scan_probe_free(s, p);
	}
	while ((p = h->retry.head) != NULL)
		scan_probe_free(s, p);
	scan_send_wake(s, h);
	s->hosts_up++;
	scan_host_emit(s, h, EVENT_HOST_UP);
}

/*
 * The host is down or went silent: drop what it still had to do, and
 * count its pairs as done.
 */
void
scan_host_settle(struct scan *s, struct scan_host *h, enum scan_phase phase)
{
	struct scan_probe	*p, *next;

	h->phase = phase;
	for (p = h->out.head; p != NULL; p = next) {
		next = p->next;
		if (!p->discovery && !p->heartbeat)
			scan_pair_done(s, h, 1);
		scan_probe_free(s, p);
	}
	while ((p = h->retry.head) != NULL) {
		if (!p->discovery && !p->heartbeat)
			scan_pair_done(s, h, 1);
		scan_probe_free(s, p);
	}
	while ((p = h->parked.head) != NULL) {
		scan_pair_done(s, h, 1);
		scan_probe_free(s, p);
	}
	h->heartbeat = false;
	scan_pair_done(s, h, h->btail - h->bhead);
	h->bhead = h->btail = 0;
	h->disc_left = 0;
	scan_host_flush(s, h);
}

/*
 * A host that answered and then stopped? When as many probes in a row
 * went unanswered as its answer rate makes (nearly) impossible by chance,
 * and a second has passed without an answer, ask again on a port that
 * answered before (a heartbeat). Only if that fails too is the host
 * silent; a heartbeat that is answered makes the next one wait twice as
 * long, so that a run of filtered ports costs few of them.
 */
void
scan_host_check_silent(struct scan *s, struct scan_host *h, uint64_t now)
{
	struct scan_probe	*p;
	double			 answered;
	uint64_t		 need;

	if (h->phase != PHASE_UP || h->heartbeat || h->alive_port < 0 ||
	    now - h->last_reply_ns < SCAN_SILENT_NS)
		return;
	answered = (double)h->replies /
	    (double)(h->replies + h->drops - h->streak);
	need = SCAN_SILENT_MIN;
	if (answered < 0.999)
		need = (uint64_t)ceil(log(1e-4) / log(1 - answered));
	if (need < h->hb_need)
		need = h->hb_need;
	if (h->streak < need ||
	    scan_probe_find(s, h, s->port_ops, (uint16_t)h->alive_port) != NULL)
		return;
	p = scan_probe_new(s, h, s->port_ops, (uint16_t)h->alive_port);
	p->heartbeat = true;
	scan_list_prepend(&h->retry, p);
	h->heartbeat = true;
	scan_send_wake(s, h);
}

/*
 * Has the host pairs not yet settled (or is it still in discovery)? All
 * of its ports, or with --shard-pairs, the iterator's end and nothing of
 * its own left.
 */
bool
scan_host_unfinished(const struct scan *s, const struct scan_host *h)
{
	if (h->phase == PHASE_DISCOVER)
		return (true);
	if (h->phase != PHASE_UP)
		return (false);
	if (s->plan->pair_count <= 1)
		return (h->done < s->nports);
	return (!s->iter_end || h->outstanding != 0 ||
	    h->retry.head != NULL || h->parked.head != NULL ||
	    h->bhead != h->btail);
}

/* Give up on the host: settle it in phase, record state, warn (text). */
static void
scan_host_give_up(struct scan *s, struct scan_host *h, enum scan_phase phase,
    uint8_t state, char *text)
{
	scan_host_settle(s, h, phase);
	scan_host_emit(s, h, state);
	scan_host_warn(s, &h->addr, text);
	free(text);
}

/*
 * The host took longer than host_timeout (--host-timeout): abandoned, as
 * Nmap does. Its pairs and its ports' -sV are dropped, and its record
 * says it timed out, which takes what it found so far out of the results.
 */
void
scan_host_timeout(struct scan *s, struct scan_host *h)
{
	char	*text, addr[64];

	xasprintf(&text, "%s took longer than the host timeout (%.3f s): "
	    "skipped, its ports left out",
	    target_addr_str(&h->addr, addr, sizeof addr),
	    s->plan->host_timeout / 1000.0);
	scan_service_abandon(s, h);
	scan_host_give_up(s, h, PHASE_TIMEOUT, EVENT_HOST_TIMEOUT, text);
}

/* The heartbeat went unanswered: the host is silent. */
void
scan_host_silent(struct scan *s, struct scan_host *h)
{
	char	*text, addr[64];

	xasprintf(&text, "%s went silent after %llu probes (%llu "
	    "unanswered in a row); not probing it further",
	    target_addr_str(&h->addr, addr, sizeof addr),
	    (unsigned long long)h->probes, (unsigned long long)h->streak);
	scan_host_give_up(s, h, PHASE_SILENT, EVENT_HOST_SILENT, text);
}

/* A verdict on probe p, from its try-th transmission. */
void
scan_host_answer(struct scan *s, struct scan_probe *p, const struct probe_verdict *v,
    uint8_t ttl, uint8_t try, uint64_t now)
{
	struct scan_host	*h = p->host;
	struct event_port	 e;
	uint64_t		 rtt = 0;

	scan_send_state(s, p, try, v, now);
	if (s->cfg.trace != NULL)
		scan_send_trace(s, p, v, try);
	s->stats.replies++;
	h->replies++;
	h->streak = 0;
	h->last_reply_ns = now;
	if (p->outstanding && try + 1 == p->tries) {
		rtt = (now - p->sent_ns) / 1000;
		timing_rtt_sample(&h->rtt, rtt);
	}
	if (try > 0 && !p->discovery) {
		/* Proof of a loss: an earlier try got lost on the way. */
		timing_cwnd_drop(&h->cwnd, p->first_ns, now);
		timing_cwnd_drop(&s->cwnd, p->first_ns, now);
	} else {
		timing_cwnd_reply(&h->cwnd);
		timing_cwnd_reply(&s->cwnd);
	}
	timing_delay_reply(&h->delay, try > 0);
	if (p->heartbeat) {
		h->heartbeat = false;
		h->hb_need = h->hb_need * 2;
		scan_probe_free(s, p);
		/* It may have been the last thing out of a parked host. */
		scan_send_flush(s, h);
		return;
	}
	if (!p->discovery) {
		h->answered++;
		h->lost += try;
		if (try > 0)
			scan_send_unpark(s, h);
	}
	if (!p->discovery && v->host_up && p->ops == s->port_ops &&
	    (v->port_state == EVENT_PORT_OPEN || !h->open_alive)) {
		h->alive_port = p->port;
		h->open_alive = v->port_state == EVENT_PORT_OPEN;
	}
	if (p->discovery) {
		if (v->host_up && h->phase == PHASE_DISCOVER) {
			scan_host_up(s, h, v->reason, ttl, rtt);
			return;
		}
		scan_probe_free(s, p);
		if (h->phase == PHASE_DISCOVER && --h->disc_left == 0) {
			h->reason = v->reason;
			scan_host_settle(s, h, PHASE_DOWN);
			s->hosts_down++;
			scan_host_emit(s, h, EVENT_HOST_DOWN);
		}
		return;
	}
	memset(&e, 0, sizeof e);
	e.addr = h->addr;
	e.port = p->port;
	e.proto = p->proto;
	e.state = v->port_state;
	e.reason = v->reason;
	e.ttl = ttl;
	e.tries = p->tries;
	e.rtt_us = (uint32_t)rtt;
	if (e.state == EVENT_PORT_OPEN)
		s->open_ports++;
	if (e.state == EVENT_PORT_OPEN)
		scan_service_add(s, h, e.port, e.proto, true);
	scan_pair_done(s, h, 1);
	scan_probe_free(s, p);
	scan_host_port(s, h, &e);
	scan_send_flush(s, h);
}

/* A reply from the wire: which probe, if any, it answers. */
void
scan_host_reply(void *arg, const struct probe_reply *r)
{
	struct scan		*s = arg;
	const struct probe_ops	*ops;
	struct scan_host	*h;
	struct scan_probe	*p;
	struct probe_target	 t;
	struct probe_verdict	 v;
	size_t			 i;

	for (i = 0; i < s->nops; i++) {
		ops = s->ops[i];
		if (!ops->match(&scan_wire(s, r->from.family)->ctx, r, &t))
			continue;
		if ((h = scan_group_host(s, &t.dst)) == NULL)
			continue;
		/* Its lines come in while its probe is looked for. */
		scan_host_prefetch(h);
		if ((p = scan_probe_find(s, h, ops, t.port)) == NULL ||
		    t.try >= p->tries)
			continue;
		ops->classify(r, &v);
		scan_host_answer(s, p, &v, r->ttl, t.try, s->batch_ns);
		return;
	}
}
