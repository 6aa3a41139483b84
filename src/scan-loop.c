/*
 * The engine's loop (scan_run): group after group, each turn settles
 * the probes whose time is up, sends what the limits allow
 * (scan-send.c), writes a progress record once a second, ticks the
 * journal and ring, arms the timer for the next deadline or token and
 * waits on epoll: the timer, the transport's replies, connect sockets,
 * the stop descriptor and the descriptor the front end asked to watch
 * (the control socket), whose callback it calls.
 */
#include <sys/epoll.h>
#include <sys/socket.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "event.h"
#include "port-spec.h"
#include "scan-dir.h"
#include "scan-engine.h"
#include "state-model.h"
#include "transport.h"
#include "xmalloc.h"

#define SCAN_ETA_HELD_NS	1500000000ULL	/* progress late: held up */

static void	scan_loop_timeouts(struct scan *, uint64_t);
static void	scan_loop_host_timeouts(struct scan *, uint64_t);
static uint32_t	scan_loop_eta(struct scan *, uint64_t);
static void	scan_loop_progress(struct scan *, uint64_t, bool);
static void	scan_loop_arm(struct scan *, uint64_t);
static int	scan_loop_wait(struct scan *);
static void	scan_loop_tick(struct scan *);
static void	scan_loop_start(struct scan *);

/* A port probe out of tries, parked: it settles as filtered. */
void
scan_loop_filtered(struct scan *s, struct scan_probe *p)
{
	struct scan_host	*h = p->host;
	struct event_port	 e;

	memset(&e, 0, sizeof e);
	e.addr = h->addr;
	e.port = p->port;
	e.proto = p->proto;
	/* Nmap's reading of silence: UDP may be open. */
	e.state = p->proto == PORT_UDP ?
	    EVENT_PORT_OPEN_FILTERED : EVENT_PORT_FILTERED;
	e.reason = EVENT_REASON_NO_RESPONSE;
	e.tries = p->tries;
	if (e.state == EVENT_PORT_OPEN_FILTERED)
		scan_service_add(s, h, e.port, PORT_UDP, false);
	scan_pair_done(s, h, 1);
	/* Filtered, with no sign of loss: not congestion. */
	timing_cwnd_reply(&h->cwnd);
	timing_cwnd_reply(&s->cwnd);
	scan_probe_free(s, p);
	scan_host_port(s, h, &e);
}

/* Probes whose time is up: drops, to resend or to settle. */
static void
scan_loop_timeouts(struct scan *s, uint64_t now)
{
	struct timer_entry	*e;
	struct scan_probe	*p;
	struct scan_host	*h;

	while ((e = timer_wheel_due(&s->timeouts, now)) != NULL) {
		p = SCAN_PROBE_OF(e);
		h = p->host;
		s->stats.drops++;
		if (!p->discovery && !p->heartbeat) {
			h->drops++;
			h->streak++;
			timing_delay_drop(&h->delay);
		}
		if (p->tries <= scan_send_retries(s, p) ||
		    (!p->heartbeat && !p->discovery)) {
			scan_list_remove(&h->out, p);
			s->outstanding--;
			h->outstanding--;
			p->outstanding = false;
			if (p->fd != -1) {
				close(p->fd);
				p->fd = -1;
			}
			if (p->tries > scan_send_retries(s, p)) {
				scan_send_park(s, p);
				scan_send_flush(s, h);
			} else if (p->heartbeat)
				scan_list_prepend(&h->retry, p);
			else
				scan_list_append(&h->retry, p);
			scan_send_wake(s, h);
		} else if (p->heartbeat) {
			scan_probe_free(s, p);
			scan_host_silent(s, h);
		} else if (p->discovery) {
			scan_probe_free(s, p);
			if (h->phase == PHASE_DISCOVER && --h->disc_left == 0) {
				h->reason = EVENT_REASON_NO_RESPONSE;
				scan_host_settle(s, h, PHASE_DOWN);
				s->hosts_down++;
				scan_host_emit(s, h, EVENT_HOST_DOWN);
			}
		}
		/* A silent host's probes are gone with it. */
		scan_host_check_silent(s, h, now);
	}
}

/*
 * host_timeout: the group's hosts began together; those not finished
 * when it has passed, their ports or their ports' -sV, are abandoned.
 */
