/*
 * The engine's insides, shared by its files and nothing else: a scan is
 * its groups of hosts, each host's queue of pairs, the probes in flight
 * (a hash that grows, each host's list and a timer wheel by deadline),
 * the hosts that may send (ready queues, and a wheel of those waiting
 * for their next token) and its counters.
 *
 *	scan.c		creating and freeing a scan, its groups, the
 *			probes in flight, the probe kinds in use and the
 *			capture filter, what the control socket may change
 *	scan-send.c	the sending policy: which host next, which probe,
 *			whether every limit allows it (the state entries
 *			in NAT and firewalls too), how often to retry
 *	scan-host.c	answers: what a reply or connect says, a host up,
 *			down or gone silent, the records of hosts and
 *			ports (closed and filtered ones in runs)
 *	scan-loop.c	the event loop: timeouts, progress, the timer,
 *			waiting on epoll, the scan-start and scan-end
 *	scan-resume.c	what an interrupted scan's journal has done
 *	scan-service.c	-sV: after a group's ports, probing the open ones
 */
#ifndef SCAN_ENGINE_H
#define SCAN_ENGINE_H

#include <sys/socket.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pool.h"
#include "probe.h"
#include "rate.h"
#include "scan-plan.h"
#include "scan.h"
#include "state-model.h"
#include "target-iter.h"
#include "target.h"
#include "timer-wheel.h"
#include "timing.h"

#define SCAN_HASH_MIN		4096	/* buckets; doubles as it fills */
#define SCAN_SILENT_NS		1000000000ULL
#define SCAN_SILENT_MIN		6	/* drops in a row, at least */
#define SCAN_HOST_CWND_MIN	4
#define SCAN_PARKED_MAX		16	/* a host's ports out of tries kept */
#define SCAN_RUN_MAX		4096	/* ports deferred, then a run */
#define SCAN_RUN_MIN		64	/* a run once a second from so many */
#define SCAN_RUN_WAIT_NS	60000000000ULL	/* or after so long */

struct epoll_event;
struct transport_ops;

enum scan_phase {
	PHASE_DISCOVER,
	PHASE_UP,
	PHASE_DOWN,
	PHASE_SILENT,
	PHASE_TIMEOUT		/* abandoned at host_timeout */
};

struct scan_host;
struct scan_svc;

struct scan_probe {
	struct scan_host	*host;
	const struct probe_ops	*ops;
	uint16_t		 port;
	uint8_t			 tries;		/* sent so far */
	uint8_t			 proto;		/* PORT_TCP or PORT_UDP */
	bool			 discovery;
	bool			 heartbeat;	/* is the host still there? */
	bool			 outstanding;	/* else waiting to be resent */
	bool			 parked;	/* out of tries, for now */
	uint16_t		 sport0;	/* its first try's keyed port */
	uint64_t		 first_ns;	/* first sent */
	uint64_t		 sent_ns;	/* last sent */
	uint64_t		 deadline_ns;
	int			 fd;
	struct scan_probe	*prev;	/* host's outstanding, retry or parked */
	struct scan_probe	*next;
	struct scan_probe	*hnext;		/* hash chain */
	struct timer_entry	 timeout;	/* outstanding: by deadline_ns */
};

#define SCAN_PROBE_OF(e) \
	((struct scan_probe *)((char *)(e) - offsetof(struct scan_probe, timeout)))

struct scan_list {
	struct scan_probe	*head;
	struct scan_probe	*tail;
};

struct scan_disc {
	const struct probe_ops	*ops;
	uint16_t		 port;
};

/*
 * What one family of addresses is sent with: our address of that family
 * (and the keys, the same in both), its transport; a raw scan of IPv4
 * and IPv6 targets together has one of each.
 */
struct scan_wire {
	struct probe_ctx	 ctx;
	void			*tr;		/* NULL: none */
	bool			 own;		/* opened, closed here */
};

/*
 * A host of the group. The fields a probe's sending and its answer
 * touch come first, together (a group of thousands of hosts does not
 * stay in the cache, and each line of a host is a miss); the rest, for
 * discovery, heartbeats, -sV, progress and the records, from slot on
 * (SCAN_HOST_HOT: the bytes before it).
 */
struct scan_host {
	struct timer_entry	 sched;		/* ready, waiting or blocked */
	struct target_addr	 addr;
	enum scan_phase		 phase;
	uint32_t		 outstanding;
	bool			 heartbeat;	/* a heartbeat is live */
	bool			 fresh_next;	/* alternate retries and new */
	bool			 open_alive;	/* alive_port was open */
	int			 alive_port;	/* answered before; -1: none */
	struct scan_list	 out;		/* outstanding */
	struct scan_list	 retry;
	uint16_t		*backlog;	/* port indexes, a FIFO */
	size_t			 bhead;
	size_t			 btail;
	size_t			 bsize;
	uint64_t		 next_ns;	/* scan delay: not before */
	uint64_t		 probes;
	uint64_t		 replies;
	uint64_t		 streak;	/* drops since the last reply */
	uint64_t		 last_reply_ns;
	uint64_t		 lost;		/* tries lost before answers */
	uint64_t		 answered;	/* port probes answered */
	uint64_t		 done;		/* pairs settled */
	/* Closed and filtered ports not yet in a port-run record. */
	uint64_t		*deferred;	/* scan_host_port()'s keys */
	size_t			 ndeferred;
	size_t			 adeferred;
	struct rate		 rate;
	struct timing_cwnd	 cwnd;
	struct timing_rtt	 rtt;
	struct timing_delay	 delay;

