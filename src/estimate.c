/*
 * The estimate of a scan and the gate before its first packet. Both
 * count from the scan's plan alone (scan-plan.c: the technique, ports,
 * discovery probes and limits the engine will use), so that the
 * dashboard can call the estimate on every key press; the only file
 * read is the ledger, when a path is given, and it is never written
 * here: the gate leaves charging to scope_policy_check().
 *
 * The least time a scan can take follows from the profile's limits.
 * With n probes for each of H hosts, run in groups of P hosts
 * (max_parallel_hosts) one group after another:
 *
 *	i = max(1 / host_max_rate, scan_delay)	the gap between two probes
 *						to one host
 *	group of g hosts: t(g) = max(g * n / R, n * i)
 *						R the global rate (max_rate,
 *						or --max-rate if lower)
 *	at best = sum of t(g) over the groups, at least all probes / R
 *
 * The probes: at best every one is answered at once, and a host's first
 * discovery answer cancels the rest of its discovery (so one discovery
 * probe a host); at worst none is, and each port probe is sent
 * 1 + max_retries times, each discovery probe 1 + the plan's discovery
 * retries (one) times.
 *
 * At worst no probe is answered: each is sent 1 + max_retries times
 * (w = n * (1 + max_retries) tries a host), and each try holds one of
 * the host's host_max_outstanding (k) slots for the timeout of a host
 * that never answered (initial_rtt_timeout within min/max_rtt_timeout,
 * t0), so a host needs at least max(w * i, ceil(w / k) * t0) and a
 * group max(g * w / R, that). A host_timeout caps each group's time.
 * A limit of 0 (none) drops its term.
 *
 * State entries in NAT and firewalls: each of N probes leaves one that
 * lives its class's lifetime (at best a TCP probe is answered, and the
 * RST that ends its exchange leaves it the close time), S entry-seconds
 * in all. Over a scan of T seconds that is S / T entries alive, or all
 * N while T is shorter than their lifetimes: the peak is min(N, S / T).
 * A cap C lets no more than C live at once, so the scan takes at least
 * S / C less the last entries' lifetime (S / N each). With -g, the
 * tries of a TCP or UDP probe share their tuple and so one entry.
 */
#include <sys/socket.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "estimate.h"
#include "ledger.h"
#include "port-spec.h"
#include "profile.h"
#include "scan-opts.h"
#include "scan-plan.h"
#include "scope.h"
#include "tact.h"
#include "target.h"
#include "xmalloc.h"

/* Warn about all hosts of a /16 or more when the profile sets no limit. */
#define ESTIMATE_MANY_HOSTS	65536
/* Look up quotas target by target in sets of at most a /16. */
#define ESTIMATE_WALK_MAX	65536
#define ESTIMATE_ALL_PORTS	65535
#define ESTIMATE_LONG		86400.0

/* The techniques as -s names them, and how each reaches applications. */
static const struct {
	unsigned	 technique;
	const char	*option;
	const char	*what;		/* NULL: it does not */
} estimate_options[] = {
	{ SCAN_OPTS_SYN, "-sS", NULL },
	{ SCAN_OPTS_CONNECT, "-sT", "a connect completes the handshake" },
	{ SCAN_OPTS_UDP, "-sU", "a UDP probe is delivered" },
};

/* The state of the quota walk over the targets. */
struct estimate_quota {
	struct estimate			*e;
	const struct scan_plan		*pl;
	uint64_t			 index;	/* of the address */
};

static uint64_t	estimate_mul(uint64_t, uint64_t);
static uint64_t	estimate_add(uint64_t, uint64_t);
static void	estimate_warn(struct estimate *, enum estimate_warn,
		    const char *, ...) __attribute__((format(printf, 3, 4)));
static void	estimate_refuse(struct estimate *, enum scope_verdict,
		    char *);
static void	estimate_ports(struct estimate *, const struct scan_plan *);
static void	estimate_discovery(struct estimate *,
		    const struct scan_plan *);
static int	estimate_count_run(const struct target_addr *,
		    const struct target_addr *, void *);
static double	estimate_group(const struct scan_plan *, double, double,
		    double, double);
static void	estimate_time(struct estimate *, const struct scan_plan *);
static void	estimate_state(struct estimate *, const struct scan_plan *);
static void	estimate_limits(struct estimate *, const struct scan_plan *);
static void	estimate_scope(struct estimate *, const struct scan_plan *);
static int	estimate_quota_one(struct estimate *,
		    const struct scope_policy *, const struct target_addr *,
		    uint32_t);
