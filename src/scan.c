/*
 * The scan engine. Hosts are scanned in groups of the profile's
 * max_parallel_hosts; in a group, a seeded permutation of the (host,
 * port) pairs (target_iter) is pulled into per-host queues, and the loop
 * sends whichever host may send next, round robin. A probe goes out only
 * when every limit allows it, checked in one place (scan_send and
 * host_can_send):
 *
 *	the scan's congestion window and token bucket (profile max_rate,
 *	--max-rate), then the host's congestion window capped by
 *	host_max_outstanding, its token bucket (host_max_rate) and its
 *	scan delay (profile scan_delay, raised when it rate-limits).
 *
 * A probe not answered within the host's RTT timeout is a drop: it is
 * sent again up to max_retries times (fewer while the host has never
 * needed them, see scan_retries), then settles as filtered (no-response).
 * Windows grow on answers and shrink (once a window) on proof of loss, a
 * retransmission that is answered; a filtered port is not congestion.
 * Every fact becomes an event record.
 */
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/timerfd.h>

#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "event.h"
#include "port-spec.h"
#include "probe.h"
#include "profile.h"
#include "rate.h"
#include "results.h"
#include "scan-dir.h"
#include "scan.h"
#include "target-iter.h"
#include "target.h"
#include "timing.h"
#include "transport.h"
#include "xmalloc.h"

#define SCAN_GROUP_DEFAULT	256	/* hosts in parallel, profile 0 */
#define SCAN_OUTSTANDING_MAX	1000	/* per host, profile 0 */
#define SCAN_DISC_MAX		16
#define SCAN_HASH_SIZE		4096
#define SCAN_DELAY_MAX_US	1000000
#define SCAN_RATE_MARGIN	0.99	/* pace a little under each cap */
#define SCAN_SILENT_NS		1000000000ULL
#define SCAN_SILENT_MIN		6	/* drops in a row, at least */
#define SCAN_DISC_RETRIES	1	/* discovery: one retransmission */
#define SCAN_RETRY_MARGIN	3	/* retries past the latest answered */
#define SCAN_HOST_CWND_MIN	4
#define SCAN_DEFAULT_DISC_PORTS	"22,80,443,3389"
#define SCAN_RATE_MIN		1.0	/* slower goes no lower */
#define SCAN_ETA_HELD_NS	1500000000ULL	/* progress late: held up */

enum scan_phase {
	PHASE_DISCOVER,
	PHASE_UP,
	PHASE_DOWN,
	PHASE_SILENT
};

struct scan_host;

struct scan_probe {
	struct scan_host	*host;
	const struct probe_ops	*ops;
	uint16_t		 port;
	uint8_t			 tries;		/* sent so far */
	uint8_t			 proto;		/* PORT_TCP or PORT_UDP */
	bool			 discovery;
	bool			 heartbeat;	/* is the host still there? */
	bool			 outstanding;	/* else waiting to be resent */
	uint64_t		 pair;
	uint64_t		 first_ns;	/* first sent */
	uint64_t		 sent_ns;	/* last sent */
	uint64_t		 deadline_ns;
	int			 fd;
	struct scan_probe	*prev;		/* outstanding or retry list */
	struct scan_probe	*next;
	struct scan_probe	*hnext;		/* hash chain */
};

struct scan_list {
	struct scan_probe	*head;
	struct scan_probe	*tail;
};

struct scan_disc {
	const struct probe_ops	*ops;
	uint16_t		 port;
};

struct scan_host {
	struct target_addr	 addr;
	size_t			 slot;		/* in the group */
	enum scan_phase		 phase;
	uint8_t			 reason;
	uint8_t			 ttl;
	bool			 named;		/* its name went out */
	uint32_t		 rtt_us;
	struct rate		 rate;
	struct timing_rtt	 rtt;
	struct timing_cwnd	 cwnd;
	struct timing_delay	 delay;
	uint64_t		 next_ns;	/* scan delay: not before */
	uint32_t		 outstanding;
	uint64_t		 probes;
	uint64_t		 replies;
	uint64_t		 drops;
	uint64_t		 streak;	/* drops since the last reply */
	bool			 fresh_next;	/* alternate retries and new */
	int			 alive_port;	/* answered before; -1: none */
	bool			 open_alive;	/* and it was open */
	bool			 heartbeat;	/* a heartbeat is live */
	uint64_t		 hb_need;	/* streak that sends one */
	uint8_t			 max_ok_try;	/* latest try ever answered */
	uint64_t		 done;		/* pairs settled */
	uint64_t		 done_prev;	/* at the last progress */
	double			 pair_rate;	/* pairs/s, smoothed */
	uint64_t		 last_reply_ns;
	struct scan_list	 retry;
	const struct scan_disc	*disc;
	size_t			 ndisc;
	size_t			 disc_next;
	size_t			 disc_left;
	uint16_t		*backlog;	/* port indexes, a FIFO */
	size_t			 bhead;
	size_t			 btail;
	size_t			 bsize;
};

struct scan {
	struct scan_config	 cfg;
	const struct profile	*profile;
	struct event_stream	*es;
	struct scan_stats	 stats;
	struct probe_ctx	 ctx;
	const struct transport_ops *tops;
	void			*tr;
	bool			 tr_own;	/* opened here, closed here */
	const struct probe_ops	*port_ops;
	struct scan_disc	 disc[SCAN_DISC_MAX];
	size_t			 ndisc;
	struct scan_disc	 disc_arp;
	bool			 use_arp;
	const struct probe_ops	*ops[SCAN_DISC_MAX + 2];	/* in use */
	size_t			 nops;

	int			 epfd;
	int			 timerfd;
	struct epoll_event	*batch;		/* scan_wait's, being handled */
	int			 nbatch;
	struct rate		 rate;
	struct timing_cwnd	 cwnd;
	uint32_t		 host_max_out;
	uint32_t		 outstanding;
	struct scan_list	 out;
	struct scan_probe	*hash[SCAN_HASH_SIZE];

	uint64_t		 nports;
	uint64_t		 ntargets;
	uint64_t		 group_size;
	uint64_t		 ngroups;
	uint64_t		 group_first;
	uint64_t		 group;		/* the current one */
	uint64_t		 group_ns;	/* when it began */
	struct scan_host	*hosts;
	size_t			 nhosts;
	size_t			 rr;
	struct target_iter	 iter;
	bool			 iter_end;
	uint64_t		 iter_base;	/* positions of groups done */