	size_t			 slot;		/* in the group */
	uint8_t			 reason;
	uint8_t			 ttl;
	bool			 named;		/* its name went out */
	uint32_t		 rtt_us;
	uint64_t		 drops;
	uint64_t		 hb_need;	/* streak that sends one */
	uint64_t		 done_prev;	/* at the last progress */
	double			 pair_rate;	/* pairs/s, smoothed */
	uint64_t		 deferred_ns;	/* when the first of them was */
	struct scan_list	 parked;	/* out of tries, not yet settled */
	uint32_t		 nparked;
	const struct scan_disc	*disc;
	size_t			 ndisc;
	size_t			 disc_next;
	size_t			 disc_left;
	uint32_t		 svc_open;	/* -sV connections open */
};

#define SCAN_HOST_HOT	offsetof(struct scan_host, slot)

#define SCAN_HOST_OF(e) \
	((struct scan_host *)((char *)(e) - offsetof(struct scan_host, sched)))

struct scan {
	struct scan_config	 cfg;
	const struct scan_plan	*plan;
	struct event_stream	*es;
	struct scan_stats	 stats;
	struct scan_wire	 wire[2];	/* IPv4, IPv6 */
	const struct transport_ops *tops;
	const struct probe_ops	*port_ops;
	struct scan_disc	 disc[SCAN_PLAN_DISC_MAX];
	size_t			 ndisc;
	struct scan_disc	 disc6[SCAN_PLAN_DISC_MAX];	/* IPv6's */
	size_t			 ndisc6;
	struct scan_disc	 disc_arp[2];	/* ARP, ND */
	bool			 use_arp;
	const struct probe_ops	*ops[SCAN_PLAN_DISC_MAX + 3]; /* in use */
	size_t			 nops;

	int			 epfd;
	int			 timerfd;
	struct epoll_event	*batch;		/* being handled by the loop */
	int			 nbatch;
	uint64_t		 batch_ns;	/* when the loop's wait ended */
	struct rate		 rate;
	struct rate		 min_rate;	/* --min-rate: tokens owed */
	struct timing_cwnd	 cwnd;
	uint32_t		 host_max_out;
	uint32_t		 outstanding;
	struct timer_wheel	 timeouts;	/* outstanding probes */
	struct scan_probe	**hash;
	size_t			 hash_size;	/* a power of two */
	size_t			 hash_n;
	struct pool		 probes;
	/*
	 * Hosts that may send, below SCAN_HOST_CWND_MIN outstanding (low,
	 * which the scan's window never holds back) and at or above it;
	 * those whose own window is full, for --min-rate; those waiting
	 * for their scan delay or a token (scan-send.c).
	 */
	struct timer_list	 ready_low;
	struct timer_list	 ready_high;
	struct timer_list	 full;
	struct timer_wheel	 waits;
	struct state_model	*state;		/* NULL: no cap, no model */

	uint64_t		 nports;
	uint64_t		 ntargets;
	uint64_t		 group_size;
	uint64_t		 ngroups;
	uint64_t		 group_first;
	uint64_t		 group;		/* the current one */
	uint64_t		 group_ns;	/* when it began */
	uint64_t		 delay_ns;	/* its hosts' delay second began */
	struct scan_host	*hosts;
	size_t			 nhosts;
	uint32_t		*host_index;	/* by address; UINT32_MAX: none */
	size_t			 host_mask;	/* its slots - 1 */
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
	bool			 progress_held;	/* the last second, held up */
	bool			 stop;
	bool			 interrupted;	/* stop_fd: no scan-end */
	bool			 paused;	/* control: send nothing */
	double			 rate_max;	/* the plan's */
	double			 rate_limit;	/* now; 0: none */
	uint32_t		 rate_milli;	/* the last progress record's */
	struct event_port_run	*run;		/* a port-run in the making */
	uint16_t		*run_ports;
	uint64_t		*run_bits;	/* a bit a port; 0 between */
	char			*cause;

	/* -sV: the group's open TCP ports, probed once its ports are done. */
	void			*tls_ctx;
	struct scan_svc		**svc;
	size_t			 nsvc;
	size_t			 asvc;
	size_t			 svc_done;
	bool			 svc_phase;	/* every socket is a scan_svc */
	uint8_t			*svc_buf;	/* one read's bytes */
	size_t			*svc_order;	/* scratch, a probe index each */
};