static void
scan_loop_host_timeouts(struct scan *s, uint64_t now)
{
	uint64_t	limit = (uint64_t)s->plan->host_timeout * 1000000;
	size_t		i;

	if (limit == 0 || now - s->group_ns < limit)
		return;
	for (i = 0; i < s->nhosts; i++) {
		if (scan_host_unfinished(s, &s->hosts[i]) ||
		    scan_service_pending(s, &s->hosts[i]))
			scan_host_timeout(s, &s->hosts[i]);
	}
}

/*
 * Milliseconds left: in this group, the slowest host's pairs left over
 * its recent rate (a scan waits for its slowest host, which a scan-wide
 * average would hide); later groups as long as this one. UINT32_MAX
 * while a host has no rate yet. A second that lasted over 1.5 s means
 * the engine itself was held up (a loaded machine, SIGSTOP): what the
 * hosts did in it says nothing of their rate, so it is not sampled, nor
 * is the second after it, in which the engine catches up with what
 * came meanwhile.
 */
static uint32_t
scan_loop_eta(struct scan *s, uint64_t now)
{
	struct scan_host	*h;
	double			 dt, share, left, eta = 0, group;
	size_t			 i;
	bool			 late, held;

	if (s->pairs_done >= s->pairs_total)
		return (0);
	if (now <= s->progress_ns || s->nhosts == 0)
		return (UINT32_MAX);
	dt = (double)(now - s->progress_ns) / 1e9;
	late = now - s->progress_ns > SCAN_ETA_HELD_NS;
	held = late || s->progress_held;
	s->progress_held = late;
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
		    h->phase == PHASE_TIMEOUT || left <= 0)
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
scan_loop_progress(struct scan *s, uint64_t now, bool force)
{
	struct event_progress	 e;
	struct scan_host	*h;
	uint64_t		 delay = 0;
	size_t			 i;

	/*
	 * The group's hosts share their delay's second (it began with the
	 * group, and each ends here, at once): walk them only when it is
	 * over or a record is due.
	 */
	if (force || now - s->progress_ns >= 1000000000ULL ||
	    now - s->delay_ns >= 1000000000ULL) {
		for (i = 0; i < s->nhosts; i++) {
			h = &s->hosts[i];
			if (timing_delay_tick(&h->delay, now) &&
			    h->phase == PHASE_UP) {
				h->next_ns = now + h->delay.delay_us * 1000;
				scan_send_wake(s, h);
			}
			if (h->delay.delay_us > delay)
				delay = h->delay.delay_us;
		}
		if (now - s->delay_ns >= 1000000000ULL)
			s->delay_ns = now;
	}
	if (!force && now - s->progress_ns < 1000000000ULL)
		return;
	scan_group_flush(s, false, now);
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
	e.eta_ms = scan_loop_eta(s, now);
	e.cwnd = timing_cwnd_get(&s->cwnd);
	e.delay_us = (uint32_t)delay;
	e.iter_done = s->iter_base + target_iter_done(&s->iter);
	if (s->state != NULL) {
		(void)scan_send_state_full(s, now);
		e.state_entries = state_model_count(s->state);
		e.state_max = s->plan->max_state_entries;
	}
	s->rate_milli = e.rate_milli;
	event_stream_emit(s->es, EVENT_PROGRESS, &e, sizeof e);
	s->progress_ns = now;
	s->progress_probes = s->stats.probes;
}

/* Arm the timer for the next thing that can happen without a packet. */
static void
scan_loop_arm(struct scan *s, uint64_t now)
{
	uint64_t		 next = s->progress_ns + 1000000000ULL, t;
	uint64_t		 send;

	if ((t = timer_wheel_next(&s->timeouts)) < next)
		next = t;
	if (!s->paused) {
		send = scan_send_when(s, now);
		if (!s->iter_end)
			send = now;
		t = now + rate_wait(&s->rate, now);
		if (send != UINT64_MAX && t > send)
			send = t;
		/* At the cap of state entries: until the next one ends. */
		if (send != UINT64_MAX && scan_send_state_full(s, now) &&
		    (t = state_model_next(s->state)) > send)
			send = t;
		if (send < next)
			next = send;
	}
	if ((t = scan_service_deadline(s, now)) < next)
		next = t;
	if (s->plan->host_timeout != 0 &&
	    (t = s->group_ns + (uint64_t)s->plan->host_timeout * 1000000) <
	    next)
		next = t;
	if (next <= now)
		next = now + 1000;
	clock_timer_set(s->timerfd, next, now);
}

/*
 * On the virtual clock, with nothing ready: time moves on to the
 * earliest timer, and the scan's timer and each wire are handled as if
 * ready (a wire with nothing due reads nothing). Returns how many events
 * it made, or -1 if no timer is armed, which would never end.
 */
