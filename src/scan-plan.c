/*
 * The plan of a scan, the one place that decides what a scan will do.
 * From the options (-s, -p, -P, the timing options), the profile, the
 * scope and whether raw sockets may be opened it chooses:
 *
 *	the technique: -s's, else the profile's scan_type; a SYN scan (or
 *	raw discovery) without raw sockets is done by connect(), a UDP
 *	scan without them cannot run;
 *	the ports: -p, -F or --top-ports, else the profile's ports or
 *	top_ports, listed for the protocols of the technique, less
 *	--exclude-ports;
 *	the discovery probes a host gets, in the order they are sent: -P's
 *	(-PS, -PA, -PU, -PE, -PP, -PR) when given, else the profile's
 *	discovery, by connect() to the discovery ports, or raw (ICMPv6 has
 *	no timestamp request), at most SCAN_PLAN_DISC_MAX; none with -Pn;
 *	the profile it keeps to: a copy with the timing options applied
 *	(--max-rate, --max-retries, the RTT timeouts, --scan-delay,
 *	--host-timeout, --max-hostgroup), each only gentler unless the
 *	profile is unlocked; --min-rate only with an unlocked profile;
 *	every limit with its default: the scan's rate, outstanding probes
 *	a host, hosts in parallel, retries of ports and of discovery, the
 *	cap on state entries in NAT and firewalls (the profile's or
 *	--max-state-entries, whichever is lower) and their lifetimes;
 *	the raw probes' TTL (--ttl), interface (-e) and source port (-g),
 *	refused for a scan that only connects, since the kernel sends its
 *	packets;
 *	the shard's hosts: whole hosts, spread over the shards by the
 *	seeded permutation of the hosts, so that every shard keeps the
 *	per-host limits however many run at once; or, split by pairs,
 *	every host in every shard with its limits divided among them.
 *
 * The engine sends what the plan says, the estimate counts it, the gate
 * checks its policy; none of them decides again.
 */
#include <sys/socket.h>

#include <net/if.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "port-spec.h"
#include "profile.h"
#include "scan-def.h"
#include "scan-opts.h"
#include "scan-plan.h"
#include "service.h"
#include "tact.h"
#include "target-iter.h"
#include "target.h"
#include "xmalloc.h"

#define SCAN_PLAN_TOP_PORTS	1000	/* a profile that names no ports */
#define SCAN_PLAN_OUTSTANDING	1000	/* host_max_outstanding 0 */
#define SCAN_PLAN_GROUP		256	/* max_parallel_hosts 0 */
#define SCAN_PLAN_DISC_RETRIES	1	/* discovery: one retransmission */
#define SCAN_PLAN_ACK_PORT	80
#define SCAN_PLAN_UDP_PORT	40125	/* -PU alone, as Nmap's */

/* The technique each profile scan_type stands for. */
static const struct {
	enum profile_scan_type	 type;
	unsigned		 technique;	/* 0: a ping scan */
} scan_plan_types[] = {
	{ PROFILE_SCAN_SYN, SCAN_OPTS_SYN },
	{ PROFILE_SCAN_CONNECT, SCAN_OPTS_CONNECT },
	{ PROFILE_SCAN_UDP, SCAN_OPTS_UDP },
	{ PROFILE_SCAN_PING, 0 },
};

/* The raw discovery probes, in the order they are sent. */
static const struct {
	unsigned		 bit;		/* PROFILE_DISCOVER_* */
	enum scan_plan_probe	 probe;
	uint16_t		 port;
	bool			 ipv4;		/* IPv4 only */
} scan_plan_raw[] = {
	{ PROFILE_DISCOVER_ICMP_ECHO, SCAN_PLAN_ICMP_ECHO, 0, false },
	{ PROFILE_DISCOVER_ICMP_TSTAMP, SCAN_PLAN_ICMP_TSTAMP, 0, true },
	{ PROFILE_DISCOVER_TCP_ACK, SCAN_PLAN_TCP_ACK, SCAN_PLAN_ACK_PORT,
	    false },
};

