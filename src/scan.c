/*
 * The scan engine: a scan and its groups. Hosts are scanned in groups of
 * the plan's group size; in a group, a seeded permutation of the (host,
 * port) pairs (target_iter) is pulled into per-host queues by the
 * sending policy (scan-send.c), and the loop (scan-loop.c) runs until
 * every pair of the group is settled. Here: making and freeing a scan
 * from its plan (a transport a family, the probe kinds in use and the capture
 * filter for their replies), the groups, the probes in flight, and what
 * the control socket may change (pause, stop, the rate limit).
 */
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/timerfd.h>

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "event.h"
#include "port-spec.h"
#include "scan-engine.h"
#include "tact.h"
#include "transport.h"
#include "xmalloc.h"

#define SCAN_DELAY_MAX_US	1000000
#define SCAN_RATE_MARGIN	0.99	/* pace a little under each cap */
#define SCAN_RATE_MIN		1.0	/* slower goes no lower */

/* The probe of each kind of discovery the plan names. */
static const struct probe_ops *const scan_disc_ops[] = {
	[SCAN_PLAN_ICMP_ECHO] = &probe_icmp_echo,
	[SCAN_PLAN_ICMP_TSTAMP] = &probe_icmp_tstamp,
	[SCAN_PLAN_TCP_ACK] = &probe_tcp_ack,
	[SCAN_PLAN_TCP_SYN] = &probe_tcp_syn,
	[SCAN_PLAN_TCP_CONNECT] = &probe_tcp_connect,
	[SCAN_PLAN_UDP] = &probe_udp,
};

static size_t	hash_of(const struct scan *, const struct scan_host *,
		    const struct probe_ops *, uint16_t);
static void	scan_hash_grow(struct scan *);
static bool	addr_is_loopback(const struct target_addr *);
static size_t	scan_host_hash(const struct target_addr *, size_t);
static void	scan_discovery(struct scan *);
static void	scan_use(struct scan *, const struct probe_ops *);
static char	*scan_filter(struct scan *, const struct scan_wire *);
static int	 scan_wire_open(struct scan *, const struct target_addr *,
		    char **);

void
scan_list_remove(struct scan_list *l, struct scan_probe *p)
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

void
scan_list_prepend(struct scan_list *l, struct scan_probe *p)
{
	p->prev = NULL;
	p->next = l->head;
	if (l->head != NULL)
		l->head->prev = p;
	else
		l->tail = p;
	l->head = p;
}

void
scan_list_append(struct scan_list *l, struct scan_probe *p)
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
hash_of(const struct scan *s, const struct scan_host *h,
    const struct probe_ops *ops, uint16_t port)
{
	uint64_t	k;

	k = (uint64_t)(uintptr_t)h ^ ((uint64_t)(uintptr_t)ops << 7) ^
	    ((uint64_t)port * 0x9e3779b97f4a7c15ULL);
	k ^= k >> 29;
	return ((size_t)(k & (s->hash_size - 1)));
}

/* Twice the buckets, once there are as many probes as buckets. */
static void
scan_hash_grow(struct scan *s)
{
	struct scan_probe	**old = s->hash, *p, *next;
	size_t			  n = s->hash_size, i, b;

	s->hash_size = n * 2;
	s->hash = xcalloc(s->hash_size, sizeof *s->hash);
	for (i = 0; i < n; i++) {
		for (p = old[i]; p != NULL; p = next) {
			next = p->hnext;
			b = hash_of(s, p->host, p->ops, p->port);
			p->hnext = s->hash[b];
			s->hash[b] = p;
		}
	}
	free(old);
}

struct scan_probe *
scan_probe_find(struct scan *s, struct scan_host *h,
    const struct probe_ops *ops, uint16_t port)
{
	struct scan_probe	*p;

	for (p = s->hash[hash_of(s, h, ops, port)]; p != NULL; p = p->hnext)
		if (p->host == h && p->ops == ops && p->port == port)
			return (p);
	return (NULL);
}

struct scan_probe *
scan_probe_new(struct scan *s, struct scan_host *h, const struct probe_ops *ops,
    uint16_t port)
{
	struct scan_probe	*p;
	size_t			 b;

	if (++s->hash_n > s->hash_size)
		scan_hash_grow(s);
	b = hash_of(s, h, ops, port);
	p = pool_get(&s->probes);
	p->host = h;
	p->ops = ops;
	p->port = port;
	p->proto = ops == &probe_udp ? PORT_UDP : PORT_TCP;
	p->fd = -1;
	p->hnext = s->hash[b];
	s->hash[b] = p;
	return (p);
}

