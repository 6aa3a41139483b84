/*
 * Politeness profiles. A profile file is first walked by the
 * line-numbered pass (profile-check.c), then mapped by libcyaml
 * (profile-schema.c) into strings, which one table below turns into
 * struct profile: each key's kind, range, whether "none" is allowed,
 * whether a base profile must give it and which direction of change
 * makes a scan more aggressive. A profile that extends another may only
 * make it gentler unless it says `unlocked: true`.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "port-spec.h"
#include "profile.h"
#include "state-model.h"
#include "strnum.h"
#include "xmalloc.h"

enum profile_kind {
	PROFILE_NAME,		/* a word usable as a file name */
	PROFILE_TEXT,		/* one line of text */
	PROFILE_BOOL,		/* true or false */
	PROFILE_SCAN,		/* enum profile_scan_type */
	PROFILE_PROBES,		/* a list of PROFILE_DISCOVER_* names */
	PROFILE_PORTS,		/* a -p specification */
	PROFILE_COUNT,		/* a whole number */
	PROFILE_RATE,		/* probes per second: "10", "10/s" */
	PROFILE_TIME,		/* "250ms", "2s", "5m", "1h" */
	PROFILE_INTENSITY	/* none or 0-9; an int, -1 for none */
};

#define PROFILE_NONE	0x01	/* "none" is allowed, stored as 0 */
#define PROFILE_NEED	0x02	/* a base profile must give it */
#define PROFILE_EACH	0x04	/* every profile must give it */
#define PROFILE_OWN	0x08	/* not inherited through extends */
#define PROFILE_MORE	0x10	/* a higher value is more aggressive */
#define PROFILE_LESS	0x20	/* a lower value is more aggressive */

struct profile_key {
	const char		*name;
	enum profile_kind	 kind;
	size_t			 yoff;	/* in struct profile_yaml */
	size_t			 off;	/* in struct profile */
	size_t			 size;	/* of the field */
	uint64_t		 min;	/* counts; times in milliseconds */
	uint64_t		 max;
	int			 flags;
	const char		*dflt;	/* for a base that omits it */
};

#define PROFILE_KEY(n, k, f, lo, hi, fl, d) {				\
	n, k, offsetof(struct profile_yaml, f), offsetof(struct profile, f), \
	sizeof(((struct profile *)NULL)->f), lo, hi, fl, d }

#define PROFILE_DAY_MS	(24ULL * 3600 * 1000)
#define PROFILE_LIFE_MS	(3600ULL * 1000)	/* a state entry's, at most */

static const struct profile_key profile_keys[] = {
	PROFILE_KEY("name", PROFILE_NAME, name, 0, 0, PROFILE_EACH, NULL),
	PROFILE_KEY("description", PROFILE_TEXT, description, 0, 0,
	    PROFILE_EACH, NULL),
	PROFILE_KEY("extends", PROFILE_NAME, extends, 0, 0, PROFILE_OWN, NULL),
	PROFILE_KEY("unlocked", PROFILE_BOOL, unlocked, 0, 0, PROFILE_OWN,
	    "false"),
	PROFILE_KEY("scan_type", PROFILE_SCAN, scan_type, 0, 0, PROFILE_NEED,
	    NULL),
	PROFILE_KEY("discovery", PROFILE_PROBES, discovery, 0, 0, PROFILE_NEED,
	    NULL),
	PROFILE_KEY("discovery_ports", PROFILE_PORTS, discovery_ports, 0, 0, 0,
	    PROFILE_DISCOVERY_PORTS),
	PROFILE_KEY("ports", PROFILE_PORTS, ports, 0, 0, 0, NULL),
	PROFILE_KEY("top_ports", PROFILE_COUNT, top_ports, 1, 65535, 0, NULL),
	PROFILE_KEY("max_rate", PROFILE_RATE, max_rate, 0, 0,
	    PROFILE_NONE | PROFILE_NEED | PROFILE_MORE, NULL),
	PROFILE_KEY("host_max_rate", PROFILE_RATE, host_max_rate, 0, 0,
	    PROFILE_NONE | PROFILE_NEED | PROFILE_MORE, NULL),
	PROFILE_KEY("host_max_outstanding", PROFILE_COUNT,
	    host_max_outstanding, 1, 1000, PROFILE_NEED | PROFILE_MORE, NULL),
	PROFILE_KEY("max_parallel_hosts", PROFILE_COUNT, max_parallel_hosts,
	    1, 65535, PROFILE_NEED | PROFILE_MORE, NULL),
	PROFILE_KEY("max_retries", PROFILE_COUNT, max_retries, 0, 50,
	    PROFILE_NEED | PROFILE_MORE, NULL),
	PROFILE_KEY("initial_rtt_timeout", PROFILE_TIME, initial_rtt_timeout,
	    1, 60000, PROFILE_NEED | PROFILE_LESS, NULL),
	PROFILE_KEY("min_rtt_timeout", PROFILE_TIME, min_rtt_timeout, 1, 60000,
	    PROFILE_NEED | PROFILE_LESS, NULL),
	PROFILE_KEY("max_rtt_timeout", PROFILE_TIME, max_rtt_timeout, 1, 60000,
	    PROFILE_NEED | PROFILE_LESS, NULL),
	PROFILE_KEY("scan_delay", PROFILE_TIME, scan_delay, 0, 60000,
	    PROFILE_NEED | PROFILE_LESS, NULL),
	PROFILE_KEY("host_timeout", PROFILE_TIME, host_timeout, 1000,
	    PROFILE_DAY_MS, PROFILE_NONE | PROFILE_MORE, "none"),
	PROFILE_KEY("max_hosts", PROFILE_COUNT, max_hosts, 1, UINT32_MAX,
	    PROFILE_NONE | PROFILE_NEED | PROFILE_MORE, NULL),
	PROFILE_KEY("max_ports_per_host", PROFILE_COUNT, max_ports_per_host, 1,
	    65535 * 2, PROFILE_NONE | PROFILE_NEED | PROFILE_MORE, NULL),
	PROFILE_KEY("service_probes", PROFILE_INTENSITY, service_probes, 0,
	    PROFILE_INTENSITY_MAX, PROFILE_NEED | PROFILE_MORE, NULL),
	PROFILE_KEY("service_max_connections", PROFILE_COUNT,
	    service_max_connections, 1, 1000, PROFILE_MORE, "1"),
	PROFILE_KEY("daily_quota", PROFILE_COUNT, daily_quota, 1, 100000,
	    PROFILE_NONE | PROFILE_MORE, "none"),
	PROFILE_KEY("max_state_entries", PROFILE_COUNT, max_state_entries,
	    STATE_MODEL_MIN, STATE_MODEL_MAX, PROFILE_NONE | PROFILE_MORE,
	    "none"),
	PROFILE_KEY("state_entry_lifetime", PROFILE_TIME, state_entry_lifetime,
	    1000, PROFILE_LIFE_MS, PROFILE_LESS, "120s"),
	PROFILE_KEY("state_udp_lifetime", PROFILE_TIME, state_udp_lifetime,
	    1000, PROFILE_LIFE_MS, PROFILE_LESS, "30s"),
	PROFILE_KEY("state_icmp_lifetime", PROFILE_TIME, state_icmp_lifetime,
	    1000, PROFILE_LIFE_MS, PROFILE_LESS, "30s"),
	PROFILE_KEY("state_close_lifetime", PROFILE_TIME, state_close_lifetime,
	    1000, PROFILE_LIFE_MS, PROFILE_LESS, "10s"),
};
#define PROFILE_NKEYS	(sizeof profile_keys / sizeof profile_keys[0])