/* -P's probes, in the order they are sent; ports: 80, or -PU's. */
static const struct {
	unsigned		 bit;		/* SCAN_OPTS_P* */
	enum scan_plan_probe	 probe;
	int			 ports;		/* scan_opts_disc_ports, or -1 */
	unsigned		 protos;
	uint16_t		 port;		/* when none are given */
	bool			 ipv4;		/* IPv4 only */
	const char		*option;
} scan_plan_opts_disc[] = {
	{ SCAN_OPTS_PE, SCAN_PLAN_ICMP_ECHO, -1, 0, 0, false, "-PE" },
	{ SCAN_OPTS_PP, SCAN_PLAN_ICMP_TSTAMP, -1, 0, 0, true, "-PP" },
	{ SCAN_OPTS_PS, SCAN_PLAN_TCP_SYN, SCAN_OPTS_DISC_SYN, PORT_TCP,
	    SCAN_PLAN_ACK_PORT, false, "-PS" },
	{ SCAN_OPTS_PA, SCAN_PLAN_TCP_ACK, SCAN_OPTS_DISC_ACK, PORT_TCP,
	    SCAN_PLAN_ACK_PORT, false, "-PA" },
	{ SCAN_OPTS_PU, SCAN_PLAN_UDP, SCAN_OPTS_DISC_UDP, PORT_UDP,
	    SCAN_PLAN_UDP_PORT, false, "-PU" },
	{ SCAN_OPTS_PR, 0, -1, 0, 0, false, "-PR" },
};

static unsigned	scan_plan_profile_technique(const struct profile *);
static int	scan_plan_shard(struct scan_plan *, const struct scan_def *,
		    char **);
static int	scan_plan_index_cmp(const void *, const void *);
static void	scan_plan_technique_choose(struct scan_plan *,
		    const struct scan_plan_input *);
static int	scan_plan_ports(struct scan_plan *,
		    const struct scan_plan_input *, char **);
static void	scan_plan_add(struct scan_plan *, enum scan_plan_probe, bool,
		    uint16_t);
static int	scan_plan_discovery(struct scan_plan *, char **);
static int	scan_plan_opts_discovery(struct scan_plan *,
		    const struct scan_opts *, char **);
static int	scan_plan_exclude(struct scan_plan *, const char *,
		    unsigned, char **);
static int	scan_plan_profile(struct scan_plan *,
		    const struct scan_plan_input *, char **);
static int	scan_plan_wire(struct scan_plan *, const struct scan_opts *,
		    char **);
static int	scan_plan_limits(struct scan_plan *,
		    const struct scan_plan_input *, char **);
static int	scan_plan_service(struct scan_plan *,
		    const struct scan_plan_input *, char **);

static unsigned
scan_plan_profile_technique(const struct profile *p)
{
	size_t	i;

	for (i = 0; i < nitems(scan_plan_types); i++) {
		if (scan_plan_types[i].type == p->scan_type)
			return (scan_plan_types[i].technique);
	}
	return (0);
}

static int
scan_plan_index_cmp(const void *a0, const void *b0)
{
	uint64_t	a = *(const uint64_t *)a0, b = *(const uint64_t *)b0;

	return (a < b ? -1 : a > b);
}

/*
 * The shard's hosts: those at positions i, i + n, ... of the seeded
 * permutation of the hosts, in address order. Split by pairs, all of
 * them, and the iterator takes every n-th pair.
 */
static int
scan_plan_shard(struct scan_plan *pl, const struct scan_def *def,
    char **cause)
{
	struct target_iter	 it;
	uint64_t		*idx, v;
	size_t			 n = 0;

	pl->all_hosts = target_set_count(def->targets);
	pl->pair_count = 1;
	if (pl->shard_count == 1)
		return (0);
	if (pl->shard_pairs) {
		pl->pair_index = pl->shard_index;
		pl->pair_count = pl->shard_count;
		return (0);
	}
	target_iter_init(&it, pl->all_hosts, pl->seed, pl->shard_index,
	    pl->shard_count);
	if (target_iter_total(&it) == 0) {
		xasprintf(cause, "--shard %u/%u: %llu hosts leave this shard "
		    "none (use at most %llu shards, or --shard-pairs)",
		    pl->shard_index + 1, pl->shard_count,
		    (unsigned long long)pl->all_hosts,
		    (unsigned long long)pl->all_hosts);
		return (-1);
	}
	idx = xreallocarray(NULL, (size_t)target_iter_total(&it),
	    sizeof *idx);
	while (target_iter_next(&it, &v))
		idx[n++] = v;
	qsort(idx, n, sizeof *idx, scan_plan_index_cmp);
	pl->shard_hosts = target_set_pick(def->targets, idx, n);
	pl->targets = pl->shard_hosts;
	free(idx);
	return (0);
}