/*
 * Unlink a probe from wherever it is and keep it for the next: a probe
 * a reply, malloc'd and freed, fragments the heap of a long scan.
 */
void
scan_probe_free(struct scan *s, struct scan_probe *p)
{
	struct scan_host	 *h = p->host;
	struct scan_probe	**pp;
	int			  i;

	/* A connect's event later in the batch must not reach it. */
	for (i = 0; p->fd != -1 && i < s->nbatch; i++) {
		if (s->batch[i].data.ptr == p)
			s->batch[i].data.ptr = NULL;
	}
	if (p->outstanding) {
		scan_list_remove(&h->out, p);
		timer_entry_unlink(&p->timeout);
		s->outstanding--;
		h->outstanding--;
	} else if (p->parked) {
		scan_list_remove(&h->parked, p);
		h->nparked--;
	} else
		scan_list_remove(&h->retry, p);
	if (p->fd != -1)
		close(p->fd);
	for (pp = &s->hash[hash_of(s, h, p->ops, p->port)]; *pp != p;
	    pp = &(*pp)->hnext)
		;
	*pp = p->hnext;
	s->hash_n--;
	pool_put(&s->probes, p);
	/* Room in its window, or a window grown: it may send again. */
	scan_send_wake(s, h);
}

void
scan_pair_done(struct scan *s, struct scan_host *h, uint64_t n)
{
	s->pairs_done += n;
	h->done += n;
}

static bool
addr_is_loopback(const struct target_addr *a)
{
	static const uint8_t	v6[16] = { [15] = 1 };

	if (a->family == AF_INET)
		return (a->addr[0] == 127);
	return (memcmp(a->addr, v6, 16) == 0);
}

static size_t
scan_host_hash(const struct target_addr *a, size_t mask)
{
	uint64_t	k = a->family;
	size_t		i, n = target_addr_len(a);

	for (i = 0; i < n; i++)
		k = (k ^ a->addr[i]) * 0x100000001b3ULL;
	return ((size_t)(k ^ (k >> 29)) & mask);
}

/*
 * The host of the group with address a, or NULL: a reply's host, found
 * in an open-addressed index (a binary search over a group of thousands
 * of hosts cost a cache miss a step).
 */
struct scan_host *
scan_group_host(const struct scan *s, const struct target_addr *a)
{
	size_t		i;
	uint32_t	h;

	if (s->host_index == NULL)
		return (NULL);
	for (i = scan_host_hash(a, s->host_mask);
	    (h = s->host_index[i]) != UINT32_MAX; i = (i + 1) & s->host_mask)
		if (target_addr_cmp(a, &s->hosts[h].addr) == 0)
			return (&s->hosts[h]);
	return (NULL);
}

/* Start group g: its hosts, their limits, discovery, the iterator. */
void
scan_group_begin(struct scan *s, uint64_t g)
{
	const struct scan_plan	*pl = s->plan;
	struct scan_host	*h;
	struct scan_wire	*w;
	struct probe_ctx	 ctx;
	char			*cause = NULL;
	uint64_t		 now = clock_now_ns(), i;
	size_t			 n;
	double			 hrate;

	s->group_first = g * s->group_size;
	s->group = g;
	s->group_ns = s->delay_ns = now;
	s->nhosts = (size_t)(s->ntargets - s->group_first < s->group_size ?
	    s->ntargets - s->group_first : s->group_size);
	s->hosts = xcalloc(s->nhosts, sizeof *s->hosts);
	for (n = 16; n < 2 * s->nhosts; n *= 2)
		;
	s->host_mask = n - 1;
	s->host_index = xreallocarray(NULL, n, sizeof *s->host_index);
	memset(s->host_index, 0xff, n * sizeof *s->host_index);
	hrate = pl->host_max_rate * SCAN_RATE_MARGIN;
	for (i = 0; i < s->nhosts; i++) {
		h = &s->hosts[i];
		target_set_get(s->plan->targets, s->group_first + i, &h->addr);
		h->slot = (size_t)i;
		for (n = scan_host_hash(&h->addr, s->host_mask);
		    s->host_index[n] != UINT32_MAX; n = (n + 1) & s->host_mask)
			;
		s->host_index[n] = (uint32_t)i;
		h->alive_port = -1;
		h->hb_need = SCAN_SILENT_MIN;
		rate_init(&h->rate, hrate, 1, now);
		timing_rtt_init(&h->rtt, pl->profile);
		timing_cwnd_init(&h->cwnd, SCAN_HOST_CWND_MIN,
		    SCAN_HOST_CWND_MIN, s->host_max_out);
		timing_delay_init(&h->delay, (uint64_t)pl->scan_delay * 1000,
		    SCAN_DELAY_MAX_US, now);
		h->disc = h->addr.family == AF_INET6 ? s->disc6 : s->disc;
		h->ndisc = h->addr.family == AF_INET6 ? s->ndisc6 : s->ndisc;
		w = scan_wire(s, h->addr.family);
		if (s->use_arp && w->tr != NULL) {
			memset(&ctx, 0, sizeof ctx);
			if (s->tops->route(w->tr, &h->addr, &ctx,
			    &cause) == 1) {
				h->disc = &s->disc_arp[h->addr.family ==
				    AF_INET6];
				h->ndisc = 1;
			}
			free(cause);
			cause = NULL;
		}
		h->disc_left = h->ndisc;
		if (scan_resume_host(s, h))
			continue;
		if (s->plan->no_ping)
			scan_host_up(s, h, EVENT_REASON_USER_SET, 0, 0);
		else if (addr_is_loopback(&h->addr))
			scan_host_up(s, h, EVENT_REASON_LOCALHOST, 0, 0);
		else if (h->ndisc == 0)
			scan_host_up(s, h, EVENT_REASON_USER_SET, 0, 0);
	}
	for (i = 0; i < s->nhosts; i++)
		scan_send_wake(s, &s->hosts[i]);
	target_iter_init(&s->iter, (uint64_t)s->nhosts * s->nports,
	    s->plan->seed, s->plan->pair_index, s->plan->pair_count);
	s->iter.ordered = s->plan->in_order;
	s->iter_end = s->iter.n == 0;
}