/* The keys for the line-numbered pass, in the same order. */
static const struct profile_check_key profile_check_keys[] = {
	{ "name", 0 }, { "description", 0 }, { "extends", 0 },
	{ "unlocked", 0 }, { "scan_type", 0 }, { "discovery", 1 },
	{ "discovery_ports", 0 }, { "ports", 0 }, { "top_ports", 0 },
	{ "max_rate", 0 }, { "host_max_rate", 0 },
	{ "host_max_outstanding", 0 }, { "max_parallel_hosts", 0 },
	{ "max_retries", 0 }, { "initial_rtt_timeout", 0 },
	{ "min_rtt_timeout", 0 }, { "max_rtt_timeout", 0 },
	{ "scan_delay", 0 }, { "host_timeout", 0 }, { "max_hosts", 0 },
	{ "max_ports_per_host", 0 }, { "service_probes", 0 },
	{ "service_max_connections", 0 },
	{ "daily_quota", 0 }, { "max_state_entries", 0 },
	{ "state_entry_lifetime", 0 }, { "state_udp_lifetime", 0 },
	{ "state_icmp_lifetime", 0 }, { "state_close_lifetime", 0 },
	{ NULL, 0 }
};

static const char *profile_scan_names[] = {
	[PROFILE_SCAN_SYN] = "syn",
	[PROFILE_SCAN_CONNECT] = "connect",
	[PROFILE_SCAN_UDP] = "udp",
	[PROFILE_SCAN_PING] = "ping",
};
#define PROFILE_NSCANS \
	(sizeof profile_scan_names / sizeof profile_scan_names[0])

static const struct {
	const char	*name;
	unsigned	 bit;
} profile_probe_names[] = {
	{ "icmp-echo", PROFILE_DISCOVER_ICMP_ECHO },
	{ "icmp-timestamp", PROFILE_DISCOVER_ICMP_TSTAMP },
	{ "tcp-syn", PROFILE_DISCOVER_TCP_SYN },
	{ "tcp-ack", PROFILE_DISCOVER_TCP_ACK },
	{ "arp", PROFILE_DISCOVER_ARP },
};
#define PROFILE_NPROBES \
	(sizeof profile_probe_names / sizeof profile_probe_names[0])

static const struct {
	const char	*unit;
	uint64_t	 ms;
} profile_units[] = {	/* largest first, for printing */
	{ "h", 3600000 }, { "m", 60000 }, { "s", 1000 }, { "ms", 1 },
};
#define PROFILE_NUNITS	(sizeof profile_units / sizeof profile_units[0])

#define PROFILE_DEPTH_MAX	8
#define PROFILE_TEXT_MAX	200
#define PROFILE_NAME_MAX	64
#define PROFILE_RATE_MAX	1e7

/* One file of an extends chain. */
struct profile_doc {
	char			*path;
	dev_t			 dev;
	ino_t			 ino;
	struct profile_check_map map;
	struct profile_yaml	*y;
};

/* Where a resolved key's value came from, for errors after merging. */
struct profile_origin {
	const char	*path;
	unsigned	 line;
	unsigned	 col;
};