/*
 * The techniques asked for and those that run. TCP goes by connect()
 * when asked to (-sT, a connect profile) or when raw sockets cannot be
 * opened, for the ports and for discovery alike; UDP needs raw sockets.
 */
static void
scan_plan_technique_choose(struct scan_plan *pl,
    const struct scan_plan_input *in)
{
	const struct scan_def	*def = in->def;
	unsigned		 base;

	base = def->techniques != 0 ? def->techniques :
	    scan_plan_profile_technique(in->profile);
	pl->techniques = def->ping_only ? 0 : base;
	pl->ping_only = pl->techniques == 0;
	pl->connect = (base & SCAN_OPTS_CONNECT) != 0 || !in->raw_allowed;
	pl->fallback = pl->connect && (base & SCAN_OPTS_CONNECT) == 0;
	if ((pl->techniques & SCAN_OPTS_SYN) && pl->connect)
		pl->techniques = (pl->techniques & ~SCAN_OPTS_SYN) |
		    SCAN_OPTS_CONNECT;
	if ((pl->techniques & SCAN_OPTS_UDP) && !in->raw_allowed)
		pl->blocked = "-sU: UDP scans need raw socket access "
		    "(CAP_NET_RAW)";
}

/* -p, -F or --top-ports, else the profile's, for the technique. */
static int
scan_plan_ports(struct scan_plan *pl, const struct scan_plan_input *in,
    char **cause)
{
	const struct scan_def	*def = in->def;
	const struct profile	*p = in->profile;
	unsigned		 protos = 0, top;
	uint64_t		 hosts;
	char			*why;
	bool			 own = false;	/* the profile's */
	int			 rc;

	if (pl->ping_only)
		return (0);
	if (pl->techniques & (SCAN_OPTS_SYN | SCAN_OPTS_CONNECT))
		protos |= PORT_TCP;
	if (pl->techniques & SCAN_OPTS_UDP)
		protos |= PORT_UDP;
	if (def->ports != NULL)
		rc = port_spec_parse(&pl->ports, def->ports, protos, &why);
	else if (def->top_ports != 0)
		rc = port_spec_top(&pl->ports, def->top_ports, protos,
		    in->services, &why);
	else if (p->ports != NULL && p->ports[0] != '\0') {
		own = true;
		rc = port_spec_parse(&pl->ports, p->ports, protos, &why);
	} else {
		own = true;
		top = p->top_ports != 0 ? p->top_ports : SCAN_PLAN_TOP_PORTS;
		rc = port_spec_top(&pl->ports, top, protos, in->services,
		    &why);
	}
	if (rc != 0) {
		if (own)
			xasprintf(cause, "profile %s: ports: %s", p->name,
			    why);
		else
			xasprintf(cause, "ports: %s", why);
		free(why);
		return (-1);
	}
	if (in->opts->exclude_ports != NULL &&
	    scan_plan_exclude(pl, in->opts->exclude_ports, protos, cause) != 0)
		return (-1);
	hosts = target_set_count(pl->targets);
	if (pl->ports.n != 0 && hosts > UINT64_MAX / pl->ports.n) {
		xasprintf(cause, "targets: %llu hosts x %zu ports: more than "
		    "%llu pairs", (unsigned long long)hosts, pl->ports.n,
		    (unsigned long long)UINT64_MAX);
		return (-1);
	}
	return (0);
}

static void
scan_plan_add(struct scan_plan *pl, enum scan_plan_probe probe, bool ipv4,
    uint16_t port)
{
	if (pl->ndisc == SCAN_PLAN_DISC_MAX)
		return;
	pl->disc[pl->ndisc].probe = probe;
	pl->disc[pl->ndisc].ipv4 = ipv4;
	pl->disc[pl->ndisc++].port = port;
}