	uint64_t		 pairs_total;
	uint64_t		 pairs_done;
	uint64_t		 hosts_up;
	uint64_t		 hosts_down;
	uint64_t		 open_ports;
	uint64_t		 start_ns;
	uint64_t		 progress_ns;
	uint64_t		 progress_probes;
	bool			 stop;
	bool			 interrupted;	/* stop_fd: no scan-end */
	bool			 paused;	/* control: send nothing */
	double			 rate_max;	/* profile, --max-rate */
	double			 rate_limit;	/* now; 0: none */
	uint32_t		 rate_milli;	/* the last progress record's */
	char			*cause;
};

static void	list_remove(struct scan_list *, struct scan_probe *);
static void	list_prepend(struct scan_list *, struct scan_probe *);
static void	list_append(struct scan_list *, struct scan_probe *);
static size_t	hash_of(const struct scan_host *, const struct probe_ops *,
		    uint16_t);
static struct scan_probe *probe_find_live(struct scan *, struct scan_host *,
		    const struct probe_ops *, uint16_t);
static void	probe_free(struct scan *, struct scan_probe *);
static void	emit_name(struct scan *, struct scan_host *);
static void	emit_host(struct scan *, struct scan_host *, uint8_t);
static void	emit_warning(struct scan *, const struct target_addr *,
		    const char *);
static void	host_up(struct scan *, struct scan_host *, uint8_t, uint8_t,
		    uint64_t);
static void	host_settle(struct scan *, struct scan_host *,
		    enum scan_phase);
static void	host_check_silent(struct scan *, struct scan_host *,
		    uint64_t);
static void	host_silent(struct scan *, struct scan_host *);
static bool	host_has_work(const struct scan_host *);
static bool	host_can_send(const struct scan *, const struct scan_host *,
		    uint64_t);
static struct scan_host *scan_next_host(struct scan *, uint64_t);
static struct scan_host *scan_pull(struct scan *);
static struct scan_probe *host_take(struct scan *, struct scan_host *);
static void	scan_send_probe(struct scan *, struct scan_probe *, uint64_t);
static void	scan_send(struct scan *, uint64_t);
static void	scan_answer(struct scan *, struct scan_probe *,
		    const struct probe_verdict *, uint8_t, uint8_t, uint64_t);
static void	scan_reply(void *, const struct probe_reply *);
static uint32_t	scan_retries(const struct scan *, const struct scan_probe *);
static void	scan_timeouts(struct scan *, uint64_t);
static void	scan_progress(struct scan *, uint64_t, bool);
static void	pair_done(struct scan *, struct scan_host *, uint64_t);
static uint32_t	scan_eta(struct scan *, uint64_t);
static void	scan_arm(struct scan *, uint64_t);
static int	scan_wait(struct scan *);
static void	group_begin(struct scan *, uint64_t);
static bool	group_finished(const struct scan *);
static void	group_end(struct scan *);
static struct scan_probe *probe_new(struct scan *, struct scan_host *,
		    const struct probe_ops *, uint16_t);
static struct scan_host *scan_host_find(struct scan *,
		    const struct target_addr *);
static bool	addr_is_loopback(const struct target_addr *);
static int	scan_discovery(struct scan *, char **);
static void	scan_use(struct scan *, const struct probe_ops *);
static char	*scan_filter(struct scan *);
static void	scan_emit_start(struct scan *);
static void	scan_tick(struct scan *);
static int	scan_resume_check(const struct scan *, char **);
static void	scan_resume_counts(struct scan *);
static bool	scan_resume_group_done(struct scan *, uint64_t);
static bool	scan_resume_host(struct scan *, struct scan_host *);
static bool	scan_resume_decided(const struct scan *,
		    const struct scan_host *, uint64_t);

static void
list_remove(struct scan_list *l, struct scan_probe *p)
{
	if (p->prev != NULL)
		p->prev->next = p->next;
	else
		l->head = p->next;
	if (p->next != NULL)
		p->next->prev = p->prev;
	else
		l->tail = p->prev;
	p->prev = p->next = NULL;
}

static void
list_prepend(struct scan_list *l, struct scan_probe *p)
{
	p->prev = NULL;
	p->next = l->head;
	if (l->head != NULL)
		l->head->prev = p;
	else
		l->tail = p;
	l->head = p;
}

static void
list_append(struct scan_list *l, struct scan_probe *p)
{
	p->next = NULL;
	p->prev = l->tail;
	if (l->tail != NULL)
		l->tail->next = p;
	else
		l->head = p;
	l->tail = p;
}

static size_t
hash_of(const struct scan_host *h, const struct probe_ops *ops, uint16_t port)
{
	uint64_t	k;

	k = (uint64_t)(uintptr_t)h ^ ((uint64_t)(uintptr_t)ops << 7) ^
	    ((uint64_t)port * 0x9e3779b97f4a7c15ULL);
	k ^= k >> 29;
	return ((size_t)(k % SCAN_HASH_SIZE));
}

static struct scan_probe *
probe_find_live(struct scan *s, struct scan_host *h,
    const struct probe_ops *ops, uint16_t port)
{
	struct scan_probe	*p;

	for (p = s->hash[hash_of(h, ops, port)]; p != NULL; p = p->hnext)
		if (p->host == h && p->ops == ops && p->port == port)
			return (p);
	return (NULL);
}

static struct scan_probe *
probe_new(struct scan *s, struct scan_host *h, const struct probe_ops *ops,
    uint16_t port)
{
	struct scan_probe	*p;
	size_t			 b = hash_of(h, ops, port);

	p = xcalloc(1, sizeof *p);
	p->host = h;
	p->ops = ops;
	p->port = port;
	p->proto = ops == &probe_udp ? PORT_UDP : PORT_TCP;
	p->fd = -1;
	p->hnext = s->hash[b];
	s->hash[b] = p;
	return (p);
}

/* Unlink a probe from wherever it is and free it. */
static void
probe_free(struct scan *s, struct scan_probe *p)
{
	struct scan_probe	**pp;
	int			  i;

	/* A connect's event later in the batch must not reach it. */
	for (i = 0; p->fd != -1 && i < s->nbatch; i++) {
		if (s->batch[i].data.ptr == p)
			s->batch[i].data.ptr = NULL;
	}
	if (p->outstanding) {
		list_remove(&s->out, p);
		s->outstanding--;
		p->host->outstanding--;
	} else
		list_remove(&p->host->retry, p);
	if (p->fd != -1)
		close(p->fd);
	for (pp = &s->hash[hash_of(p->host, p->ops, p->port)]; *pp != p;
	    pp = &(*pp)->hnext)
		;
	*pp = p->hnext;
	free(p);
}