static int	estimate_quota_run(const struct target_addr *,
		    const struct target_addr *, void *);
static void	estimate_quota(struct estimate *, const struct scan_plan *);
static void	estimate_advice(struct estimate *, const struct scan_plan *);

static uint64_t
estimate_mul(uint64_t a, uint64_t b)
{
	if (a != 0 && b > UINT64_MAX / a)
		return (UINT64_MAX);
	return (a * b);
}

static uint64_t
estimate_add(uint64_t a, uint64_t b)
{
	return (a > UINT64_MAX - b ? UINT64_MAX : a + b);
}

static void
estimate_warn(struct estimate *e, enum estimate_warn code, const char *fmt,
    ...)
{
	va_list	 ap;
	char	*text;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	text = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(text, (size_t)n + 1, fmt, ap);
	va_end(ap);
	e->warn = xreallocarray(e->warn, e->nwarn + 1, sizeof *e->warn);
	e->warn[e->nwarn].code = code;
	e->warn[e->nwarn++].text = text;
}

/* The first refusal is the one that counts; reason is taken. */
static void
estimate_refuse(struct estimate *e, enum scope_verdict v, char *reason)
{
	if (e->verdict != SCOPE_OK) {
		free(reason);
		return;
	}
	e->verdict = v;
	e->reason = reason;
}

/* Ports a host, as the plan lists them. */
static void
estimate_ports(struct estimate *e, const struct scan_plan *pl)
{
	e->ports = pl->ports.n;
	if (port_list_count(&pl->ports, PORT_TCP) >= ESTIMATE_ALL_PORTS)
		estimate_warn(e, ESTIMATE_WARN_ALL_PORTS, "all %d TCP ports "
		    "of each host: would --top-ports 1000 do?",
		    ESTIMATE_ALL_PORTS);
	if (port_list_count(&pl->ports, PORT_UDP) >= ESTIMATE_ALL_PORTS)
		estimate_warn(e, ESTIMATE_WARN_ALL_PORTS, "all %d UDP ports "
		    "of each host: would --top-ports 100 do?",
		    ESTIMATE_ALL_PORTS);
}

/*
 * Discovery probes a host that is not loopback gets: the plan's (an
 * IPv6 host not those only IPv4 has, such as the timestamp request),
 * or with none but ARP (ND), that one. None with -Pn.
 */
static void
estimate_discovery(struct estimate *e, const struct scan_plan *pl)
{
	size_t	i;

	e->discovery = pl->ndisc != 0 ? pl->ndisc : pl->arp;
	e->discovery6 = pl->ndisc != 0 ? 0 : pl->arp;
	for (i = 0; i < pl->ndisc; i++) {
		if (!pl->disc[i].ipv4)
			e->discovery6++;
	}
}

/*
 * Count the loopback addresses of a run (127.0.0.0/8 and ::1) and its
 * other IPv6 ones.
 */
static int
estimate_count_run(const struct target_addr *lo,
    const struct target_addr *hi, void *arg)
{
	static const struct target_addr	 one = { AF_INET6, { [15] = 1 } };
	struct estimate			*e = arg;
	uint64_t			 l = 0, h = 0, n;
	uint32_t			 a, b;
	int				 i;

	if (lo->family == AF_INET6) {
		for (i = 8; i < 16; i++) {
			l = l << 8 | lo->addr[i];
			h = h << 8 | hi->addr[i];
		}
		/* How many, or UINT64_MAX if more. */
		n = memcmp(lo->addr, hi->addr, 8) != 0 ? UINT64_MAX :
		    estimate_add(h - l, 1);
		if (target_addr_cmp(lo, &one) <= 0 &&
		    target_addr_cmp(&one, hi) <= 0) {
			e->loopback++;
			if (n != UINT64_MAX)
				n--;
		}
		e->remote6 = estimate_add(e->remote6, n);
		return (0);
	}
	a = (uint32_t)lo->addr[0] << 24 | lo->addr[1] << 16 |
	    lo->addr[2] << 8 | lo->addr[3];
	b = (uint32_t)hi->addr[0] << 24 | hi->addr[1] << 16 |
	    hi->addr[2] << 8 | hi->addr[3];
	if (a < 0x7f000000U)
		a = 0x7f000000U;
	if (b > 0x7fffffffU)
		b = 0x7fffffffU;
	if (a <= b)
		e->loopback += (uint64_t)(b - a) + 1;
	return (0);
}