/* --exclude-ports: take its ports out of the list. */
static int
scan_plan_exclude(struct scan_plan *pl, const char *spec, unsigned protos,
    char **cause)
{
	struct port_list	 x;
	char			*why;
	size_t			 i, j, k = 0;

	if (port_spec_parse(&x, spec, protos, &why) != 0) {
		xasprintf(cause, "--exclude-ports: %s", why);
		free(why);
		return (-1);
	}
	for (i = 0, j = 0; i < pl->ports.n; i++) {
		while (j < x.n && (x.v[j].proto < pl->ports.v[i].proto ||
		    (x.v[j].proto == pl->ports.v[i].proto &&
		    x.v[j].port < pl->ports.v[i].port)))
			j++;
		if (j < x.n && x.v[j].proto == pl->ports.v[i].proto &&
		    x.v[j].port == pl->ports.v[i].port)
			continue;
		pl->ports.v[k++] = pl->ports.v[i];
	}
	pl->ports.n = k;
	port_list_free(&x);
	if (k == 0) {
		xasprintf(cause, "--exclude-ports: no port is left to scan");
		return (-1);
	}
	return (0);
}

/*
 * -P's probes instead of the profile's: raw, but for -PS, which a
 * connect scan sends by connect() (the rest cannot be).
 */
static int
scan_plan_opts_discovery(struct scan_plan *pl, const struct scan_opts *o,
    char **cause)
{
	struct port_list	 l;
	const char		*spec;
	char			*why, port[8];
	size_t			 i, j;

	for (i = 0; i < nitems(scan_plan_opts_disc); i++) {
		if ((o->discovery & scan_plan_opts_disc[i].bit) == 0)
			continue;
		if (pl->connect && scan_plan_opts_disc[i].bit != SCAN_OPTS_PS) {
			xasprintf(cause, "%s: a connect scan (-sT, or no raw "
			    "socket access) discovers hosts with -PS alone",
			    scan_plan_opts_disc[i].option);
			return (-1);
		}
		if (scan_plan_opts_disc[i].bit == SCAN_OPTS_PR) {
			pl->arp = true;
			continue;
		}
		if (scan_plan_opts_disc[i].ipv4 && pl->family != AF_INET)
			continue;
		if (scan_plan_opts_disc[i].ports == -1) {
			scan_plan_add(pl, scan_plan_opts_disc[i].probe,
			    scan_plan_opts_disc[i].ipv4, 0);
			continue;
		}
		spec = o->disc_ports[scan_plan_opts_disc[i].ports];
		if (spec == NULL) {
			snprintf(port, sizeof port, "%u",
			    scan_plan_opts_disc[i].port);
			spec = port;
		}
		if (port_spec_parse(&l, spec, scan_plan_opts_disc[i].protos,
		    &why) != 0) {
			xasprintf(cause, "%s: ports: %s",
			    scan_plan_opts_disc[i].option, why);
			free(why);
			return (-1);
		}
		if (pl->ndisc + l.n > SCAN_PLAN_DISC_MAX) {
			xasprintf(cause, "%s: more than %d discovery probes a "
			    "host", scan_plan_opts_disc[i].option,
			    SCAN_PLAN_DISC_MAX);
			port_list_free(&l);
			return (-1);
		}
		for (j = 0; j < l.n; j++)
			scan_plan_add(pl, pl->connect &&
			    scan_plan_opts_disc[i].bit == SCAN_OPTS_PS ?
			    SCAN_PLAN_TCP_CONNECT : scan_plan_opts_disc[i].probe,
			    false, l.v[j].port);
		port_list_free(&l);
	}
	return (0);
}

/* The probes that find a host up, as the profile asks for them. */
static int
scan_plan_discovery(struct scan_plan *pl, char **cause)
{
	const struct profile	*p = pl->profile;
	struct port_list	 l;
	const char		*spec = p->discovery_ports;
	char			*why;
	size_t			 i;

	if (pl->no_ping)
		return (0);
	if (spec == NULL || spec[0] == '\0')
		spec = PROFILE_DISCOVERY_PORTS;
	if (port_spec_parse(&l, spec, PORT_TCP, &why) != 0) {
		xasprintf(cause, "profile %s: discovery_ports: %s", p->name,
		    why);
		free(why);
		return (-1);
	}
	if (!pl->connect) {
		for (i = 0; i < nitems(scan_plan_raw); i++) {
			if ((p->discovery & scan_plan_raw[i].bit) == 0 ||
			    (scan_plan_raw[i].ipv4 && pl->family != AF_INET))
				continue;
			scan_plan_add(pl, scan_plan_raw[i].probe,
			    scan_plan_raw[i].ipv4, scan_plan_raw[i].port);
		}
		pl->arp = (p->discovery & PROFILE_DISCOVER_ARP) != 0;
	}
	if (pl->connect || (p->discovery & PROFILE_DISCOVER_TCP_SYN)) {
		for (i = 0; i < l.n; i++)
			scan_plan_add(pl, pl->connect ? SCAN_PLAN_TCP_CONNECT :
			    SCAN_PLAN_TCP_SYN, false, l.v[i].port);
	}
	port_list_free(&l);
	return (0);
}