static const char *profile_key_value(const struct profile_key *,
		    const struct profile_yaml *);
static int	profile_word_ok(const char *);
static char	*profile_format_time(uint64_t);
static char	*profile_format_rate(double);
static uint64_t	profile_get_u(const struct profile_key *,
		    const struct profile *);
static void	profile_set_u(const struct profile_key *, struct profile *,
		    uint64_t);
static double	profile_level(const struct profile_key *,
		    const struct profile *);
static int	profile_parse_time(const struct profile_key *, const char *,
		    uint64_t *, char **);
static int	profile_parse(const struct profile_key *, const char *,
		    struct profile *, char **);
static int	profile_parse_probes(const struct profile_doc *,
		    const struct profile_check_entry *, struct profile *,
		    char **);
static int	profile_doc_load(struct profile_doc *, const char *, char **);
static void	profile_doc_free(struct profile_doc *);
static char	*profile_find(const char *, const char *,
		    const char *const *, const struct profile_doc *);
static int	profile_apply(struct profile *, const struct profile_doc *,
		    const struct profile *, struct profile_origin *, char **);
static int	profile_origin_index(const char *);
static int	profile_cross_check(const struct profile *,
		    const struct profile_origin *, char **);
static struct profile *profile_dup(const struct profile *);
static struct profile *profile_resolve(const char *, const char *const *,
		    char **);
static int	profile_name_cmp(const void *, const void *);
static int	profile_name_check(const struct profile_doc *, char **);
static const struct profile_key *profile_key_find(const char *);

const char *
profile_scan_type_name(enum profile_scan_type t)
{
	return (profile_scan_names[t]);
}

int
profile_is_file(const char *spec)
{
	size_t	len = strlen(spec);

	return (strchr(spec, '/') != NULL ||
	    (len > 5 && strcmp(spec + len - 5, ".yaml") == 0));
}

static const char *
profile_key_value(const struct profile_key *k, const struct profile_yaml *y)
{
	return (*(char *const *)((const char *)y + k->yoff));
}

/* A name: letters, digits, '.', '_' and '-', not starting with a dot. */
static int
profile_word_ok(const char *s)
{
	size_t	i, n = strlen(s);

	if (n == 0 || n > PROFILE_NAME_MAX || s[0] == '.' || s[0] == '-')
		return (0);
	for (i = 0; i < n; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '.' || s[i] == '_' || s[i] == '-'))
			return (0);
	}
	return (1);
}

static char *
profile_format_time(uint64_t ms)
{
	char	*s;
	size_t	 i;

	for (i = 0; i < PROFILE_NUNITS; i++) {
		if (ms % profile_units[i].ms == 0 &&
		    (ms != 0 || profile_units[i].ms == 1))
			break;
	}
	xasprintf(&s, "%llu%s", (unsigned long long)(ms / profile_units[i].ms),
	    profile_units[i].unit);
	return (s);
}

/* The shortest spelling of a rate that reads back as the same double. */
static char *
profile_format_rate(double r)
{
	char	*s;

	xasprintf(&s, "%g/s", r);
	if (strtod(s, NULL) != r) {
		free(s);
		xasprintf(&s, "%.17g/s", r);
	}
	return (s);
}

static uint64_t
profile_get_u(const struct profile_key *k, const struct profile *p)
{
	const char	*f = (const char *)p + k->off;
	uint64_t	 v64;
	uint32_t	 v32;

	if (k->size == sizeof v64) {
		memcpy(&v64, f, sizeof v64);
		return (v64);
	}
	memcpy(&v32, f, sizeof v32);
	return (v32);
}

static void
profile_set_u(const struct profile_key *k, struct profile *p, uint64_t v)
{
	char		*f = (char *)p + k->off;
	uint32_t	 v32 = (uint32_t)v;

	if (k->size == sizeof v)
		memcpy(f, &v, sizeof v);
	else
		memcpy(f, &v32, sizeof v32);
}

/* How aggressive a key's value is: higher is more. */
static double
profile_level(const struct profile_key *k, const struct profile *p)
{
	double	v;

	switch (k->kind) {
	case PROFILE_BOOL:
		v = *(const bool *)((const char *)p + k->off);
		break;
	case PROFILE_RATE:
		v = *(const double *)((const char *)p + k->off);
		break;
	case PROFILE_INTENSITY:
		v = *(const int *)((const char *)p + k->off);
		break;
	default:
		v = (double)profile_get_u(k, p);
		break;
	}
	if (v == 0 && (k->flags & PROFILE_NONE))
		v = INFINITY;
	return ((k->flags & PROFILE_LESS) ? -v : v);
}