bool
scan_group_finished(const struct scan *s)
{
	const struct scan_host	*h;
	size_t			 i;

	if (!s->iter_end || s->outstanding != 0)
		return (false);
	for (i = 0; i < s->nhosts; i++) {
		h = &s->hosts[i];
		if (h->retry.head != NULL || h->parked.head != NULL ||
		    h->bhead != h->btail ||
		    (h->phase == PHASE_DISCOVER && h->disc_left > 0))
			return (false);
	}
	return (true);
}

/*
 * The hosts' deferred ports out in port-run records: all of them, or
 * (each second) those of hosts with enough for a run worth its record,
 * or that have waited long: a slow host's ports are not written a few
 * at a time, at 60 bytes a record, and a crash loses little of either.
 */
void
scan_group_flush(struct scan *s, bool all, uint64_t now)
{
	struct scan_host	*h;
	size_t			 i;

	for (i = 0; i < s->nhosts; i++) {
		h = &s->hosts[i];
		if (all || h->ndeferred >= SCAN_RUN_MIN ||
		    (h->ndeferred > 0 && now - h->deferred_ns >=
		    SCAN_RUN_WAIT_NS))
			scan_host_flush(s, h);
	}
}

void
scan_group_end(struct scan *s)
{
	struct scan_host	*h;
	struct scan_probe	*p;
	size_t			 i;

	for (i = 0; i < s->nhosts; i++) {
		while ((p = s->hosts[i].out.head) != NULL)
			scan_probe_free(s, p);
	}
	scan_service_end(s);
	for (i = 0; i < s->nhosts; i++) {
		h = &s->hosts[i];
		while ((p = h->retry.head) != NULL)
			scan_probe_free(s, p);
		while ((p = h->parked.head) != NULL)
			scan_probe_free(s, p);
		scan_host_flush(s, h);
		timer_entry_unlink(&h->sched);
		if (!s->interrupted &&
		    (h->phase == PHASE_UP || h->phase == PHASE_SILENT)) {
			if (h->rtt.have)
				h->rtt_us = (uint32_t)h->rtt.srtt_us;
			scan_host_emit(s, h, EVENT_HOST_DONE);
		}
		free(h->backlog);
		free(h->deferred);
	}
	s->iter_base += s->nhosts * s->nports;
	free(s->hosts);
	s->hosts = NULL;
	free(s->host_index);
	s->host_index = NULL;
	s->nhosts = 0;
}