/*
 * The profile the scan keeps to: a copy of the one given, with each
 * timing option applied, and each refused (naming the option, the key
 * and the profile) if it raises a limit of a profile that is not
 * unlocked. A minimum rate is the opposite of politeness: only an
 * unlocked profile takes one.
 */
static int
scan_plan_profile(struct scan_plan *pl, const struct scan_plan_input *in,
    char **cause)
{
	const struct scan_opts	*o = in->opts;
	struct profile		*p;
	char			*value, *why;
	size_t			 i;
	int			 rc;

	pl->profile = p = profile_copy(in->profile);
	for (i = 0; i <= o->nlimits; i++) {
		if (i < o->nlimits)
			value = xstrdup(o->limits[i].value);
		else if (o->max_rate > 0)
			xasprintf(&value, "%.17g/s", o->max_rate);
		else
			break;
		rc = profile_override(p, i < o->nlimits ? o->limits[i].key :
		    "max_rate", value, &why);
		free(value);
		if (rc != 0) {
			xasprintf(cause, "%s: %s", i < o->nlimits ?
			    o->limits[i].option : "--max-rate", why);
			free(why);
			return (-1);
		}
	}
	if (o->min_rate > 0 && !p->unlocked) {
		xasprintf(cause, "--min-rate: profile %s is not unlocked, and a "
		    "minimum rate is the opposite of polite (choose an unlocked"
		    " profile, as -T4)", p->name);
		return (-1);
	}
	if (o->min_rate > 0 && p->max_rate != 0 && o->min_rate > p->max_rate) {
		xasprintf(cause, "--min-rate: above profile %s's max_rate",
		    p->name);
		return (-1);
	}
	pl->min_rate = o->min_rate;
	return (0);
}

/*
 * --ttl, -e and -g: what the raw probes go out with, through and from. A
 * scan that only connects has no raw probe to apply them to: refused, not
 * ignored.
 * The interface must be there.
 */
static int
scan_plan_wire(struct scan_plan *pl, const struct scan_opts *o, char **cause)
{
	pl->ttl = (uint8_t)o->ttl;
	pl->iface = o->iface;
	pl->source_port = (uint16_t)o->source_port;
	if ((o->ttl != 0 || o->iface != NULL || o->source_port != 0) &&
	    !pl->raw) {
		xasprintf(cause, "%s: sets raw probes, and %s", o->ttl != 0 ?
		    "--ttl" : o->iface != NULL ? "-e" : "-g", pl->fallback ?
		    "without raw socket access "
		    "this scan connects" : "a connect scan sends none");
		return (-1);
	}
	if (o->iface != NULL && if_nametoindex(o->iface) == 0) {
		xasprintf(cause, "-e: \"%s\": no such interface", o->iface);
		return (-1);
	}
	return (0);
}

/*
 * Every limit, with the default where the profile sets none. Shards
 * split by pairs each get their part of a host's: whole probes a second
 * (a rate paced evenly sends up to its next whole number in a second),
 * so that together they keep it in every second.
 */