/* The name the host was given as, if any, before its first state. */
static void
emit_name(struct scan *s, struct scan_host *h)
{
	struct event_host_name	*e;
	const char		*name;
	size_t			 len;

	h->named = true;
	name = target_set_hostname(s->cfg.targets, s->group_first + h->slot);
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

static void
emit_host(struct scan *s, struct scan_host *h, uint8_t state)
{
	struct event_host	e;

	if (!h->named)
		emit_name(s, h);
	memset(&e, 0, sizeof e);
	e.addr = h->addr;
	e.state = state;
	e.reason = h->reason;
	e.ttl = h->ttl;
	e.rtt_us = h->rtt_us;
	e.probes = h->probes;
	event_stream_emit(s->es, EVENT_HOST_STATE, &e, sizeof e);
}

static void
emit_warning(struct scan *s, const struct target_addr *addr, const char *text)
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
static void
host_up(struct scan *s, struct scan_host *h, uint8_t reason, uint8_t ttl,
    uint64_t rtt_us)
{
	struct scan_probe	*p, *next;

	h->phase = PHASE_UP;
	h->reason = reason;
	h->ttl = ttl;
	h->rtt_us = (uint32_t)rtt_us;
	h->disc_left = 0;
	for (p = s->out.head; p != NULL; p = next) {
		next = p->next;
		if (p->host == h && p->discovery)
			probe_free(s, p);
	}
	while ((p = h->retry.head) != NULL)
		probe_free(s, p);
	s->hosts_up++;
	emit_host(s, h, EVENT_HOST_UP);
}

/*
 * The host is down or went silent: drop what it still had to do, and
 * count its pairs as done.
 */
static void
host_settle(struct scan *s, struct scan_host *h, enum scan_phase phase)
{
	struct scan_probe	*p, *next;

	h->phase = phase;
	for (p = s->out.head; p != NULL; p = next) {
		next = p->next;
		if (p->host != h)
			continue;
		if (!p->discovery && !p->heartbeat)
			pair_done(s, h, 1);
		probe_free(s, p);
	}
	while ((p = h->retry.head) != NULL) {
		if (!p->discovery && !p->heartbeat)
			pair_done(s, h, 1);
		probe_free(s, p);
	}
	h->heartbeat = false;
	pair_done(s, h, h->btail - h->bhead);
	h->bhead = h->btail = 0;
	h->disc_left = 0;
}

/*
 * A host that answered and then stopped? When as many probes in a row
 * went unanswered as its answer rate makes (nearly) impossible by chance,
 * and a second has passed without an answer, ask again on a port that
 * answered before (a heartbeat). Only if that fails too is the host
 * silent; a heartbeat that is answered makes the next one wait twice as
 * long, so that a run of filtered ports costs few of them.
 */
static void
host_check_silent(struct scan *s, struct scan_host *h, uint64_t now)
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
	    probe_find_live(s, h, s->port_ops, (uint16_t)h->alive_port) != NULL)
		return;
	p = probe_new(s, h, s->port_ops, (uint16_t)h->alive_port);
	p->heartbeat = true;
	list_prepend(&h->retry, p);
	h->heartbeat = true;
}

/* The heartbeat went unanswered: the host is silent. */
static void
host_silent(struct scan *s, struct scan_host *h)
{
	char	*text, addr[64];

	host_settle(s, h, PHASE_SILENT);
	emit_host(s, h, EVENT_HOST_SILENT);
	xasprintf(&text, "%s went silent after %llu probes (%llu "
	    "unanswered in a row); not probing it further",
	    target_addr_str(&h->addr, addr, sizeof addr),
	    (unsigned long long)h->probes, (unsigned long long)h->streak);
	emit_warning(s, &h->addr, text);
	free(text);
}

static bool
host_has_work(const struct scan_host *h)
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
host_can_send(const struct scan *s, const struct scan_host *h, uint64_t now)
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
scan_pull(struct scan *s)
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
		pair_done(s, h, 1);
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
scan_next_host(struct scan *s, uint64_t now)
{
	struct scan_host	*h;
	size_t			 i;

	for (i = 0; i < s->nhosts; i++) {
		h = &s->hosts[(s->rr + i) % s->nhosts];
		if (!host_can_send(s, h, now))
			continue;
		/* A host that may send but has run dry: refill it. */
		while (h->phase == PHASE_UP && !host_has_work(h) &&
		    scan_pull(s) != NULL)
			;
		if (host_has_work(h)) {
			s->rr = (s->rr + i + 1) % s->nhosts;
			return (h);
		}
	}
	/* Nobody ready has work: pull pairs until one has. */
	while ((h = scan_pull(s)) != NULL) {
		if (host_has_work(h) && host_can_send(s, h, now))
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
host_take(struct scan *s, struct scan_host *h)
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
		list_remove(&h->retry, p);
		return (p);
	}
	h->fresh_next = false;
	if (h->phase == PHASE_DISCOVER) {
		d = &h->disc[h->disc_next++];
		p = probe_new(s, h, d->ops, d->port);
		p->discovery = true;
		return (p);
	}
	idx = h->backlog[h->bhead++];
	p = probe_new(s, h, s->cfg.ports->v[idx].proto == PORT_UDP ?
	    &probe_udp : s->port_ops, s->cfg.ports->v[idx].port);
	p->pair = s->iter_base + h->slot * s->nports + idx;
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
		list_append(&h->retry, p);
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
	list_append(&s->out, p);
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
		scan_answer(s, p, &v, 0, (uint8_t)(p->tries - 1), now);
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
static void
scan_send(struct scan *s, uint64_t now)
{
	struct scan_host	*h;
	struct scan_probe	*p;

	while (!s->stop && !s->paused && rate_wait(&s->rate, now) == 0) {
		if ((h = scan_next_host(s, now)) == NULL)
			return;
		p = host_take(s, h);
		rate_take(&s->rate, now);
		rate_take(&h->rate, now);
		scan_send_probe(s, p, now);
	}
}

/* A verdict on probe p, from its try-th transmission. */
static void
scan_answer(struct scan *s, struct scan_probe *p, const struct probe_verdict *v,
    uint8_t ttl, uint8_t try, uint64_t now)
{
	struct scan_host	*h = p->host;
	struct event_port	 e;
	uint64_t		 rtt = 0;

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
		probe_free(s, p);
		return;
	}
	if (!p->discovery && try > h->max_ok_try)
		h->max_ok_try = try;
	if (!p->discovery && v->host_up && p->ops == s->port_ops &&
	    (v->port_state == EVENT_PORT_OPEN || !h->open_alive)) {
		h->alive_port = p->port;
		h->open_alive = v->port_state == EVENT_PORT_OPEN;
	}
	if (p->discovery) {
		if (v->host_up && h->phase == PHASE_DISCOVER) {
			host_up(s, h, v->reason, ttl, rtt);
			return;
		}
		probe_free(s, p);
		if (h->phase == PHASE_DISCOVER && --h->disc_left == 0) {
			h->reason = v->reason;
			host_settle(s, h, PHASE_DOWN);
			s->hosts_down++;
			emit_host(s, h, EVENT_HOST_DOWN);
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
	e.pair = p->pair;
	if (e.state == EVENT_PORT_OPEN)
		s->open_ports++;
	pair_done(s, h, 1);
	probe_free(s, p);
	event_stream_emit(s->es, EVENT_PORT_STATE, &e, sizeof e);
}

/* The host in the current group with this address, by binary search. */
static struct scan_host *
scan_host_find(struct scan *s, const struct target_addr *a)
{
	size_t	lo = 0, hi = s->nhosts, mid;
	int	c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = target_addr_cmp(a, &s->hosts[mid].addr);
		if (c == 0)
			return (&s->hosts[mid]);
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (NULL);
}

/* A reply from the wire: which probe, if any, it answers. */
static void
scan_reply(void *arg, const struct probe_reply *r)
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
		if (!ops->match(&s->ctx, r, &t))
			continue;
		if ((h = scan_host_find(s, &t.dst)) == NULL ||
		    (p = probe_find_live(s, h, ops, t.port)) == NULL ||
		    t.try >= p->tries)
			continue;
		ops->classify(r, &v);
		scan_answer(s, p, &v, r->ttl, t.try, event_now_ns());
		return;
	}
}