/*
 * The least time of a group of g hosts with n probes each, at a global
 * rate r (0: none) and a gap of i seconds between one host's probes,
 * capped by the profile's host_timeout.
 */
static double
estimate_group(const struct scan_plan *pl, double g, double n, double r,
    double i)
{
	double	t = n * i;

	if (r > 0 && g * n / r > t)
		t = g * n / r;
	if (pl->host_timeout != 0 && t > pl->host_timeout / 1000.0)
		t = pl->host_timeout / 1000.0;
	return (t);
}

/* The least time at best and at worst; see the comment at the top. */
static void
estimate_time(struct estimate *e, const struct scan_plan *pl)
{
	const struct profile	*p = pl->profile;
	double			 r = pl->max_rate, gap = 0, t0, hw, n, w, delay;
	double			 groups, rest, size, kslots;
	uint32_t		 lo, hi;

	if (pl->host_max_rate > 0)
		gap = 1.0 / pl->host_max_rate;
	delay = pl->scan_delay / 1000.0;
	if (delay > gap)
		gap = delay;

	e->host_rate = gap > 0 ? 1.0 / gap : 0;
	if (r > 0 && (e->host_rate == 0 || r < e->host_rate))
		e->host_rate = r;
	e->outstanding = pl->host_max_outstanding;

	if (e->hosts == 0)
		return;
	n = (double)e->ports;
	/* As long as its host with the most discovery: IPv4's, if any. */
	if (e->loopback == 0)
		n += (double)(e->remote6 == e->hosts ? e->discovery6 :
		    e->discovery);
	w = n * (1.0 + pl->max_retries);
	size = pl->group_size < e->hosts ? pl->group_size : (double)e->hosts;
	groups = floor((double)e->hosts / size);
	rest = (double)e->hosts - groups * size;

	e->seconds = groups * estimate_group(pl, size, n, r, gap);
	if (rest > 0)
		e->seconds += estimate_group(pl, rest, n, r, gap);
	if (r > 0 && pl->host_timeout == 0 &&
	    (double)e->probes / r > e->seconds)
		e->seconds = (double)e->probes / r;

	lo = p->min_rtt_timeout;
	hi = p->max_rtt_timeout > lo ? p->max_rtt_timeout : lo;
	t0 = p->initial_rtt_timeout;
	t0 = (t0 < lo ? lo : t0 > hi ? hi : t0) / 1000.0;
	kslots = pl->host_max_outstanding;
	hw = w * gap;
	if (kslots > 0 && ceil(w / kslots) * t0 > hw)
		hw = ceil(w / kslots) * t0;
	/* A gap of hw / w between probes gives a host exactly hw. */
	e->seconds_worst = groups * estimate_group(pl, size, w, r,
	    w > 0 ? hw / w : 0);
	if (rest > 0)
		e->seconds_worst += estimate_group(pl, rest, w, r,
		    w > 0 ? hw / w : 0);
}

/*
 * The state entries the scan leaves alive at most, and the time a cap
 * adds; see the comment at the top.
 */