static int
profile_parse_time(const struct profile_key *k, const char *v, uint64_t *ms,
    char **why)
{
	const char	*u;
	char		*num, *c, *lo, *hi;
	double		 d;
	size_t		 i;

	for (u = v; (*u >= '0' && *u <= '9') || *u == '.'; u++)
		;
	for (i = 0; i < PROFILE_NUNITS; i++) {
		if (*u != '\0' && strcmp(u, profile_units[i].unit) == 0)
			break;
	}
	if (i == PROFILE_NUNITS) {
		xasprintf(why, *u == '\0' && u != v ?
		    "\"%s\": needs a unit (ms, s, m or h)" :
		    "\"%s\": not a time (as 250ms, 2s, 5m or 1h)", v);
		return (-1);
	}
	num = xstrndup(v, (size_t)(u - v));
	if (strnum_double(num, 0, 1e12, &d, &c) != 0) {
		free(num);
		xasprintf(why, "%s", c);
		free(c);
		return (-1);
	}
	free(num);
	d *= (double)profile_units[i].ms;
	if (d != floor(d)) {
		xasprintf(why, "\"%s\": not a whole number of milliseconds", v);
		return (-1);
	}
	if (d < (double)k->min || d > (double)k->max) {
		lo = profile_format_time(k->min);
		hi = profile_format_time(k->max);
		xasprintf(why, "\"%s\": out of range %s-%s", v, lo, hi);
		free(lo);
		free(hi);
		return (-1);
	}
	*ms = (uint64_t)d;
	return (0);
}

/* Parse one scalar value into p; why gets the reason, without a place. */
static int
profile_parse(const struct profile_key *k, const char *v, struct profile *p,
    char **why)
{
	char		*f = (char *)p + k->off, *num, *c;
	size_t		 i, len;
	uint64_t	 u;
	double		 d;

	if ((k->flags & PROFILE_NONE) && strcmp(v, "none") == 0) {
		if (k->kind == PROFILE_RATE)
			*(double *)f = 0;
		else
			profile_set_u(k, p, 0);
		return (0);
	}
	switch (k->kind) {
	case PROFILE_NAME:
		if (!profile_word_ok(v)) {
			xasprintf(why, "\"%s\": want letters, digits, '.', '_'"
			    " or '-' (at most %d)", v, PROFILE_NAME_MAX);
			return (-1);
		}
		free(*(char **)f);
		*(char **)f = xstrdup(v);
		return (0);
	case PROFILE_TEXT:
		if (*v == '\0' || strlen(v) > PROFILE_TEXT_MAX) {
			xasprintf(why, "want one line of 1 to %d characters",
			    PROFILE_TEXT_MAX);
			return (-1);
		}
		free(*(char **)f);
		*(char **)f = xstrdup(v);
		return (0);
	case PROFILE_BOOL:
		if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0) {
			xasprintf(why, "\"%s\": want true or false", v);
			return (-1);
		}
		*(bool *)f = strcmp(v, "true") == 0;
		return (0);
	case PROFILE_SCAN:
		for (i = 0; i < PROFILE_NSCANS; i++) {
			if (strcmp(v, profile_scan_names[i]) == 0) {
				*(enum profile_scan_type *)f =
				    (enum profile_scan_type)i;
				return (0);
			}
		}
		xasprintf(why, "\"%s\": unknown scan type (want syn, connect,"
		    " udp or ping)", v);
		return (-1);
	case PROFILE_PORTS:
		{
			struct port_list	pl;

			if (port_spec_parse(&pl, v, PORT_TCP | PORT_UDP,
			    why) != 0)
				return (-1);
			port_list_free(&pl);
		}
		free(*(char **)f);
		*(char **)f = xstrdup(v);
		return (0);
	case PROFILE_COUNT:
		if (strnum_u64(v, k->min, k->max, &u, why) != 0)
			return (-1);
		profile_set_u(k, p, u);
		return (0);
	case PROFILE_RATE:
		len = strlen(v);
		if (len > 2 && strcmp(v + len - 2, "/s") == 0)
			len -= 2;
		num = xstrndup(v, len);
		if (strnum_double(num, 0.01, PROFILE_RATE_MAX, &d, &c) != 0) {
			xasprintf(why, "%s (a rate is probes/s or none)", c);
			free(c);
			free(num);
			return (-1);
		}
		free(num);
		*(double *)f = d;
		return (0);
	case PROFILE_TIME:
		if (profile_parse_time(k, v, &u, why) != 0)
			return (-1);
		profile_set_u(k, p, u);
		return (0);
	case PROFILE_INTENSITY:
		/* Before 0.2.0 a boolean: false none, true Nmap's default. */
		if (strcmp(v, "none") == 0 || strcmp(v, "false") == 0)
			*(int *)f = PROFILE_SERVICE_NONE;
		else if (strcmp(v, "true") == 0)
			*(int *)f = PROFILE_INTENSITY_DEFAULT;
		else if (strnum_u64(v, k->min, k->max, &u, &c) != 0) {
			xasprintf(why, "%s (want none or 0-%d)", c,
			    PROFILE_INTENSITY_MAX);
			free(c);
			return (-1);
		} else
			*(int *)f = (int)u;
		return (0);
	case PROFILE_PROBES:
		break;
	}
	xasprintf(why, "cannot be parsed");
	return (-1);
}

static int
profile_parse_probes(const struct profile_doc *d,
    const struct profile_check_entry *e, struct profile *p, char **cause)
{
	const struct profile_check_item	*it;
	unsigned			 bits = 0;
	size_t				 i, j;

	for (i = 0; i < d->y->discovery_count; i++) {
		it = &e->items[i];
		for (j = 0; j < PROFILE_NPROBES; j++) {
			if (strcmp(d->y->discovery[i],
			    profile_probe_names[j].name) == 0)
				break;
		}
		if (j == PROFILE_NPROBES) {
			profile_check_error(cause, d->path, it->line, it->col,
			    "discovery: \"%s\": unknown probe (want icmp-echo,"
			    " icmp-timestamp, tcp-syn, tcp-ack or arp)",
			    d->y->discovery[i]);
			return (-1);
		}
		if (bits & profile_probe_names[j].bit) {
			profile_check_error(cause, d->path, it->line, it->col,
			    "discovery: \"%s\": given twice",
			    d->y->discovery[i]);
			return (-1);
		}
		bits |= profile_probe_names[j].bit;
	}
	p->discovery = bits;
	return (0);
}