/*
 * How many times a probe may be resent. A port probe: the profile's
 * max_retries, but no more than a few past the latest try that any probe
 * of the host needed to be answered (as Nmap does), so that a host that
 * loses nothing does not spend all its retries on each filtered port.
 */
static uint32_t
scan_retries(const struct scan *s, const struct scan_probe *p)
{
	uint32_t	n = s->profile->max_retries;

	if (p->discovery || p->heartbeat)
		return (n < SCAN_DISC_RETRIES ? n : SCAN_DISC_RETRIES);
	if (n > (uint32_t)p->host->max_ok_try + SCAN_RETRY_MARGIN)
		n = (uint32_t)p->host->max_ok_try + SCAN_RETRY_MARGIN;
	return (n);
}

/* Probes whose time is up: drops, to resend or to settle. */
static void
scan_timeouts(struct scan *s, uint64_t now)
{
	struct scan_probe	*p, *next;
	struct scan_host	*h;
	struct probe_verdict	 v;
	struct event_port	 e;

	for (p = s->out.head; p != NULL; p = next) {
		next = p->next;
		if (p->deadline_ns > now)
			continue;
		h = p->host;
		s->stats.drops++;
		if (!p->discovery && !p->heartbeat) {
			h->drops++;
			h->streak++;
			timing_delay_drop(&h->delay);
		}
		if (p->tries <= scan_retries(s, p)) {
			list_remove(&s->out, p);
			s->outstanding--;
			h->outstanding--;
			p->outstanding = false;
			if (p->fd != -1) {
				close(p->fd);
				p->fd = -1;
			}
			if (p->heartbeat)
				list_prepend(&h->retry, p);
			else
				list_append(&h->retry, p);
		} else if (p->heartbeat) {
			probe_free(s, p);
			host_silent(s, h);
		} else if (p->discovery) {
			probe_free(s, p);
			if (h->phase == PHASE_DISCOVER && --h->disc_left == 0) {
				h->reason = EVENT_REASON_NO_RESPONSE;
				host_settle(s, h, PHASE_DOWN);
				s->hosts_down++;
				emit_host(s, h, EVENT_HOST_DOWN);
			}
		} else {
			memset(&v, 0, sizeof v);
			memset(&e, 0, sizeof e);
			e.addr = h->addr;
			e.port = p->port;
			e.proto = p->proto;
			/* Nmap's reading of silence: UDP may be open. */
			e.state = p->proto == PORT_UDP ?
			    EVENT_PORT_OPEN_FILTERED : EVENT_PORT_FILTERED;
			e.reason = EVENT_REASON_NO_RESPONSE;
			e.tries = p->tries;
			e.pair = p->pair;
			pair_done(s, h, 1);
			/* Filtered, with no sign of loss: not congestion. */
			timing_cwnd_reply(&h->cwnd);
			timing_cwnd_reply(&s->cwnd);
			probe_free(s, p);
			event_stream_emit(s->es, EVENT_PORT_STATE, &e,
			    sizeof e);
		}
		/* A silent host's probes are gone, next among them. */
		host_check_silent(s, h, now);
		if (h->phase == PHASE_SILENT)
			next = s->out.head;
	}
}

static void
pair_done(struct scan *s, struct scan_host *h, uint64_t n)
{
	s->pairs_done += n;
	h->done += n;
}

/*
 * Milliseconds left: in this group, the slowest host's pairs left over
 * its recent rate (a scan waits for its slowest host, which a scan-wide
 * average would hide); later groups as long as this one. UINT32_MAX
 * while a host has no rate yet. A second that lasted over 1.5 s means
 * the engine itself was held up (a loaded machine, SIGSTOP): what the
 * hosts did in it says nothing of their rate, so it is not sampled.
 */
static uint32_t
scan_eta(struct scan *s, uint64_t now)
{
	struct scan_host	*h;
	double			 dt, share, left, eta = 0, group;
	size_t			 i;
	bool			 held;

	if (s->pairs_done >= s->pairs_total)
		return (0);
	if (now <= s->progress_ns || s->nhosts == 0)
		return (UINT32_MAX);
	dt = (double)(now - s->progress_ns) / 1e9;
	held = now - s->progress_ns > SCAN_ETA_HELD_NS;
	share = (double)target_iter_total(&s->iter) / (double)s->nhosts;
	for (i = 0; i < s->nhosts; i++) {
		h = &s->hosts[i];
		left = share - (double)h->done;
		if (!held)
			h->pair_rate = h->done_prev == 0 && h->pair_rate == 0 ?
			    (double)h->done / dt : 0.3 * h->pair_rate +
			    0.7 * (double)(h->done - h->done_prev) / dt;
		h->done_prev = h->done;
		if (h->phase == PHASE_DOWN || h->phase == PHASE_SILENT ||
		    left <= 0)
			continue;
		if (h->pair_rate <= 0)
			return (UINT32_MAX);
		if (left / h->pair_rate > eta)
			eta = left / h->pair_rate;
	}
	group = (double)(now - s->group_ns) / 1e9 + eta;
	eta += group * (double)(s->ngroups - s->group - 1);
	return ((uint32_t)fmin(UINT32_MAX - 1, eta * 1000));
}