static void
estimate_state(struct estimate *e, const struct scan_plan *pl)
{
	const uint32_t	*life = pl->state_lifetime;
	double		 tcp, udp, tries = 1.0 + pl->max_retries, remote;
	double		 entries = (double)e->probes_worst;
	double		 disc_best[2] = { 0, 0 }, disc_worst[2] = { 0, 0 };
	double		 best, worst, n, min, remote6 = (double)e->remote6;
	size_t		 i;
	int		 v6;
	bool		 icmp, first;

	e->state_max = pl->max_state_entries;
	if (e->hosts == 0)
		return;
	tcp = (double)port_list_count(&pl->ports, PORT_TCP);
	udp = (double)port_list_count(&pl->ports, PORT_UDP);
	/* [0]: an IPv4 host's discovery, [1]: an IPv6 host's. */
	for (v6 = 0; v6 < 2; v6++) {
		first = true;
		for (i = 0; i < pl->ndisc; i++) {
			if (v6 && pl->disc[i].ipv4)
				continue;
			icmp = pl->disc[i].probe == SCAN_PLAN_ICMP_ECHO ||
			    pl->disc[i].probe == SCAN_PLAN_ICMP_TSTAMP;
			/* At best the first is answered: TCP by a RST. */
			if (first)
				disc_best[v6] = life[icmp ? STATE_ICMP :
				    STATE_CLOSED];
			first = false;
			disc_worst[v6] += (1.0 + pl->disc_retries) *
			    life[icmp ? STATE_ICMP : STATE_TCP];
		}
	}
	remote = (double)(e->hosts - e->loopback) - remote6;
	if (remote < 0)
		remote = 0;
	/* With -g a TCP or UDP probe's tries are one tuple: one entry. */
	if (pl->source_port != 0) {
		entries -= (double)e->hosts * (tcp + udp) * (tries - 1);
		tries = 1;
	}
	best = ((double)e->hosts * (tcp * life[STATE_CLOSED] +
	    udp * life[STATE_UDP]) + remote * disc_best[0] +
	    remote6 * disc_best[1]) / 1000.0;
	worst = ((double)e->hosts * tries * (tcp * life[STATE_TCP] +
	    udp * life[STATE_UDP]) + remote * disc_worst[0] +
	    remote6 * disc_worst[1]) / 1000.0;

	n = (double)e->probes;
	e->state_peak = e->probes;
	if (e->seconds > 0 && best / e->seconds < n)
		e->state_peak = (uint64_t)ceil(best / e->seconds);
	e->state_peak_worst = (uint64_t)entries;
	if (e->seconds_worst > 0 && worst / e->seconds_worst < entries)
		e->state_peak_worst = (uint64_t)ceil(worst / e->seconds_worst);
	if (e->state_max == 0)
		return;
	if (e->probes > e->state_max) {
		min = best / e->state_max - best / (double)e->probes;
		if (min > e->seconds) {
			e->state_wait = min - e->seconds;
			e->seconds = min;
		}
	}
	if (entries > e->state_max) {
		min = worst / e->state_max - worst / entries;
		if (min > e->seconds_worst) {
			e->state_wait_worst = min - e->seconds_worst;
			e->seconds_worst = min;
		}
	}
}

/*
 * The profile's hard limits: hosts, ports a host and the techniques.
 * A profile of scan_type ping scans no ports; one that forbids service
 * probes allows nothing that reaches the target's applications, which
 * leaves SYN scans alone (gentle).
 */
static void
estimate_limits(struct estimate *e, const struct scan_plan *pl)
{
	const struct profile	*p = pl->profile;
	char			*why;
	size_t			 i;

	if (p->max_hosts != 0 && e->hosts > p->max_hosts) {
		xasprintf(&why, "%llu targets: more than profile %s allows "
		    "(max_hosts %llu)", (unsigned long long)e->hosts, p->name,
		    (unsigned long long)p->max_hosts);
		estimate_warn(e, ESTIMATE_WARN_HOSTS, "%s", why);
		estimate_refuse(e, SCOPE_REFUSED, why);
	}
	if (p->max_ports_per_host != 0 && e->ports > p->max_ports_per_host) {
		xasprintf(&why, "%llu ports a host: more than profile %s "
		    "allows (max_ports_per_host %u)",
		    (unsigned long long)e->ports, p->name,
		    p->max_ports_per_host);
		estimate_warn(e, ESTIMATE_WARN_PORTS, "%s", why);
		estimate_refuse(e, SCOPE_REFUSED, why);
	}
	for (i = 0; i < nitems(estimate_options); i++) {
		if ((e->techniques & estimate_options[i].technique) == 0)
			continue;
		if (p->scan_type == PROFILE_SCAN_PING)
			xasprintf(&why, "%s: profile %s scans no ports "
			    "(scan_type ping)", estimate_options[i].option,
			    p->name);
		else if (p->service_probes < 0 && estimate_options[i].what !=
		    NULL) {
			xasprintf(&why, "%s: profile %s allows no scan that "
			    "reaches the target's applications (%s; "
			    "service_probes: none)%s",
			    estimate_options[i].option, p->name,
			    estimate_options[i].what, pl->fallback &&
			    estimate_options[i].technique == SCAN_OPTS_CONNECT ?
			    ", and a SYN scan needs root or CAP_NET_RAW" : "");
		} else
			continue;
		estimate_warn(e, ESTIMATE_WARN_TECHNIQUE, "%s", why);
		estimate_refuse(e, SCOPE_REFUSED, why);
	}
	if (pl->service_refused != NULL) {
		why = xstrdup(pl->service_refused);
		estimate_warn(e, ESTIMATE_WARN_TECHNIQUE, "%s", why);
		estimate_refuse(e, SCOPE_REFUSED, why);
	}
}