static int
scan_plan_limits(struct scan_plan *pl, const struct scan_plan_input *in,
    char **cause)
{
	const struct profile	*p = pl->profile;

	pl->max_rate = p->max_rate;
	pl->host_max_rate = p->host_max_rate;
	pl->host_max_outstanding = p->host_max_outstanding != 0 ?
	    p->host_max_outstanding : SCAN_PLAN_OUTSTANDING;
	pl->group_size = p->max_parallel_hosts != 0 ?
	    p->max_parallel_hosts : SCAN_PLAN_GROUP;
	pl->max_retries = p->max_retries;
	pl->disc_retries = p->max_retries < SCAN_PLAN_DISC_RETRIES ?
	    p->max_retries : SCAN_PLAN_DISC_RETRIES;
	pl->scan_delay = p->scan_delay;
	pl->host_timeout = p->host_timeout;
	if (pl->pair_count > 1) {
		if (p->host_max_rate != 0 &&
		    p->host_max_rate < pl->pair_count) {
			xasprintf(cause, "--shard-pairs: profile %s: "
			    "host_max_rate %g/s cannot be shared by %u shards "
			    "(use --shard)", p->name, p->host_max_rate,
			    pl->pair_count);
			return (-1);
		}
		pl->host_max_rate = (double)(uint64_t)(pl->host_max_rate /
		    pl->pair_count);
		pl->host_max_outstanding /= pl->pair_count;
		if (pl->host_max_outstanding == 0)
			pl->host_max_outstanding = 1;
		pl->scan_delay = pl->scan_delay > UINT32_MAX / pl->pair_count ?
		    UINT32_MAX : pl->scan_delay * pl->pair_count;
	}
	pl->max_state_entries = p->max_state_entries;
	if (in->opts->max_state != 0 && (pl->max_state_entries == 0 ||
	    in->opts->max_state < pl->max_state_entries))
		pl->max_state_entries = (uint32_t)in->opts->max_state;
	pl->state_lifetime[STATE_TCP] = p->state_entry_lifetime;
	pl->state_lifetime[STATE_UDP] = p->state_udp_lifetime;
	pl->state_lifetime[STATE_ICMP] = p->state_icmp_lifetime;
	pl->state_lifetime[STATE_CLOSED] = p->state_close_lifetime;
	return (0);
}

/*
 * -sV: the intensity within the profile's cap (Nmap's 7 unless asked,
 * never above the cap), or why the profile allows none; the probes,
 * from --datadir's nmap-service-probes, else Nmap's where it keeps
 * it, else tact's own table; and the most connections a host's open
 * ports may cost (each probe of the order, and again inside TLS).
 */
static int
scan_plan_service(struct scan_plan *pl, const struct scan_plan_input *in,
    char **cause)
{
	const struct profile	*p = in->profile;
	const struct scan_opts	*o = in->opts;
	char			*path = NULL;
	size_t			*order, i;
	int			 cap = p->service_probes;

	pl->service_intensity = -1;
	pl->service_max_connections = p->service_max_connections != 0 ?
	    p->service_max_connections : 1;
	if (!o->version || pl->ping_only)
		return (0);
	if (cap < 0) {
		xasprintf(&pl->service_refused, "-sV: profile %s sends no "
		    "service probes (service_probes: none): fragile devices "
		    "may not survive them; if you know these hosts can, use "
		    "a profile that extends it with service_probes: 0-9 and "
		    "unlocked: true", p->name);
		return (0);
	}
	if (o->version_intensity > cap) {
		xasprintf(&pl->service_refused, "--version-intensity %d: "
		    "profile %s allows at most %d (service_probes: %d); a "
		    "profile that extends it with unlocked: true may allow "
		    "more", o->version_intensity, p->name, cap, cap);
		return (0);
	}
	pl->service_intensity = o->version_intensity >= 0 ?
	    o->version_intensity : cap < PROFILE_INTENSITY_DEFAULT ? cap :
	    PROFILE_INTENSITY_DEFAULT;
	if (o->datadir != NULL)
		xasprintf(&path, "%s/%s", o->datadir, SERVICE_PROBES_FILE);
	else
		path = xstrdup(SERVICE_PROBES_PATH);
	if (access(path, R_OK) != 0) {
		free(path);
		path = NULL;
	}
	pl->service_db = service_db_load(path, cause);
	free(path);
	if (pl->service_db == NULL)
		return (-1);
	order = xcalloc(pl->service_db->nprobes, sizeof *order);
	for (i = 0; i < pl->ports.n; i++) {
		if (pl->ports.v[i].proto == PORT_UDP) {
			pl->service_worst += service_db_order(pl->service_db,
			    pl->ports.v[i].port, PORT_UDP, false,
			    (unsigned)pl->service_intensity, order);
			continue;
		}
		pl->service_worst += service_db_order(pl->service_db,
		    pl->ports.v[i].port, PORT_TCP, false,
		    (unsigned)pl->service_intensity, order);
		pl->service_worst += service_db_order(pl->service_db,
		    pl->ports.v[i].port, PORT_TCP, true,
		    (unsigned)pl->service_intensity, order);
	}
	free(order);
	return (0);
}