/* A progress record every second (and at the end). */
static void
scan_progress(struct scan *s, uint64_t now, bool force)
{
	struct event_progress	 e;
	struct scan_host	*h;
	uint64_t		 delay = 0;
	size_t			 i;

	for (i = 0; i < s->nhosts; i++) {
		h = &s->hosts[i];
		if (timing_delay_tick(&h->delay, now) && h->phase == PHASE_UP)
			h->next_ns = now + h->delay.delay_us * 1000;
		if (h->delay.delay_us > delay)
			delay = h->delay.delay_us;
	}
	if (!force && now - s->progress_ns < 1000000000ULL)
		return;
	memset(&e, 0, sizeof e);
	e.pairs_done = s->pairs_done;
	e.pairs_total = s->pairs_total;
	e.probes_sent = s->stats.probes;
	e.replies = s->stats.replies;
	e.drops = s->stats.drops;
	e.retransmits = s->stats.retransmits;
	e.hosts_up = s->hosts_up;
	e.hosts_down = s->hosts_down;
	e.open_ports = s->open_ports;
	/*
	 * The rate over the last second; a record forced out sooner (the
	 * end, a control action) repeats it, since a few probes over a few
	 * milliseconds would read as a burst that never happened.
	 */
	if (now > s->progress_ns && (s->rate_milli == 0 ||
	    now - s->progress_ns >= 1000000000ULL))
		e.rate_milli = (uint32_t)((s->stats.probes -
		    s->progress_probes) * 1000000000000ULL /
		    (now - s->progress_ns));
	else
		e.rate_milli = s->rate_milli;
	e.eta_ms = scan_eta(s, now);
	e.cwnd = timing_cwnd_get(&s->cwnd);
	e.delay_us = (uint32_t)delay;
	e.iter_done = s->iter_base + target_iter_done(&s->iter);
	s->rate_milli = e.rate_milli;
	event_stream_emit(s->es, EVENT_PROGRESS, &e, sizeof e);
	s->progress_ns = now;
	s->progress_probes = s->stats.probes;
}

/* Arm the timer for the next thing that can happen without a packet. */
static void
scan_arm(struct scan *s, uint64_t now)
{
	struct itimerspec	 its;
	struct scan_probe	*p;
	struct scan_host	*h;
	uint64_t		 next = s->progress_ns + 1000000000ULL, t;
	uint64_t		 send = UINT64_MAX;
	size_t			 i;

	for (p = s->out.head; p != NULL; p = p->next)
		if (p->deadline_ns < next)
			next = p->deadline_ns;
	if (!s->paused) {
		for (i = 0; i < s->nhosts; i++) {
			h = &s->hosts[i];
			if (!host_has_work(h) ||
			    h->outstanding >= s->host_max_out ||
			    h->outstanding >= timing_cwnd_get(&h->cwnd) ||
			    (s->outstanding >= timing_cwnd_get(&s->cwnd) &&
			    h->outstanding >= SCAN_HOST_CWND_MIN))
				continue;
			t = now + rate_wait(&h->rate, now);
			if (t < h->next_ns)
				t = h->next_ns;
			if (t < send)
				send = t;
		}
		if (!s->iter_end)
			send = now;
		t = now + rate_wait(&s->rate, now);
		if (send != UINT64_MAX && t > send)
			send = t;
		if (send < next)
			next = send;
	}
	if (next <= now)
		next = now + 1000;
	memset(&its, 0, sizeof its);
	its.it_value.tv_sec = (time_t)((next - now) / 1000000000ULL);
	its.it_value.tv_nsec = (long)((next - now) % 1000000000ULL);
	timerfd_settime(s->timerfd, 0, &its, NULL);
}

/* Wait for the timer, a reply, a socket or a stop; handle them. */
static int
scan_wait(struct scan *s)
{
	struct epoll_event	 ev[64];
	struct scan_probe	*p;
	struct probe_reply	 r;
	struct probe_verdict	 v;
	uint64_t		 expired;
	socklen_t		 len;
	int			 n, i, err;

	if ((n = epoll_wait(s->epfd, ev, 64, -1)) == -1) {
		if (errno == EINTR)
			return (0);
		xasprintf(&s->cause, "epoll: %s", strerror(errno));
		return (-1);
	}
	/* Answering one connect may free others of the batch (host_up). */
	s->batch = ev;
	s->nbatch = n;
	for (i = 0; i < n; i++) {
		if (ev[i].data.ptr == NULL)
			continue;
		if (ev[i].data.ptr == &s->timerfd) {
			(void)read(s->timerfd, &expired, sizeof expired);
		} else if (ev[i].data.ptr == &s->cfg.stop_fd) {
			s->interrupted = true;
		} else if (ev[i].data.ptr == &s->cfg.dir) {
			scan_control_accept(s, s->cfg.dir->control_fd,
			    s->cfg.dir->control_uid, s->es);
		} else if (ev[i].data.ptr == &s->tr) {
			if (s->tops->read(s->tr, scan_reply, s,
			    &s->cause) != 0) {
				s->nbatch = 0;
				return (-1);
			}
		} else {
			p = ev[i].data.ptr;
			err = 0;
			len = sizeof err;
			if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err,
			    &len) == -1)
				err = errno;
			memset(&r, 0, sizeof r);
			r.type = PROBE_REPLY_SOCKET;
			r.error = err;
			p->ops->classify(&r, &v);
			scan_answer(s, p, &v, 0, (uint8_t)(p->tries - 1),
			    event_now_ns());
		}
	}
	s->nbatch = 0;
	return (0);
}

static bool
addr_is_loopback(const struct target_addr *a)
{
	static const uint8_t	v6[16] = { [15] = 1 };

	if (a->family == AF_INET)
		return (a->addr[0] == 127);
	return (memcmp(a->addr, v6, 16) == 0);
}