/* The scope, or without one a purpose and the user's word. */
static void
estimate_scope(struct estimate *e, const struct scan_plan *pl)
{
	const struct scope_policy	*pol = &pl->policy;
	enum scope_verdict		 v;
	char				*why = NULL;

	v = scope_check(pol->scope, pl->targets, pol->now, &why);
	if (v == SCOPE_NEED_PERMISSION && pol->purpose != NULL &&
	    pol->purpose[0] != '\0' && pol->have_permission) {
		free(why);
		return;
	}
	if (v != SCOPE_OK)
		estimate_refuse(e, v, why);
}

/*
 * Look up one target with a quota in the ledger: non-zero when it stops
 * the scan (at its quota, or a ledger that cannot be read).
 */
static int
estimate_quota_one(struct estimate *e, const struct scope_policy *pol,
    const struct target_addr *a, uint32_t quota)
{
	enum ledger_result	lr;
	uint32_t		count;
	time_t			next;
	struct tm		tm;
	char			addr[64], when[32], *why;

	lr = ledger_count(pol->ledger, a, pol->now, &count, &why);
	if (lr != LEDGER_OK) {
		estimate_refuse(e, lr == LEDGER_CORRUPT ? SCOPE_BAD_INPUT :
		    SCOPE_FAILED, why);
		return (1);
	}
	target_addr_str(a, addr, sizeof addr);
	if (count + 1 == quota)
		estimate_warn(e, ESTIMATE_WARN_QUOTA, "%s: this scan is the "
		    "last of its %u today", addr, quota);
	if (count < quota)
		return (0);
	next = (pol->now / 86400 + 1) * 86400;
	gmtime_r(&next, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
	xasprintf(&why, "%s: %u scans today, its daily quota; the next is "
	    "allowed at %s", addr, count, when);
	estimate_warn(e, ESTIMATE_WARN_QUOTA, "%s", why);
	estimate_refuse(e, SCOPE_REFUSED, why);
	return (1);
}

/* Count the targets of a run with a quota, looking each up if we may. */
static int
estimate_quota_run(const struct target_addr *lo, const struct target_addr *hi,
    void *arg)
{
	struct estimate_quota		*q = arg;
	const struct scope_policy	*pol = &q->pl->policy;
	struct target_addr		 a = *lo;
	uint32_t			 quota;
	size_t				 len = a.family == AF_INET ? 4 : 16, i;

	for (;; q->index++) {
		quota = scope_quota_of(pol, &a,
		    target_set_hostname(q->pl->targets, q->index));
		if (quota != 0) {
			q->e->quota_targets++;
			if (pol->ledger != NULL &&
			    estimate_quota_one(q->e, pol, &a, quota) != 0)
				return (1);
		}
		if (target_addr_cmp(&a, hi) == 0)
			break;
		for (i = len; i-- > 0 && ++a.addr[i] == 0;)
			;
	}
	q->index++;
	return (0);
}

/*
 * The daily quotas; with no ledger every target has its quota left. A
 * set of more than ESTIMATE_WALK_MAX targets is not looked up target by
 * target (the gate still is), so scanme.nmap.org is not found in it.
 */
static void
estimate_quota(struct estimate *e, const struct scan_plan *pl)
{
	const struct scope_policy	*pol = &pl->policy;
	struct estimate_quota		 q;

	if (e->hosts > ESTIMATE_WALK_MAX || (pol->profile->daily_quota != 0 &&
	    pol->ledger == NULL)) {
		if (pol->profile->daily_quota != 0)
			e->quota_targets = e->hosts;
		if (pol->ledger != NULL && e->hosts > ESTIMATE_WALK_MAX)
			estimate_warn(e, ESTIMATE_WARN_QUOTA, "daily quotas "
			    "are not looked up here for more than %d targets; "
			    "the scan looks them up before it starts",
			    ESTIMATE_WALK_MAX);
		return;
	}
	memset(&q, 0, sizeof q);
	q.e = e;
	q.pl = pl;
	target_set_walk(pl->targets, estimate_quota_run, &q);
}

/* The advice that does not refuse anything. */
static void
estimate_advice(struct estimate *e, const struct scan_plan *pl)
{
	const struct scope_policy	*pol = &pl->policy;
	const struct profile		*p = pol->profile;

	if (p->max_hosts == 0 && e->hosts >= ESTIMATE_MANY_HOSTS)
		estimate_warn(e, ESTIMATE_WARN_MANY_HOSTS, "%llu hosts, a /16 "
		    "or more: make sure every one of them is yours to scan",
		    (unsigned long long)e->hosts);
	if (pl->service_intensity >= 0 && p->host_max_outstanding == 1)
		estimate_warn(e, ESTIMATE_WARN_SERVICE, "service probes on a "
		    "gentle scan (profile %s, 1 probe outstanding a host): "
		    "fragile devices may not survive them", p->name);
	if ((e->techniques & SCAN_OPTS_CONNECT) && pl->raw_allowed)
		estimate_warn(e, ESTIMATE_WARN_CONNECT, "connect scan (-sT) "
		    "where a SYN scan is possible: each open port sees a "
		    "whole connection, which its application may log");
	if (e->loopback < e->hosts && (pol->purpose == NULL ||
	    pol->purpose[0] == '\0'))
		estimate_warn(e, ESTIMATE_WARN_PURPOSE, "no --purpose recorded "
		    "for a scan of targets that are not loopback");
	if (e->seconds > ESTIMATE_LONG)
		estimate_warn(e, ESTIMATE_WARN_LONG, "more than a day at this "
		    "profile's limits: fewer hosts or ports?");
}

void
estimate_compute(struct estimate *e, const struct scan_plan *pl)
{
	uint64_t	remote, remote4, retries = pl->max_retries;

	memset(e, 0, sizeof *e);
	e->verdict = SCOPE_OK;
	e->hosts = target_set_count(pl->targets);
	target_set_walk(pl->targets, estimate_count_run, e);
	e->techniques = pl->techniques;
	estimate_ports(e, pl);
	estimate_discovery(e, pl);
	remote = e->hosts - e->loopback;
	remote4 = remote > e->remote6 ? remote - e->remote6 : 0;
	e->probes = estimate_add(estimate_add(estimate_mul(e->hosts,
	    e->ports), e->discovery != 0 ? remote4 : 0),
	    e->discovery6 != 0 ? e->remote6 : 0);
	e->probes_worst = estimate_add(estimate_mul(estimate_mul(e->hosts,
	    e->ports), 1 + retries), estimate_mul(estimate_add(
	    estimate_mul(remote4, e->discovery), estimate_mul(e->remote6,
	    e->discovery6)), 1 + pl->disc_retries));
	/* -sV: none if no port is open; at worst every port and probe. */
	e->service_worst = estimate_mul(e->hosts, pl->service_worst);
	e->probes_worst = estimate_add(e->probes_worst, e->service_worst);
	estimate_time(e, pl);
	estimate_state(e, pl);

	estimate_limits(e, pl);
	if (e->verdict == SCOPE_OK)
		estimate_scope(e, pl);
	if (e->verdict == SCOPE_OK)
		estimate_quota(e, pl);
	estimate_advice(e, pl);
}

void
estimate_free(struct estimate *e)
{
	size_t	i;

	for (i = 0; i < e->nwarn; i++)
		free(e->warn[i].text);
	free(e->warn);
	free(e->reason);
	memset(e, 0, sizeof *e);
}

enum scope_verdict
estimate_enforce(const struct scan_plan *pl, bool charge, char **cause)
{
	struct scan_plan	 dry = *pl;
	struct estimate		 e;
	enum scope_verdict	 v;

	dry.policy.ledger = NULL;
	estimate_compute(&e, &dry);
	v = e.verdict;
	if (v != SCOPE_OK) {
		*cause = e.reason;
		e.reason = NULL;
	} else if (charge && e.quota_targets != 0 &&
	    pl->policy.ledger == NULL) {
		xasprintf(cause, "%llu targets have a daily quota, and there "
		    "is no ledger to count it in (set XDG_STATE_HOME or HOME)",
		    (unsigned long long)e.quota_targets);
		v = SCOPE_FAILED;
	}
	estimate_free(&e);
	if (v != SCOPE_OK || !charge)
		return (v);
	return (scope_policy_check(&pl->policy, pl->targets, cause));
}