static int
profile_doc_load(struct profile_doc *d, const char *path, char **cause)
{
	struct stat	 st;
	char		*buf, *c;
	size_t		 len;

	memset(d, 0, sizeof *d);
	d->path = xstrdup(path);
	if (profile_check_read(path, &buf, &len, cause) != 0)
		return (-1);
	if (profile_check_map(&d->map, path, buf, len, profile_check_keys,
	    cause) != 0) {
		free(buf);
		return (-1);
	}
	if (profile_schema_load(buf, len, &d->y, &c) != 0) {
		profile_check_error(cause, path, 1, 1, "%s", c);
		free(c);
		free(buf);
		return (-1);
	}
	free(buf);
	if (stat(path, &st) == 0) {
		d->dev = st.st_dev;
		d->ino = st.st_ino;
	}
	return (0);
}

static void
profile_doc_free(struct profile_doc *d)
{
	profile_schema_free(d->y);
	profile_check_map_free(&d->map);
	free(d->path);
}

/*
 * Find NAME.yaml in first (a directory, or NULL), then in dirs; skip the
 * file of skip, so that a user's polite.yaml can extend the shipped one.
 */
static char *
profile_find(const char *name, const char *first, const char *const *dirs,
    const struct profile_doc *skip)
{
	struct stat	 st;
	const char	*dir;
	char		*path;
	ssize_t		 i;

	for (i = first != NULL ? -1 : 0; i < 0 || dirs[i] != NULL; i++) {
		dir = i < 0 ? first : dirs[i];
		xasprintf(&path, "%s/%s.yaml", dir, name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    (skip == NULL || st.st_dev != skip->dev ||
		    st.st_ino != skip->ino))
			return (path);
		free(path);
	}
	return (NULL);
}

/*
 * Apply one file's keys to p. base is the resolved profile it extends,
 * or NULL for a base profile; a key that makes p more aggressive than
 * base needs `unlocked: true` in this file.
 */
static int
profile_apply(struct profile *p, const struct profile_doc *d,
    const struct profile *base, struct profile_origin *org, char **cause)
{
	const struct profile_key	*k;
	const struct profile_check_entry *e, *ports, *top;
	const char			*v;
	char				*why, *now, *was;
	size_t				 i;

	free(p->extends);
	p->extends = NULL;
	p->unlocked = false;
	if (d->y->scan_type != NULL && strcmp(d->y->scan_type, "ping") == 0) {
		free(p->ports);
		p->ports = NULL;
		p->top_ports = 0;
	}
	ports = profile_check_find(&d->map, "ports");
	top = profile_check_find(&d->map, "top_ports");
	if (ports != NULL && top != NULL) {
		e = ports->line > top->line ? ports : top;
		profile_check_error(cause, d->path, e->line, e->col,
		    "%s: ports and top_ports: choose one", e->key);
		return (-1);
	}
	if (ports != NULL || top != NULL) {
		free(p->ports);
		p->ports = NULL;
		p->top_ports = 0;
	}
	for (i = 0; i < PROFILE_NKEYS; i++) {
		k = &profile_keys[i];
		if ((e = profile_check_find(&d->map, k->name)) == NULL) {
			if ((k->flags & PROFILE_EACH) ||
			    (base == NULL && (k->flags & PROFILE_NEED))) {
				profile_check_error(cause, d->path, 1, 1,
				    "%s: missing", k->name);
				return (-1);
			}
			if (base != NULL || k->dflt == NULL)
				continue;
			if (profile_parse(k, k->dflt, p, &why) != 0) {
				profile_check_error(cause, d->path, 1, 1,
				    "%s: %s", k->name, why);
				free(why);
				return (-1);
			}
			org[i].path = d->path;
			org[i].line = org[i].col = 1;
			continue;
		}
		org[i].path = d->path;
		org[i].line = e->items != NULL ? e->items[0].line : e->line;
		org[i].col = e->items != NULL ? e->items[0].col : e->col;
		if (k->kind == PROFILE_PROBES) {
			if (profile_parse_probes(d, e, p, cause) != 0)
				return (-1);
		} else {
			v = profile_key_value(k, d->y);
			if (profile_parse(k, v != NULL ? v : "", p,
			    &why) != 0) {
				profile_check_error(cause, d->path,
				    org[i].line, org[i].col, "%s: %s",
				    k->name, why);
				free(why);
				return (-1);
			}
		}
		if (base == NULL || p->unlocked ||
		    (k->flags & (PROFILE_MORE | PROFILE_LESS)) == 0 ||
		    profile_level(k, p) <= profile_level(k, base))
			continue;
		now = profile_value(p, k->name);
		was = profile_value(base, k->name);
		profile_check_error(cause, d->path, org[i].line, org[i].col,
		    "%s: %s raises the limit of %s (%s); add unlocked: true"
		    " to allow it", k->name, now, base->name, was);
		free(now);
		free(was);
		return (-1);
	}
	return (0);
}