/* Start group g: its hosts, their limits, discovery, the iterator. */
static void
group_begin(struct scan *s, uint64_t g)
{
	const struct profile	*pr = s->profile;
	struct scan_host	*h;
	struct probe_ctx	 ctx;
	char			*cause = NULL;
	uint64_t		 now = event_now_ns(), i;
	double			 hrate;

	s->group_first = g * s->group_size;
	s->group = g;
	s->group_ns = now;
	s->nhosts = (size_t)(s->ntargets - s->group_first < s->group_size ?
	    s->ntargets - s->group_first : s->group_size);
	s->hosts = xcalloc(s->nhosts, sizeof *s->hosts);
	s->rr = 0;
	hrate = pr->host_max_rate * SCAN_RATE_MARGIN;
	for (i = 0; i < s->nhosts; i++) {
		h = &s->hosts[i];
		target_set_get(s->cfg.targets, s->group_first + i, &h->addr);
		h->slot = (size_t)i;
		h->alive_port = -1;
		h->hb_need = SCAN_SILENT_MIN;
		rate_init(&h->rate, hrate, 1, now);
		timing_rtt_init(&h->rtt, pr);
		timing_cwnd_init(&h->cwnd, SCAN_HOST_CWND_MIN,
		    SCAN_HOST_CWND_MIN, s->host_max_out);
		timing_delay_init(&h->delay, (uint64_t)pr->scan_delay * 1000,
		    SCAN_DELAY_MAX_US, now);
		h->disc = s->disc;
		h->ndisc = s->ndisc;
		if (s->use_arp) {
			memset(&ctx, 0, sizeof ctx);
			if (s->tops->route(s->tr, &h->addr, &ctx,
			    &cause) == 1) {
				h->disc = &s->disc_arp;
				h->ndisc = 1;
			}
			free(cause);
			cause = NULL;
		}
		h->disc_left = h->ndisc;
		if (scan_resume_host(s, h))
			continue;
		if (s->cfg.no_ping)
			host_up(s, h, EVENT_REASON_USER_SET, 0, 0);
		else if (addr_is_loopback(&h->addr))
			host_up(s, h, EVENT_REASON_LOCALHOST, 0, 0);
		else if (h->ndisc == 0)
			host_up(s, h, EVENT_REASON_USER_SET, 0, 0);
	}
	target_iter_init(&s->iter, (uint64_t)s->nhosts * s->nports,
	    s->cfg.seed, s->cfg.shard_index, s->cfg.shard_count);
	s->iter_end = s->iter.n == 0;
}

static bool
group_finished(const struct scan *s)
{
	const struct scan_host	*h;
	size_t			 i;

	if (!s->iter_end || s->outstanding != 0)
		return (false);
	for (i = 0; i < s->nhosts; i++) {
		h = &s->hosts[i];
		if (h->retry.head != NULL || h->bhead != h->btail ||
		    (h->phase == PHASE_DISCOVER && h->disc_left > 0))
			return (false);
	}
	return (true);
}

static void
group_end(struct scan *s)
{
	struct scan_host	*h;
	struct scan_probe	*p;
	size_t			 i;

	while ((p = s->out.head) != NULL)
		probe_free(s, p);
	for (i = 0; i < s->nhosts; i++) {
		h = &s->hosts[i];
		while ((p = h->retry.head) != NULL)
			probe_free(s, p);
		if (!s->interrupted &&
		    (h->phase == PHASE_UP || h->phase == PHASE_SILENT)) {
			if (h->rtt.have)
				h->rtt_us = (uint32_t)h->rtt.srtt_us;
			emit_host(s, h, EVENT_HOST_DONE);
		}
		free(h->backlog);
	}
	s->iter_base += s->nhosts * s->nports;
	free(s->hosts);
	s->hosts = NULL;
	s->nhosts = 0;
}

/* The discovery probes the profile asks for, the technique allows. */
static int
scan_discovery(struct scan *s, char **cause)
{
	struct port_list	 pl;
	struct target_addr	 first;
	const char		*spec;
	unsigned		 mask = s->profile->discovery;
	size_t			 i;

	/* ICMPv6 has no timestamp request. */
	target_set_get(s->cfg.targets, 0, &first);
	if (first.family == AF_INET6)
		mask &= ~PROFILE_DISCOVER_ICMP_TSTAMP;
	spec = s->profile->discovery_ports;
	if (spec == NULL || *spec == '\0')
		spec = SCAN_DEFAULT_DISC_PORTS;
	if (port_spec_parse(&pl, spec, PORT_TCP, cause) != 0)
		return (-1);
	if (!s->cfg.connect) {
		if (mask & PROFILE_DISCOVER_ICMP_ECHO)
			s->disc[s->ndisc++].ops = &probe_icmp_echo;
		if (mask & PROFILE_DISCOVER_ICMP_TSTAMP)
			s->disc[s->ndisc++].ops = &probe_icmp_tstamp;
		if (mask & PROFILE_DISCOVER_TCP_ACK) {
			s->disc[s->ndisc].ops = &probe_tcp_ack;
			s->disc[s->ndisc++].port = 80;
		}
		s->use_arp = (mask & PROFILE_DISCOVER_ARP) != 0;
		s->disc_arp.ops = first.family == AF_INET6 ? &probe_nd :
		    &probe_arp;
	}
	if (s->cfg.connect || (mask & PROFILE_DISCOVER_TCP_SYN)) {
		for (i = 0; i < pl.n && s->ndisc < SCAN_DISC_MAX; i++) {
			s->disc[s->ndisc].ops = s->cfg.connect ?
			    &probe_tcp_connect : &probe_tcp_syn;
			s->disc[s->ndisc++].port = pl.v[i].port;
		}
	}
	port_list_free(&pl);
	if (!s->cfg.connect) {
		scan_use(s, s->port_ops);
		for (i = 0; i < s->ndisc; i++)
			scan_use(s, s->disc[i].ops);
		if (s->use_arp)
			scan_use(s, s->disc_arp.ops);
	}
	return (0);
}

/* Add ops to the probes in use, once. */
static void
scan_use(struct scan *s, const struct probe_ops *ops)
{
	size_t	i;

	for (i = 0; i < s->nops; i++)
		if (s->ops[i] == ops)
			return;
	s->ops[s->nops++] = ops;
}

/* The pcap filter: replies to us from the raw IP probes in use. */
static char *
scan_filter(struct scan *s)
{
	const char	*seen[SCAN_DISC_MAX + 2];
	char		*f, *tmp, addr[64];
	size_t		 n = 0, i, j;

	for (i = 0; i < s->nops; i++) {
		if (s->ops[i]->kind != PROBE_RAW_IP)
			continue;
		for (j = 0; j < n; j++)
			if (strcmp(seen[j], s->ops[i]->filter) == 0)
				break;
		if (j == n)
			seen[n++] = s->ops[i]->filter;
	}
	if (n == 0)
		seen[n++] = "tcp";
	target_addr_str(&s->ctx.src, addr, sizeof addr);
	/* The probes' filters are IPv4's; over IPv6 the parser sorts. */
	if (s->ctx.src.family == AF_INET6) {
		xasprintf(&f, "ip6 dst host %s and (tcp or udp or icmp6)",
		    addr);
		return (f);
	}
	xasprintf(&f, "(%s)", seen[0]);
	for (i = 1; i < n; i++) {
		xasprintf(&tmp, "%s or (%s)", f, seen[i]);
		free(f);
		f = tmp;
	}
	xasprintf(&tmp, "(ip dst host %s and (%s))%s%s", addr, f,
	    s->use_arp ? " or (arp and " : "",
	    s->use_arp ? "arp[6:2] == 2)" : "");
	free(f);
	return (tmp);
}