/* The wire of a family. */
static inline struct scan_wire *
scan_wire(struct scan *s, int family)
{
	return (&s->wire[family == AF_INET6]);
}

/*
 * Fetch host h's hot fields (SCAN_HOST_HOT) into the cache while
 * something else is done: in a group of thousands of hosts, the next
 * pair's host, the next in the queue or a reply's left the cache long
 * ago.
 */
static inline void
scan_host_prefetch(const struct scan_host *h)
{
	size_t	off;

	for (off = 0; off < SCAN_HOST_HOT; off += 64)
		__builtin_prefetch((const char *)h + off);
	__builtin_prefetch((const char *)h + SCAN_HOST_HOT - 1);
}

/* scan.c */
void	 scan_list_remove(struct scan_list *, struct scan_probe *);
void	 scan_list_prepend(struct scan_list *, struct scan_probe *);
void	 scan_list_append(struct scan_list *, struct scan_probe *);
struct scan_probe *scan_probe_new(struct scan *, struct scan_host *,
	    const struct probe_ops *, uint16_t);
struct scan_probe *scan_probe_find(struct scan *, struct scan_host *,
	    const struct probe_ops *, uint16_t);
void	 scan_probe_free(struct scan *, struct scan_probe *);
void	 scan_pair_done(struct scan *, struct scan_host *, uint64_t);
void	 scan_group_begin(struct scan *, uint64_t);
bool	 scan_group_finished(const struct scan *);
struct scan_host *scan_group_host(const struct scan *,
	    const struct target_addr *);
void	 scan_group_end(struct scan *);
void	 scan_group_flush(struct scan *, bool, uint64_t);

/* scan-send.c */
void	 scan_send(struct scan *, uint64_t);
bool	 scan_send_has_work(const struct scan_host *);
void	 scan_send_wake(struct scan *, struct scan_host *);
uint64_t scan_send_when(struct scan *, uint64_t);
/* --packet-trace: a probe sent (verdict NULL) or answered. */
void	 scan_send_trace(struct scan *, const struct scan_probe *,
	    const struct probe_verdict *, uint8_t);
/* Is the scan sending slower than --min-rate asks? */
bool	 scan_send_behind(const struct scan *, uint64_t);
uint32_t scan_send_retries(const struct scan *, const struct scan_probe *);
bool	 scan_send_state_full(struct scan *, uint64_t);
void	 scan_send_state(struct scan *, const struct scan_probe *, uint8_t,
	    const struct probe_verdict *, uint64_t);
void	 scan_send_park(struct scan *, struct scan_probe *);
void	 scan_send_unpark(struct scan *, struct scan_host *);
void	 scan_send_flush(struct scan *, struct scan_host *);

/* scan-loop.c */
void	 scan_loop_filtered(struct scan *, struct scan_probe *);

/* scan-host.c */
void	 scan_host_answer(struct scan *, struct scan_probe *,
	    const struct probe_verdict *, uint8_t, uint8_t, uint64_t);
void	 scan_host_reply(void *, const struct probe_reply *);
void	 scan_host_emit(struct scan *, struct scan_host *, uint8_t);
void	 scan_host_port(struct scan *, struct scan_host *,
	    const struct event_port *);
void	 scan_host_flush(struct scan *, struct scan_host *);
void	 scan_host_up(struct scan *, struct scan_host *, uint8_t, uint8_t,
	    uint64_t);
void	 scan_host_settle(struct scan *, struct scan_host *,
	    enum scan_phase);
void	 scan_host_check_silent(struct scan *, struct scan_host *,
	    uint64_t);
void	 scan_host_silent(struct scan *, struct scan_host *);
bool	 scan_host_unfinished(const struct scan *,
	    const struct scan_host *);
void	 scan_host_timeout(struct scan *, struct scan_host *);

/* scan-service.c */
int	 scan_service_create(struct scan *, char **);
void	 scan_service_free(struct scan *);
void	 scan_service_add(struct scan *, struct scan_host *, uint16_t,
	    uint8_t, bool);
bool	 scan_service_finished(const struct scan *);
bool	 scan_service_pending(const struct scan *, const struct scan_host *);
void	 scan_service_abandon(struct scan *, struct scan_host *);
void	 scan_service_send(struct scan *, uint64_t);
void	 scan_service_timeouts(struct scan *, uint64_t);
uint64_t scan_service_deadline(const struct scan *, uint64_t);
void	 scan_service_event(struct scan *, struct scan_svc *, uint32_t);
void	 scan_service_end(struct scan *);

/* scan-resume.c */
int	 scan_resume_check(const struct scan *, char **);
void	 scan_resume_counts(struct scan *);
bool	 scan_resume_group_done(struct scan *, uint64_t);
bool	 scan_resume_host(struct scan *, struct scan_host *);
bool	 scan_resume_decided(const struct scan *, const struct scan_host *,
	    uint64_t);

#endif