static int
profile_origin_index(const char *name)
{
	size_t	i;

	for (i = 0; i < PROFILE_NKEYS; i++) {
		if (strcmp(profile_keys[i].name, name) == 0)
			return ((int)i);
	}
	return (0);
}

/* Checks between keys, on the resolved profile. */
static int
profile_cross_check(const struct profile *p, const struct profile_origin *org,
    char **cause)
{
	const struct profile_origin	*o;
	struct port_list		 pl;
	unsigned			 protos;
	size_t				 n;
	char				*a, *b, *why;

	if (p->min_rtt_timeout > p->initial_rtt_timeout ||
	    p->initial_rtt_timeout > p->max_rtt_timeout) {
		o = &org[profile_origin_index("min_rtt_timeout")];
		a = profile_format_time(p->min_rtt_timeout);
		b = profile_format_time(p->max_rtt_timeout);
		profile_check_error(cause, o->path, o->line, o->col,
		    "min_rtt_timeout: want min_rtt_timeout (%s) <="
		    " initial_rtt_timeout <= max_rtt_timeout (%s)", a, b);
		free(a);
		free(b);
		return (-1);
	}
	if (p->max_rate != 0 && p->host_max_rate > p->max_rate) {
		o = &org[profile_origin_index("host_max_rate")];
		profile_check_error(cause, o->path, o->line, o->col,
		    "host_max_rate: above max_rate");
		return (-1);
	}
	if (p->scan_type == PROFILE_SCAN_PING) {
		if (p->ports == NULL && p->top_ports == 0)
			return (0);
		o = &org[profile_origin_index(p->ports != NULL ? "ports" :
		    "top_ports")];
		profile_check_error(cause, o->path, o->line, o->col,
		    "%s: a ping scan takes no ports",
		    p->ports != NULL ? "ports" : "top_ports");
		return (-1);
	}
	if (p->ports == NULL && p->top_ports == 0) {
		o = &org[profile_origin_index("scan_type")];
		profile_check_error(cause, o->path, o->line, o->col,
		    "scan_type: %s needs ports or top_ports",
		    profile_scan_type_name(p->scan_type));
		return (-1);
	}
	if (p->top_ports != 0) {
		n = p->top_ports;
		o = &org[profile_origin_index("top_ports")];
	} else {
		protos = p->scan_type == PROFILE_SCAN_UDP ? PORT_UDP : PORT_TCP;
		if (port_spec_parse(&pl, p->ports, protos, &why) != 0) {
			o = &org[profile_origin_index("ports")];
			profile_check_error(cause, o->path, o->line, o->col,
			    "ports: %s", why);
			free(why);
			return (-1);
		}
		n = pl.n;
		port_list_free(&pl);
		o = &org[profile_origin_index("ports")];
	}
	if (p->max_ports_per_host != 0 && n > p->max_ports_per_host) {
		profile_check_error(cause, o->path, o->line, o->col,
		    "%s: %zu ports, more than max_ports_per_host (%u)",
		    p->top_ports != 0 ? "top_ports" : "ports", n,
		    p->max_ports_per_host);
		return (-1);
	}
	return (0);
}

static struct profile *
profile_dup(const struct profile *p)
{
	struct profile	*q;

	q = xmalloc(sizeof *q);
	*q = *p;
	q->name = p->name != NULL ? xstrdup(p->name) : NULL;
	q->description = p->description != NULL ?
	    xstrdup(p->description) : NULL;
	q->path = p->path != NULL ? xstrdup(p->path) : NULL;
	q->extends = p->extends != NULL ? xstrdup(p->extends) : NULL;
	q->discovery_ports = p->discovery_ports != NULL ?
	    xstrdup(p->discovery_ports) : NULL;
	q->ports = p->ports != NULL ? xstrdup(p->ports) : NULL;
	return (q);
}

/*
 * A profile is found by its file's name (-T NAME, extends: NAME) and
 * known by its name: key (outputs, tact list, the ledger): the two must
 * be one, or a scan would record a profile it did not keep to.
 */
static int
profile_name_check(const struct profile_doc *d, char **cause)
{
	const struct profile_check_entry	*e;
	const char				*base;
	size_t					 len;

	if ((base = strrchr(d->path, '/')) != NULL)
		base++;
	else
		base = d->path;
	len = strlen(base);
	if (len > 5 && strcmp(base + len - 5, ".yaml") == 0)
		len -= 5;
	if (strlen(d->y->name) == len && strncmp(d->y->name, base, len) == 0)
		return (0);
	e = profile_check_find(&d->map, "name");
	profile_check_error(cause, d->path,
	    e->items != NULL ? e->items[0].line : e->line,
	    e->items != NULL ? e->items[0].col : e->col,
	    "name: \"%s\" is not the file's name (%.*s): rename one",
	    d->y->name, (int)len, base);
	return (-1);
}