struct scan *
scan_create(const struct scan_config *cfg, struct event_stream *es,
    char **cause)
{
	const struct profile	*pr = cfg->profile;
	struct scan		*s;
	struct target_addr	 first, last;
	struct target_iter	 it;
	struct epoll_event	 ev;
	char			*filter;
	uint64_t		 g, n, now = event_now_ns();
	double			 rate, floor;

	s = xcalloc(1, sizeof *s);
	s->cfg = *cfg;
	s->profile = pr;
	s->es = es;
	s->epfd = s->timerfd = -1;
	s->port_ops = cfg->connect ? &probe_tcp_connect : &probe_tcp_syn;
	s->ntargets = target_set_count(cfg->targets);
	s->nports = cfg->ping_only ? 0 : cfg->ports->n;
	if (s->ntargets == 0) {
		xasprintf(cause, "no targets");
		goto fail;
	}
	if (getrandom(s->ctx.secret, sizeof s->ctx.secret, 0) !=
	    sizeof s->ctx.secret) {
		xasprintf(cause, "getrandom: %s", strerror(errno));
		goto fail;
	}
	s->ctx.sport_base = (uint16_t)(20000 + s->ctx.secret[1] % 40000);
	if (scan_discovery(s, cause) != 0)
		goto fail;
	if (!cfg->ping_only && port_list_count(cfg->ports, PORT_UDP) > 0)
		scan_use(s, &probe_udp);
	target_set_get(cfg->targets, 0, &first);
	if (cfg->transport != NULL) {
		s->tops = cfg->transport;
		s->tr = cfg->transport_arg;
		if (s->tops->route(s->tr, &first, &s->ctx, cause) == -1)
			goto fail;
	} else if (!cfg->connect || s->nops > 0) {
		/* Raw probes in use: SYN, or UDP beside a connect scan. */
		s->tops = &transport_raw_ops;
		target_set_get(cfg->targets, s->ntargets - 1, &last);
		if (last.family != first.family) {
			xasprintf(cause, "a raw scan has one source address: "
			    "scan IPv4 and IPv6 targets separately");
			goto fail;
		}
		if (transport_route(&first, &s->ctx, cause) == -1)
			goto fail;
		filter = scan_filter(s);
		s->tr = transport_raw_open(&first, filter, s->use_arp, cause);
		free(filter);
		if (s->tr == NULL)
			goto fail;
		s->tr_own = true;
	}
	s->host_max_out = pr->host_max_outstanding;
	if (s->host_max_out == 0)
		s->host_max_out = SCAN_OUTSTANDING_MAX;
	s->group_size = pr->max_parallel_hosts;
	if (s->group_size == 0)
		s->group_size = SCAN_GROUP_DEFAULT;
	s->ngroups = (s->ntargets + s->group_size - 1) / s->group_size;
	for (g = 0; g < s->ngroups; g++) {
		n = s->ntargets - g * s->group_size;
		if (n > s->group_size)
			n = s->group_size;
		target_iter_init(&it, n * s->nports, cfg->seed,
		    cfg->shard_index, cfg->shard_count);
		s->pairs_total += target_iter_total(&it);
	}
	/* Empty until a group begins: a resume may skip every group. */
	target_iter_init(&s->iter, 0, cfg->seed, cfg->shard_index,
	    cfg->shard_count);
	rate = pr->max_rate;
	if (cfg->max_rate > 0 && (rate == 0 || cfg->max_rate < rate))
		rate = cfg->max_rate;
	rate_init(&s->rate, rate * SCAN_RATE_MARGIN, 1, now);
	s->rate_max = s->rate_limit = rate;
	if (cfg->resume != NULL && scan_resume_check(s, cause) != 0)
		goto fail;
	/* Never so small that one host's filtered ports starve the rest. */
	floor = (double)SCAN_HOST_CWND_MIN * (double)(s->ntargets <
	    s->group_size ? s->ntargets : s->group_size);
	timing_cwnd_init(&s->cwnd, floor, floor,
	    (double)s->host_max_out * (double)s->group_size);

	if ((s->epfd = epoll_create1(EPOLL_CLOEXEC)) == -1 ||
	    (s->timerfd = timerfd_create(CLOCK_MONOTONIC,
	    TFD_NONBLOCK | TFD_CLOEXEC)) == -1) {
		xasprintf(cause, "epoll: %s", strerror(errno));
		goto fail;
	}
	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN;
	ev.data.ptr = &s->timerfd;
	if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->timerfd, &ev) == -1)
		goto fail_epoll;
	if (s->tr != NULL) {
		ev.data.ptr = &s->tr;
		if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->tops->fd(s->tr),
		    &ev) == -1)
			goto fail_epoll;
	}
	if (cfg->stop_fd != -1) {
		ev.data.ptr = &s->cfg.stop_fd;
		if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, cfg->stop_fd, &ev) == -1)
			goto fail_epoll;
	}
	if (cfg->dir != NULL && cfg->dir->control_fd != -1) {
		ev.data.ptr = &s->cfg.dir;
		if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, cfg->dir->control_fd,
		    &ev) == -1)
			goto fail_epoll;
	}
	return (s);

fail_epoll:
	xasprintf(cause, "epoll: %s", strerror(errno));
fail:
	scan_free(s);
	return (NULL);
}

static void
scan_emit_start(struct scan *s)
{
	struct event_scan_start	*e;
	size_t			 len = sizeof *e, i, off;

	for (i = 0; i < s->cfg.nstrings; i++)
		len += strlen(s->cfg.strings[i]) + 1;
	e = xcalloc(1, len);
	e->seed = s->cfg.seed;
	e->hosts = s->ntargets;
	e->pairs = s->pairs_total;
	e->wall_start = (uint64_t)time(NULL);
	e->shard_index = s->cfg.shard_index;
	e->shard_count = s->cfg.shard_count;
	e->nstrings = (uint32_t)s->cfg.nstrings;
	off = sizeof *e;
	for (i = 0; i < s->cfg.nstrings; i++) {
		memcpy((char *)e + off, s->cfg.strings[i],
		    strlen(s->cfg.strings[i]) + 1);
		off += strlen(s->cfg.strings[i]) + 1;
	}
	event_stream_emit(s->es, EVENT_SCAN_START, e, len);
	free(e);
}