int
scan_plan_create(struct scan_plan *pl, const struct scan_plan_input *in,
    char **cause)
{
	const struct scan_def	*def = in->def;
	struct target_addr	 first;

	memset(pl, 0, sizeof *pl);
	pl->targets = def->targets;
	pl->seed = def->seed;
	pl->shard_index = def->shard_index;
	pl->shard_count = def->shard_count;
	pl->shard_pairs = def->shard_pairs;
	pl->raw_allowed = in->raw_allowed;
	pl->no_ping = in->opts->no_ping;
	pl->in_order = in->opts->in_order;
	pl->family = AF_INET;
	if (target_set_count(def->targets) != 0) {
		target_set_get(def->targets, 0, &first);
		pl->family = first.family;
	}
	if (scan_plan_shard(pl, def, cause) != 0) {
		scan_plan_free(pl);
		return (-1);
	}

	if (scan_plan_profile(pl, in, cause) != 0) {
		scan_plan_free(pl);
		return (-1);
	}
	pl->policy.profile = pl->profile;
	pl->policy.scope = in->scope;
	pl->policy.purpose = in->opts->purpose;
	pl->policy.have_permission = in->opts->have_permission;
	pl->policy.ledger = in->ledger;
	pl->policy.now = in->now;

	scan_plan_technique_choose(pl, in);
	if (scan_plan_ports(pl, in, cause) != 0 ||
	    (in->opts->discovery != 0 && !pl->no_ping ?
	    scan_plan_opts_discovery(pl, in->opts, cause) :
	    scan_plan_discovery(pl, cause)) != 0 ||
	    scan_plan_service(pl, in, cause) != 0) {
		scan_plan_free(pl);
		return (-1);
	}
	pl->raw = !pl->connect || port_list_count(&pl->ports, PORT_UDP) != 0;
	if (scan_plan_wire(pl, in->opts, cause) != 0 ||
	    scan_plan_limits(pl, in, cause) != 0) {
		scan_plan_free(pl);
		return (-1);
	}
	return (0);
}

void
scan_plan_free(struct scan_plan *pl)
{
	port_list_free(&pl->ports);
	target_set_free(pl->shard_hosts);
	profile_free((struct profile *)pl->profile);
	service_db_free(pl->service_db);
	free(pl->service_refused);
	memset(pl, 0, sizeof *pl);
}

const char *
scan_plan_technique(const struct scan_plan *pl)
{
	if (pl->ping_only)
		return ("ping");
	if (pl->connect)
		return ("connect");
	return (pl->techniques == SCAN_OPTS_UDP ? "udp" : "syn");
}

/*
 * "ports=T:1-1000,U:53", and for a shard "shard=2/4", "split=hosts" (or
 * pairs) and "hosts-all=65536": what `tact merge` needs to tell the
 * shards of one scan from another's and how much of it they cover.
 */
size_t
scan_plan_strings(const struct scan_plan *pl,
    char *v[SCAN_PLAN_STRINGS_MAX])
{
	const struct port_entry	*e = pl->ports.v;
	char			*s, *t;
	size_t			 i, j, n = 0;

	s = xstrdup("ports=");
	for (i = 0; i < pl->ports.n; i = j) {
		for (j = i + 1; j < pl->ports.n && e[j].proto == e[i].proto &&
		    e[j].port == e[j - 1].port + 1; j++)
			continue;
		if (j - 1 == i)
			xasprintf(&t, "%s%s%s:%u", s, i == 0 ? "" : ",",
			    e[i].proto == PORT_UDP ? "U" : "T", e[i].port);
		else
			xasprintf(&t, "%s%s%s:%u-%u", s, i == 0 ? "" : ",",
			    e[i].proto == PORT_UDP ? "U" : "T", e[i].port,
			    e[j - 1].port);
		free(s);
		s = t;
	}
	v[n++] = s;
	if (pl->shard_count == 1)
		return (n);
	xasprintf(&v[n++], "shard=%u/%u", pl->shard_index + 1,
	    pl->shard_count);
	xasprintf(&v[n++], "split=%s", pl->shard_pairs ? "pairs" : "hosts");
	xasprintf(&v[n++], "hosts-all=%llu", (unsigned long long)pl->all_hosts);
	return (n);
}