static struct profile *
profile_resolve(const char *path, const char *const *dirs, char **cause)
{
	struct profile_doc		 docs[PROFILE_DEPTH_MAX];
	struct profile_origin		 org[PROFILE_NKEYS];
	const struct profile_check_entry *e;
	struct profile			*p = NULL, *base;
	char				*dir, *slash, *next;
	size_t				 n = 0, i;
	int				 rc;

	memset(org, 0, sizeof org);
	if (profile_doc_load(&docs[n++], path, cause) != 0)
		goto out;
	while (docs[n - 1].y->extends != NULL) {
		e = profile_check_find(&docs[n - 1].map, "extends");
		if (!profile_word_ok(docs[n - 1].y->extends)) {
			profile_check_error(cause, docs[n - 1].path,
			    e->items[0].line, e->items[0].col,
			    "extends: \"%s\": not a profile name",
			    docs[n - 1].y->extends);
			goto out;
		}
		if (n == PROFILE_DEPTH_MAX) {
			profile_check_error(cause, docs[n - 1].path,
			    e->items[0].line, e->items[0].col,
			    "extends: more than %d profiles deep",
			    PROFILE_DEPTH_MAX);
			goto out;
		}
		dir = xstrdup(docs[n - 1].path);
		if ((slash = strrchr(dir, '/')) != NULL)
			*slash = '\0';
		next = profile_find(docs[n - 1].y->extends,
		    slash != NULL ? dir : ".", dirs, &docs[n - 1]);
		free(dir);
		if (next == NULL) {
			profile_check_error(cause, docs[n - 1].path,
			    e->items[0].line, e->items[0].col,
			    "extends: \"%s\": no such profile",
			    docs[n - 1].y->extends);
			goto out;
		}
		rc = profile_doc_load(&docs[n++], next, cause);
		free(next);
		if (rc != 0)
			goto out;
		for (i = 0; i < n - 1; i++) {
			if (docs[i].dev == docs[n - 1].dev &&
			    docs[i].ino == docs[n - 1].ino)
				break;
		}
		if (i < n - 1) {
			e = profile_check_find(&docs[i].map, "extends");
			profile_check_error(cause, docs[i].path,
			    e->items[0].line, e->items[0].col,
			    "extends: \"%s\": a cycle (%s extends this file)",
			    docs[i].y->extends, docs[n - 2].path);
			goto out;
		}
	}

	p = xcalloc(1, sizeof *p);
	for (i = n; i > 0; i--) {
		base = i == n ? NULL : profile_dup(p);
		rc = profile_apply(p, &docs[i - 1], base, org, cause);
		if (base != NULL)
			profile_free(base);
		if (rc != 0)
			goto fail;
	}
	if (profile_cross_check(p, org, cause) != 0)
		goto fail;
	for (i = 0; i < n; i++) {
		if (profile_name_check(&docs[i], cause) != 0)
			goto fail;
	}
	p->path = xstrdup(path);
	goto out;

fail:
	profile_free(p);
	p = NULL;
out:
	for (i = 0; i < n; i++)
		profile_doc_free(&docs[i]);
	return (p);
}

struct profile *
profile_load(const char *spec, const char *const *dirs, char **cause)
{
	struct profile	*p;
	char		*path;

	if (profile_is_file(spec))
		return (profile_resolve(spec, dirs, cause));
	if (!profile_word_ok(spec)) {
		xasprintf(cause, "profile \"%s\": not a profile name", spec);
		return (NULL);
	}
	if ((path = profile_find(spec, NULL, dirs, NULL)) == NULL) {
		xasprintf(cause, "profile \"%s\": not found (see tact profile"
		    " list)", spec);
		return (NULL);
	}
	p = profile_resolve(path, dirs, cause);
	free(path);
	return (p);
}

void
profile_free(struct profile *p)
{
	if (p == NULL)
		return;
	free(p->name);
	free(p->description);
	free(p->path);
	free(p->extends);
	free(p->discovery_ports);
	free(p->ports);
	free(p);
}

static int
profile_name_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

char **
profile_names(const char *const *dirs, size_t *count)
{
	DIR		 *d;
	struct dirent	 *de;
	char		**v = NULL, *name;
	size_t		  n = 0, i, len;

	for (; *dirs != NULL; dirs++) {
		if ((d = opendir(*dirs)) == NULL)
			continue;
		while ((de = readdir(d)) != NULL) {
			len = strlen(de->d_name);
			if (len <= 5 ||
			    strcmp(de->d_name + len - 5, ".yaml") != 0)
				continue;
			name = xstrndup(de->d_name, len - 5);
			for (i = 0; i < n; i++) {
				if (strcmp(v[i], name) == 0)
					break;
			}
			if (i < n || !profile_word_ok(name)) {
				free(name);
				continue;
			}
			v = xreallocarray(v, n + 2, sizeof *v);
			v[n++] = name;
			v[n] = NULL;
		}
		closedir(d);
	}
	if (n > 0)
		qsort(v, n, sizeof *v, profile_name_cmp);
	*count = n;
	return (v);
}

/* The key of that name, or NULL. */
static const struct profile_key *
profile_key_find(const char *name)
{
	size_t	i;

	for (i = 0; i < PROFILE_NKEYS; i++) {
		if (strcmp(profile_keys[i].name, name) == 0)
			return (&profile_keys[i]);
	}
	return (NULL);
}

struct profile *
profile_copy(const struct profile *p)
{
	return (profile_dup(p));
}