int
scan_run(struct scan *s, char **cause)
{
	struct event_scan_end	 end;
	uint64_t		 g, now;

	s->start_ns = s->progress_ns = event_now_ns();
	if (s->cfg.resume == NULL)
		scan_emit_start(s);
	else
		scan_resume_counts(s);
	for (g = 0; g < s->ngroups && !s->stop && !s->interrupted; g++) {
		if (s->cfg.resume != NULL && scan_resume_group_done(s, g))
			continue;
		group_begin(s, g);
		for (;;) {
			now = event_now_ns();
			scan_timeouts(s, now);
			scan_send(s, now);
			scan_progress(s, now, false);
			scan_tick(s);
			if (s->stop || s->interrupted || group_finished(s))
				break;
			scan_arm(s, now);
			if (scan_wait(s) != 0) {
				s->stop = true;
				break;
			}
		}
		if (s->interrupted)
			break;
		group_end(s);
	}
	scan_progress(s, event_now_ns(), true);
	if (s->interrupted && s->cause == NULL)
		return (0);
	memset(&end, 0, sizeof end);
	end.status = s->cause != NULL ? EVENT_END_FAILED :
	    s->stop ? EVENT_END_STOPPED : EVENT_END_DONE;
	end.wall_end = (uint64_t)time(NULL);
	event_stream_emit(s->es, EVENT_SCAN_END, &end, sizeof end);
	if (s->cause != NULL) {
		*cause = s->cause;
		s->cause = NULL;
		return (-1);
	}
	return (0);
}

void
scan_free(struct scan *s)
{
	if (s == NULL)
		return;
	if (s->hosts != NULL)
		group_end(s);
	if (s->tr_own)
		s->tops->close(s->tr);
	if (s->timerfd != -1)
		close(s->timerfd);
	if (s->epfd != -1)
		close(s->epfd);
	free(s->cause);
	free(s);
}

const struct scan_stats *
scan_stats(const struct scan *s)
{
	return (&s->stats);
}

/* The journal and ring after each round of the loop. */
static void
scan_tick(struct scan *s)
{
	if (s->cfg.dir == NULL || s->cause != NULL)
		return;
	if (scan_dir_tick(s->cfg.dir, &s->cause) != 0)
		s->stop = true;
}

bool
scan_interrupted(const struct scan *s)
{
	return (s->interrupted);
}

void
scan_pause(struct scan *s, bool paused)
{
	s->paused = paused;
}

void
scan_stop(struct scan *s)
{
	s->stop = true;
}

double
scan_rate_limit(const struct scan *s)
{
	return (s->rate_limit);
}

double
scan_rate_adjust(struct scan *s, double factor)
{
	double	rate = s->rate_limit;

	if (rate == 0 && factor >= 1)
		return (0);	/* no limit is as fast as it goes */
	if (rate == 0)
		rate = s->rate_milli / 1000.0;
	rate *= factor;
	if (rate < SCAN_RATE_MIN)
		rate = SCAN_RATE_MIN;
	if (s->rate_max != 0 && rate > s->rate_max)
		rate = s->rate_max;
	s->rate_limit = rate;
	rate_set(&s->rate, rate * SCAN_RATE_MARGIN, event_now_ns());
	return (rate);
}

/*
 * Resuming (cfg.resume, the results rebuilt from the journal): what the
 * journal holds is not done again. A group whose every host was settled
 * (down, or done) is skipped; in the others, a host keeps the state it
 * had, with no discovery, and a pair with a state counts as done without
 * a probe. The counters go on from the journal's.
 */
static int
scan_resume_check(const struct scan *s, char **cause)
{
	const struct results_scan	*rs = results_scan(s->cfg.resume);

	if (rs->hosts == s->ntargets && rs->pairs == s->pairs_total)
		return (0);
	xasprintf(cause, "the targets or ports are not those the scan started "
	    "with (%llu hosts, %llu pairs)", (unsigned long long)rs->hosts,
	    (unsigned long long)rs->pairs);
	return (-1);
}

static void
scan_resume_counts(struct scan *s)
{
	const struct results_host	*rh;
	size_t				 i, j;

	for (i = 0; i < results_host_count(s->cfg.resume); i++) {
		rh = results_host(s->cfg.resume, i);
		if (rh->state == EVENT_HOST_UP)
			s->hosts_up++;
		else if (rh->state == EVENT_HOST_DOWN)
			s->hosts_down++;
		for (j = 0; j < rh->nports; j++) {
			if (rh->ports[j].state == EVENT_PORT_OPEN)
				s->open_ports++;
		}
	}
}

static bool
scan_resume_group_done(struct scan *s, uint64_t g)
{
	const struct results_host	*rh;
	struct target_addr		 a;
	struct target_iter		 it;
	uint64_t			 first = g * s->group_size, n, i;

	n = s->ntargets - first < s->group_size ? s->ntargets - first :
	    s->group_size;
	for (i = 0; i < n; i++) {
		target_set_get(s->cfg.targets, first + i, &a);
		rh = results_host_find(s->cfg.resume, &a);
		if (rh == NULL || (rh->state != EVENT_HOST_DOWN && !rh->done))
			return (false);
	}
	target_iter_init(&it, n * s->nports, s->cfg.seed, s->cfg.shard_index,
	    s->cfg.shard_count);
	s->pairs_done += target_iter_total(&it);
	s->iter_base += n * s->nports;
	return (true);
}

static bool
scan_resume_host(struct scan *s, struct scan_host *h)
{
	const struct results_host	*rh;

	if (s->cfg.resume == NULL ||
	    (rh = results_host_find(s->cfg.resume, &h->addr)) == NULL ||
	    (rh->state != EVENT_HOST_UP && rh->state != EVENT_HOST_DOWN))
		return (false);
	h->reason = rh->reason;
	h->ttl = rh->ttl;
	h->rtt_us = rh->rtt_us;
	h->disc_left = 0;
	if (rh->state == EVENT_HOST_DOWN)
		h->phase = PHASE_DOWN;
	else
		h->phase = rh->silent ? PHASE_SILENT : PHASE_UP;
	return (true);
}

static bool
scan_resume_decided(const struct scan *s, const struct scan_host *h,
    uint64_t idx)
{
	const struct results_host	*rh;

	if (s->cfg.resume == NULL ||
	    (rh = results_host_find(s->cfg.resume, &h->addr)) == NULL)
		return (false);
	return (results_port_find(rh, s->cfg.ports->v[idx].port,
	    s->cfg.ports->v[idx].proto) != NULL);
}