/* The plan's discovery probes, and the probes in use. */
static void
scan_discovery(struct scan *s)
{
	const struct scan_plan	*pl = s->plan;
	struct target_addr	 first, last;
	size_t			 i;

	for (i = 0; i < pl->ndisc; i++) {
		s->disc[i].ops = scan_disc_ops[pl->disc[i].probe];
		s->disc[i].port = pl->disc[i].port;
		if (!pl->disc[i].ipv4)
			s->disc6[s->ndisc6++] = s->disc[i];
	}
	s->ndisc = pl->ndisc;
	s->use_arp = pl->arp;
	s->disc_arp[0].ops = &probe_arp;
	s->disc_arp[1].ops = &probe_nd;
	if (!pl->connect) {
		scan_use(s, s->port_ops);
		for (i = 0; i < s->ndisc; i++)
			scan_use(s, s->disc[i].ops);
		target_set_get(pl->targets, 0, &first);
		target_set_get(pl->targets, s->ntargets - 1, &last);
		if (s->use_arp && first.family == AF_INET)
			scan_use(s, s->disc_arp[0].ops);
		if (s->use_arp && last.family == AF_INET6)
			scan_use(s, s->disc_arp[1].ops);
	}
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
scan_filter(struct scan *s, const struct scan_wire *w)
{
	const char	*seen[SCAN_PLAN_DISC_MAX + 2];
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
	target_addr_str(&w->ctx.src, addr, sizeof addr);
	/* The probes' filters are IPv4's; over IPv6 the parser sorts. */
	if (w->ctx.src.family == AF_INET6) {
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

/*
 * The wire of dst's family: our address there and, for a raw scan, a
 * transport of its own (its raw socket and a capture of replies to that
 * address alone); the caller's transport serves every family.
 */
static int
scan_wire_open(struct scan *s, const struct target_addr *dst, char **cause)
{
	const struct scan_plan	*pl = s->plan;
	struct scan_wire	*w = scan_wire(s, dst->family);
	char			*filter;

	if (s->cfg.transport != NULL) {
		w->tr = s->cfg.transport_arg;
		return (s->tops->route(w->tr, dst, &w->ctx, cause) == -1 ?
		    -1 : 0);
	}
	if (transport_route(dst, pl->iface, &w->ctx, cause) == -1)
		return (-1);
	filter = scan_filter(s, w);
	w->tr = transport_raw_open(dst, pl->iface, filter, s->use_arp,
	    cause);
	free(filter);
	if (w->tr == NULL)
		return (-1);
	w->own = true;
	return (0);
}

struct scan *
scan_create(const struct scan_config *cfg, struct event_stream *es,
    char **cause)
{
	const struct scan_plan	*pl = cfg->plan;
	struct scan		*s;
	struct target_addr	 first, last;
	struct target_iter	 it;
	struct epoll_event	 ev;
	uint64_t		 g, n, now = clock_now_ns();
	uint64_t		 life[STATE_NCLASS];
	double			 rate, floor;
	size_t			 i;

	s = xcalloc(1, sizeof *s);
	s->hash_size = SCAN_HASH_MIN;
	s->hash = xcalloc(s->hash_size, sizeof *s->hash);
	pool_init(&s->probes, sizeof (struct scan_probe), 4096);
	timer_wheel_init(&s->timeouts, TIMER_WHEEL_SHIFT, TIMER_WHEEL_BITS, now);
	timer_wheel_init(&s->waits, TIMER_WHEEL_SHIFT, TIMER_WHEEL_BITS, now);
	s->cfg = *cfg;
	s->plan = pl;
	s->es = es;
	s->epfd = s->timerfd = -1;
	s->port_ops = pl->connect ? &probe_tcp_connect : &probe_tcp_syn;
	s->ntargets = target_set_count(pl->targets);
	s->nports = pl->ping_only ? 0 : pl->ports.n;
	if (s->ntargets == 0) {
		xasprintf(cause, "no targets");
		goto fail;
	}
	if (getrandom(s->wire[0].ctx.secret, sizeof s->wire[0].ctx.secret,
	    0) != sizeof s->wire[0].ctx.secret) {
		xasprintf(cause, "getrandom: %s", strerror(errno));
		goto fail;
	}
	s->wire[0].ctx.sport_base = (uint16_t)(20000 +
	    s->wire[0].ctx.secret[1] % 40000);
	s->wire[0].ctx.ttl = pl->ttl;
	s->wire[0].ctx.sport_fixed = pl->source_port;
	s->wire[1].ctx = s->wire[0].ctx;
	scan_discovery(s);
	if (!pl->ping_only && port_list_count(&pl->ports, PORT_UDP) > 0)
		scan_use(s, &probe_udp);
	target_set_get(pl->targets, 0, &first);
	target_set_get(pl->targets, s->ntargets - 1, &last);
	if (cfg->transport != NULL)
		s->tops = cfg->transport;
	else if (pl->raw)
		s->tops = &transport_raw_ops;
	/* Raw probes in use (SYN, or UDP beside a connect): each family's. */
	if (s->tops != NULL && (scan_wire_open(s, &first, cause) != 0 ||
	    (last.family != first.family &&
	    scan_wire_open(s, &last, cause) != 0)))
		goto fail;
	s->host_max_out = pl->host_max_outstanding;
	s->group_size = pl->group_size;
	s->ngroups = (s->ntargets + s->group_size - 1) / s->group_size;
	for (g = 0; g < s->ngroups; g++) {
		n = s->ntargets - g * s->group_size;
		if (n > s->group_size)
			n = s->group_size;
		target_iter_init(&it, n * s->nports, pl->seed,
		    pl->pair_index, pl->pair_count);
		s->pairs_total += target_iter_total(&it);
	}
	/* Empty until a group begins: a resume may skip every group. */
	target_iter_init(&s->iter, 0, pl->seed, pl->pair_index,
	    pl->pair_count);
	rate = pl->max_rate;
	rate_init(&s->rate, rate * SCAN_RATE_MARGIN, 1, now);
	rate_init(&s->min_rate, pl->min_rate, 1, now);
	s->rate_max = s->rate_limit = rate;
	if (pl->max_state_entries != 0) {
		for (i = 0; i < STATE_NCLASS; i++)
			life[i] = (uint64_t)pl->state_lifetime[i] * 1000000;
		s->state = state_model_create(pl->max_state_entries, life);
	}
	if (cfg->resume != NULL && scan_resume_check(s, cause) != 0)
		goto fail;
	if (scan_service_create(s, cause) != 0)
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
	for (i = 0; i < nitems(s->wire); i++) {
		if (!s->wire[i].own)
			continue;
		ev.data.ptr = &s->wire[i];
		if (epoll_ctl(s->epfd, EPOLL_CTL_ADD,
		    s->tops->fd(s->wire[i].tr), &ev) == -1)
			goto fail_epoll;
	}
	/* The caller's transport, once, for both families. */
	if (cfg->transport != NULL) {
		ev.data.ptr = &s->wire[first.family == AF_INET6];
		if (epoll_ctl(s->epfd, EPOLL_CTL_ADD,
		    s->tops->fd(cfg->transport_arg), &ev) == -1)
			goto fail_epoll;
	}
	if (cfg->stop_fd != -1) {
		ev.data.ptr = &s->cfg.stop_fd;
		if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, cfg->stop_fd, &ev) == -1)
			goto fail_epoll;
	}
	if (cfg->watch != NULL) {
		ev.data.ptr = &s->cfg.watch_fd;
		if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, cfg->watch_fd, &ev) == -1)
			goto fail_epoll;
	}
	return (s);