int
profile_override(struct profile *p, const char *key, const char *value,
    char **cause)
{
	const struct profile_key	*k;
	struct profile			*was;
	char				*why, *now, *before;
	int				 rc = 0;

	if ((k = profile_key_find(key)) == NULL ||
	    (k->flags & (PROFILE_MORE | PROFILE_LESS)) == 0) {
		xasprintf(cause, "%s: not a limit", key);
		return (-1);
	}
	was = profile_dup(p);
	if (profile_parse(k, value, p, &why) != 0) {
		xasprintf(cause, "%s: %s", key, why);
		free(why);
		rc = -1;
	} else if (!p->unlocked && profile_level(k, p) > profile_level(k, was)) {
		now = profile_value(p, key);
		before = profile_value(was, key);
		xasprintf(cause, "%s: %s raises the limit of profile %s (%s), "
		    "which is not unlocked", key, now, p->name, before);
		free(now);
		free(before);
		memcpy((char *)p + k->off, (const char *)was + k->off,
		    k->size);
		rc = -1;
	}
	profile_free(was);
	return (rc);
}

int
profile_value_check(const char *key, const char *value, char **cause)
{
	struct profile	scratch;

	memset(&scratch, 0, sizeof scratch);
	scratch.unlocked = true;
	return (profile_override(&scratch, key, value, cause));
}

char *
profile_value(const struct profile *p, const char *key)
{
	const struct profile_key	*k = NULL;
	const char			*f;
	char				*s, *t;
	size_t				 i;
	uint64_t			 u;
	double				 r;

	for (i = 0; i < PROFILE_NKEYS; i++) {
		if (strcmp(profile_keys[i].name, key) == 0)
			k = &profile_keys[i];
	}
	if (k == NULL)
		return (xstrdup("?"));
	f = (const char *)p + k->off;
	switch (k->kind) {
	case PROFILE_NAME:
	case PROFILE_TEXT:
	case PROFILE_PORTS:
		return (xstrdup(*(char *const *)f != NULL ?
		    *(char *const *)f : ""));
	case PROFILE_BOOL:
		return (xstrdup(*(const bool *)f ? "true" : "false"));
	case PROFILE_SCAN:
		return (xstrdup(profile_scan_type_name(
		    *(const enum profile_scan_type *)f)));
	case PROFILE_PROBES:
		s = xstrdup("[");
		for (i = 0; i < PROFILE_NPROBES; i++) {
			if ((p->discovery & profile_probe_names[i].bit) == 0)
				continue;
			xasprintf(&t, "%s%s%s", s, s[1] != '\0' ? ", " : "",
			    profile_probe_names[i].name);
			free(s);
			s = t;
		}
		xasprintf(&t, "%s]", s);
		free(s);
		return (t);
	case PROFILE_RATE:
		r = *(const double *)f;
		return (r == 0 ? xstrdup("none") : profile_format_rate(r));
	case PROFILE_INTENSITY:
		if (*(const int *)f < 0)
			return (xstrdup("none"));
		xasprintf(&s, "%d", *(const int *)f);
		return (s);
	case PROFILE_COUNT:
	case PROFILE_TIME:
		u = profile_get_u(k, p);
		if (u == 0 && (k->flags & PROFILE_NONE))
			return (xstrdup("none"));
		if (k->kind == PROFILE_TIME)
			return (profile_format_time(u));
		xasprintf(&s, "%llu", (unsigned long long)u);
		return (s);
	}
	return (xstrdup("?"));
}

/*
 * The resolved profile as a base profile: every key but extends and
 * unlocked, strings double-quoted (profile text has no control
 * characters, so only '"' and '\' need escaping).
 */
char *
profile_to_yaml(const struct profile *p)
{
	const struct profile_key	*k;
	char				*out, *v, *t, *q;
	const char			*s;
	size_t				 i;

	xasprintf(&out, "# %s profile, resolved%s%s\n", p->name,
	    p->extends != NULL ? " from extends: " : "",
	    p->extends != NULL ? p->extends : "");
	for (i = 0; i < PROFILE_NKEYS; i++) {
		k = &profile_keys[i];
		if (k->flags & PROFILE_OWN)
			continue;
		if ((k->kind == PROFILE_PORTS &&
		    *(char *const *)((const char *)p + k->off) == NULL) ||
		    (k->off == offsetof(struct profile, top_ports) &&
		    p->top_ports == 0))
			continue;
		v = profile_value(p, k->name);
		if (k->kind == PROFILE_TEXT || k->kind == PROFILE_PORTS ||
		    k->kind == PROFILE_NAME) {
			q = xmalloc(2 * strlen(v) + 3);
			t = q;
			*t++ = '"';
			for (s = v; *s != '\0'; s++) {
				if (*s == '"' || *s == '\\')
					*t++ = '\\';
				*t++ = *s;
			}
			*t++ = '"';
			*t = '\0';
			free(v);
			v = q;
		}
		xasprintf(&t, "%s%s: %s\n", out, k->name, v);
		free(out);
		free(v);
		out = t;
	}
	return (out);
}

int
profile_same(const struct profile *a, const struct profile *b)
{
	const struct profile_key	*k;
	char				*va, *vb;
	size_t				 i;
	int				 same = 1;

	for (i = 0; i < PROFILE_NKEYS && same; i++) {
		k = &profile_keys[i];
		if (k->flags & PROFILE_OWN)
			continue;
		va = profile_value(a, k->name);
		vb = profile_value(b, k->name);
		same = strcmp(va, vb) == 0;
		free(va);
		free(vb);
	}
	return (same && a->max_rate == b->max_rate &&
	    a->host_max_rate == b->host_max_rate);
}