static int
scan_loop_wait_virtual(struct scan *s, struct epoll_event *ev)
{
	int	n = 0, i;

	if (!clock_virtual_advance()) {
		xasprintf(&s->cause, "virtual clock: no timer armed");
		return (-1);
	}
	ev[n++].data.ptr = &s->timerfd;
	for (i = 0; i < 2; i++) {
		if (s->wire[i].tr != NULL)
			ev[n++].data.ptr = &s->wire[i];
	}
	return (n);
}

/* Wait for the timer, a reply, a socket or a stop; handle them. */
static int
scan_loop_wait(struct scan *s)
{
	struct epoll_event	 ev[64];
	struct scan_probe	*p;
	struct probe_reply	 r;
	struct probe_verdict	 v;
	uint64_t		 expired;
	socklen_t		 len;
	int			 n, i, err;

	if ((n = epoll_wait(s->epfd, ev, 64, clock_is_virtual() ? 0 :
	    -1)) == -1) {
		if (errno == EINTR)
			return (0);
		xasprintf(&s->cause, "epoll: %s", strerror(errno));
		return (-1);
	}
	if (n == 0 && (n = scan_loop_wait_virtual(s, ev)) == -1)
		return (-1);
	/*
	 * One clock read for the batch: what it holds arrived before the
	 * wait ended.
	 */
	s->batch_ns = clock_now_ns();
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
		} else if (ev[i].data.ptr == &s->cfg.watch_fd) {
			s->cfg.watch(s, s->cfg.watch_fd, s->cfg.watch_arg);
		} else if (ev[i].data.ptr == &s->wire[0] ||
		    ev[i].data.ptr == &s->wire[1]) {
			if (s->tops->read(((struct scan_wire *)
			    ev[i].data.ptr)->tr, scan_host_reply, s,
			    &s->cause) != 0) {
				s->nbatch = 0;
				return (-1);
			}
		} else if (s->svc_phase) {
			/* No port probe is out once the phase begins. */
			scan_service_event(s, ev[i].data.ptr, ev[i].events);
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
			scan_host_answer(s, p, &v, 0, (uint8_t)(p->tries - 1),
			    s->batch_ns);
		}
	}
	s->nbatch = 0;
	return (0);
}

/* The journal and ring after each round of the loop. */
static void
scan_loop_tick(struct scan *s)
{
	if (s->cfg.dir == NULL || s->cause != NULL)
		return;
	if (scan_dir_tick(s->cfg.dir, &s->cause) != 0)
		s->stop = true;
}

static void
scan_loop_start(struct scan *s)
{
	struct event_scan_start	*e;
	size_t			 len = sizeof *e, i, off;

	for (i = 0; i < s->cfg.nstrings; i++)
		len += strlen(s->cfg.strings[i]) + 1;
	e = xcalloc(1, len);
	e->seed = s->plan->seed;
	e->hosts = s->ntargets;
	e->pairs = s->pairs_total;
	e->wall_start = (uint64_t)time(NULL);
	e->shard_index = s->plan->shard_index;
	e->shard_count = s->plan->shard_count;
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

	s->start_ns = s->progress_ns = clock_now_ns();
	if (s->cfg.resume == NULL)
		scan_loop_start(s);
	else
		scan_resume_counts(s);
	for (g = 0; g < s->ngroups && !s->stop && !s->interrupted; g++) {
		if (s->cfg.resume != NULL && scan_resume_group_done(s, g))
			continue;
		scan_group_begin(s, g);
		for (;;) {
			now = clock_now_ns();
			scan_loop_timeouts(s, now);
			scan_loop_host_timeouts(s, now);
			scan_service_timeouts(s, now);
			scan_send(s, now);
			scan_service_send(s, now);
			scan_loop_progress(s, now, false);
			scan_loop_tick(s);
			if (s->stop || s->interrupted)
				break;
			/* Its ports done, the group's open ones get -sV. */
			if (scan_group_finished(s)) {
				if (scan_service_finished(s))
					break;
				if (!s->svc_phase) {
					s->svc_phase = true;
					continue;
				}
			}
			scan_loop_arm(s, now);
			if (scan_loop_wait(s) != 0) {
				s->stop = true;
				break;
			}
		}
		if (s->interrupted) {
			scan_group_flush(s, true, 0);
			break;
		}
		scan_group_end(s);
	}
	scan_loop_progress(s, clock_now_ns(), true);
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
