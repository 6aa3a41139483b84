/*
 * The engine's sending policy: which host sends next (round robin over
 * the group, pulling pairs from the iterator into the hosts' queues as
 * they run dry), which of its probes (a retransmission, discovery, then
 * ports) and whether every limit allows it, checked in one place
 * (scan_send and scan_send_can):
 *
 *	the scan's congestion window and token bucket (the plan's
 *	max_rate), then the host's congestion window capped by
 *	host_max_outstanding, its token bucket (host_max_rate) and its
 *	scan delay (scan_delay, raised when it rate-limits).
 *
 * A probe not answered within the host's RTT timeout is a drop: it is
 * sent again up to max_retries times (fewer while the host has never
 * needed them, see scan_send_retries), then settles as filtered
 * (no-response). Windows grow on answers and shrink (once a window) on
 * proof of loss, a retransmission that is answered; a filtered port is
 * not congestion.
 */
#include <sys/epoll.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "event.h"
#include "port-spec.h"
#include "scan-engine.h"
#include "transport.h"
#include "xmalloc.h"

#define SCAN_RETRY_MARGIN	3	/* retries past the latest answered */

static bool	scan_send_can(const struct scan *, const struct scan_host *,
		    uint64_t);
static struct scan_host *scan_send_pull(struct scan *);
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
static bool
scan_send_can(const struct scan *s, const struct scan_host *h, uint64_t now)
{
	uint32_t	win = timing_cwnd_get(&h->cwnd);

	if (win > s->host_max_out)
		win = s->host_max_out;
	if (s->outstanding >= timing_cwnd_get(&s->cwnd) &&
	    h->outstanding >= SCAN_HOST_CWND_MIN)
		return (false);
	/* While a heartbeat is out, it alone is sent. */
	if (h->heartbeat && (h->retry.head == NULL || !h->retry.head->heartbeat))
		return (false);
	return (h->outstanding < win && now >= h->next_ns &&
	    rate_wait(&h->rate, now) == 0);
}

/* Pull the next pair of the group into its host's queue. */
static struct scan_host *
scan_send_pull(struct scan *s)
{
	struct scan_host	*h;
	uint64_t		 pair;

	if (s->iter_end || !target_iter_next(&s->iter, &pair)) {
		s->iter_end = true;
		return (NULL);
	}
	h = &s->hosts[pair / s->nports];
	if (h->phase == PHASE_DOWN || h->phase == PHASE_SILENT ||
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
	return (h);
}

/* The next host, round robin, that has work and may send now. */
static struct scan_host *
scan_send_next(struct scan *s, uint64_t now)
{
	struct scan_host	*h;
	size_t			 i;

	for (i = 0; i < s->nhosts; i++) {
		h = &s->hosts[(s->rr + i) % s->nhosts];
		if (!scan_send_can(s, h, now))
			continue;
		/* A host that may send but has run dry: refill it. */
		while (h->phase == PHASE_UP && !scan_send_has_work(h) &&
		    scan_send_pull(s) != NULL)
			;
		if (scan_send_has_work(h)) {
			s->rr = (s->rr + i + 1) % s->nhosts;
			return (h);
		}
	}
	/* Nobody ready has work: pull pairs until one has. */
	while ((h = scan_send_pull(s)) != NULL) {
		if (scan_send_has_work(h) && scan_send_can(s, h, now))
			return (h);
	}
	return (NULL);
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
	if (p->fd != -1) {
		close(p->fd);
		p->fd = -1;
	}
	if (p->ops->make(&s->ctx, &t, &pkt, &cause) != 0 ||
	    (p->ops->kind != PROBE_SOCKET &&
	    s->tops->send(s->tr, &t, p->ops->kind, &pkt, &cause) < 0)) {
		s->stop = true;
		if (s->cause == NULL)
			s->cause = cause;
		else
			free(cause);
		scan_list_append(&h->retry, p);
		return;
	}
	if (p->tries > 0)
		s->stats.retransmits++;
	if (p->tries == 0)
		p->first_ns = now;
	p->tries++;
	p->sent_ns = now;
	p->deadline_ns = now + timing_rtt_timeout(&h->rtt) * 1000;
	p->outstanding = true;
	p->fd = pkt.fd;
	scan_list_append(&s->out, p);
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

/* Send all that the limits allow now. */
void
scan_send(struct scan *s, uint64_t now)
{
	struct scan_host	*h;
	struct scan_probe	*p;

	while (!s->stop && !s->paused && rate_wait(&s->rate, now) == 0) {
		if ((h = scan_send_next(s, now)) == NULL)
			return;
		p = scan_send_take(s, h);
		rate_take(&s->rate, now);
		rate_take(&h->rate, now);
		scan_send_probe(s, p, now);
	}
}

/*
 * How many times a probe may be resent. A port probe: the profile's
 * max_retries, but no more than a few past the latest try that any probe
 * of the host needed to be answered (as Nmap does), so that a host that
 * loses nothing does not spend all its retries on each filtered port.
 */
uint32_t
scan_send_retries(const struct scan *s, const struct scan_probe *p)
{
	uint32_t	n = s->plan->max_retries;

	if (p->discovery || p->heartbeat)
		return (s->plan->disc_retries);
	if (n > (uint32_t)p->host->max_ok_try + SCAN_RETRY_MARGIN)
		n = (uint32_t)p->host->max_ok_try + SCAN_RETRY_MARGIN;
	return (n);
}