fail_epoll:
	xasprintf(cause, "epoll: %s", strerror(errno));
fail:
	scan_free(s);
	return (NULL);
}

void
scan_free(struct scan *s)
{
	size_t	i;

	if (s == NULL)
		return;
	if (s->hosts != NULL)
		scan_group_end(s);
	scan_service_free(s);
	for (i = 0; i < nitems(s->wire); i++)
		if (s->wire[i].own)
			s->tops->close(s->wire[i].tr);
	if (s->timerfd != -1)
		close(s->timerfd);
	if (s->epfd != -1)
		close(s->epfd);
	state_model_free(s->state);
	timer_wheel_free(&s->timeouts);
	timer_wheel_free(&s->waits);
	pool_free(&s->probes);
	free(s->hash);
	free(s->run);
	free(s->run_ports);
	free(s->run_bits);
	free(s->cause);
	free(s);
}

const struct scan_stats *
scan_stats(const struct scan *s)
{
	return (&s->stats);
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

/*
 * The per-host cap times the hosts being scanned (those of the group in
 * discovery or up; before a group, as many as it will hold); 0: no cap.
 */
static double
scan_rate_host_cap(const struct scan *s)
{
	uint64_t	n = 0;
	size_t		i;

	if (s->plan->host_max_rate <= 0)
		return (0);
	if (s->hosts == NULL)
		n = s->ntargets < s->group_size ? s->ntargets : s->group_size;
	for (i = 0; s->hosts != NULL && i < s->nhosts; i++) {
		if (s->hosts[i].phase == PHASE_DISCOVER ||
		    s->hosts[i].phase == PHASE_UP)
			n++;
	}
	return (s->plan->host_max_rate * (double)(n > 0 ? n : 1));
}

double
scan_rate_adjust(struct scan *s, double factor)
{
	double	rate = s->rate_limit, cap = scan_rate_host_cap(s);

	/* The limit that binds: the per-host cap, when it is the lower. */
	if (cap > 0 && (rate == 0 || cap <= rate)) {
		if (factor >= 1)
			return (rate);	/* each host at the profile's most */
		rate = cap;
	}
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
	rate_set(&s->rate, rate * SCAN_RATE_MARGIN, clock_now_ns());
	return (rate);
}
