/*
 * Authorization scope files and the policy check before a scan. A scope
 * file goes through the same line-numbered YAML pass as profiles
 * (profile-check.c), so every bad network or date is reported with its
 * file, line and column. Checking a target set walks its runs of
 * addresses: a run inside one scope network that no exclusion touches
 * is settled at once, anything else address by address, so that a
 * hostname listed in the scope can allow the addresses it resolved to.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ledger.h"
#include "profile.h"
#include "scope.h"
#include "xmalloc.h"

static const struct profile_check_key scope_keys[] = {
	{ "reference", 0 }, { "authorized_by", 0 }, { "valid_from", 0 },
	{ "valid_until", 0 }, { "networks", 1 }, { "hostnames", 1 },
	{ "exclude", 1 }, { NULL, 0 }
};

#define SCOPE_TEXT_MAX	200
#define SCOPE_NAME_MAX	253

/* The state of one check, for the target_set_walk() callback. */
struct scope_walk {
	const struct scope	*scope;
	const struct target_set	*set;
	uint64_t		 index;		/* of the run's first */
	enum scope_verdict	 verdict;
	char			*reason;
	/* For the policy check: the charges for the ledger. */
	const struct scope_policy *policy;
	struct ledger_charge	*charges;
	size_t			 ncharges;
};

static int	scope_parse_time(const char *, int, time_t *);
static int	scope_text(const struct profile_check_map *, const char *,
		    int, char **, char **);
static int	scope_list(const struct profile_check_map *, const char *,
		    char ***, size_t *, struct target_range **, size_t *,
		    char **);
static int	scope_hostname_ok(const char *);
static int	scope_in(const struct target_range *, size_t,
		    const struct target_addr *);
static int	scope_touches(const struct target_range *, size_t,
		    const struct target_addr *, const struct target_addr *);
static void	scope_next(struct target_addr *);
static uint64_t	scope_span(const struct target_addr *,
		    const struct target_addr *);
static int	scope_walk_run(const struct target_addr *,
		    const struct target_addr *, void *);
static int	scope_quota_run(const struct target_addr *,
		    const struct target_addr *, void *);

/*
 * An ISO 8601 date or date-time: "2026-10-01", "2026-10-01T08:00Z",
 * "2026-10-01 08:00:00+02:00". No offset means UTC. A date alone means
 * its first second, or with end set the first second of the next day.
 */
static int
scope_parse_time(const char *s, int end, time_t *out)
{
	struct tm	tm, check;
	unsigned	y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0;
	int		n = 0, sign = 0, date_only;
	time_t		t;

	if (sscanf(s, "%4u-%2u-%2u%n", &y, &mo, &d, &n) != 3 || n != 10 ||
	    strspn(s, "0123456789") != 4)
		return (-1);
	s += n;
	date_only = (*s == '\0');
	if (!date_only) {
		if ((*s != 'T' && *s != ' ') ||
		    sscanf(s + 1, "%2u:%2u%n", &h, &mi, &n) != 2 || n != 5)
			return (-1);
		s += 1 + n;
		if (*s == ':') {
			if (sscanf(s + 1, "%2u%n", &sec, &n) != 1 || n != 2)
				return (-1);
			s += 3;
		}
		if (*s == 'Z')
			s++;
		else if (*s == '+' || *s == '-') {
			sign = *s == '+' ? 1 : -1;
			if (sscanf(s + 1, "%2u:%2u%n", &oh, &om, &n) != 2 ||
			    n != 5 || oh > 23 || om > 59)
				return (-1);
			s += 1 + n;
		}
		if (*s != '\0' || h > 23 || mi > 59 || sec > 59)
			return (-1);
	}
	memset(&tm, 0, sizeof tm);
	tm.tm_year = (int)y - 1900;
	tm.tm_mon = (int)mo - 1;
	tm.tm_mday = (int)d;
	tm.tm_hour = (int)h;
	tm.tm_min = (int)mi;
	tm.tm_sec = (int)sec;
	if (y < 1970 || (t = timegm(&tm)) == (time_t)-1)
		return (-1);
	gmtime_r(&t, &check);
	if (check.tm_mday != (int)d || check.tm_mon != (int)mo - 1)
		return (-1);
	t -= sign * (time_t)(oh * 3600 + om * 60);
	if (date_only && end)
		t += 86400;
	*out = t;
	return (0);
}

/* A scalar key: its value, or an error if required and missing. */
static int
scope_text(const struct profile_check_map *m, const char *key, int need,
    char **out, char **cause)
{
	const struct profile_check_entry	*e;

	*out = NULL;
	if ((e = profile_check_find(m, key)) == NULL) {
		if (!need)
			return (0);
		profile_check_error(cause, m->path, 1, 1, "%s: missing", key);
		return (-1);
	}
	if (e->items[0].value[0] == '\0' ||
	    strlen(e->items[0].value) > SCOPE_TEXT_MAX) {
		profile_check_error(cause, m->path, e->items[0].line,
		    e->items[0].col, "%s: want one line of 1 to %d characters",
		    key, SCOPE_TEXT_MAX);
		return (-1);
	}
	*out = xstrdup(e->items[0].value);
	return (0);
}

/* A list of networks: kept as written and parsed into ranges. */
static int
scope_list(const struct profile_check_map *m, const char *key, char ***text,
    size_t *ntext, struct target_range **r, size_t *nr, char **cause)
{
	const struct profile_check_entry	*e;
	const struct profile_check_item		*it;
	struct target_spec			 ts;
	char					*why;
	size_t					 i;

	if ((e = profile_check_find(m, key)) == NULL)
		return (0);
	for (i = 0; i < e->nitems; i++) {
		it = &e->items[i];
		if (target_parse_spec(&ts, it->value, TARGET_NO_DNS,
		    &why) != 0) {
			profile_check_error(cause, m->path, it->line, it->col,
			    "%s: %s", key, why);
			free(why);
			return (-1);
		}
		*r = xreallocarray(*r, *nr + ts.n, sizeof **r);
		memcpy(*r + *nr, ts.v, ts.n * sizeof **r);
		*nr += ts.n;
		target_parse_free(&ts);
		*text = xreallocarray(*text, *ntext + 1, sizeof **text);
		(*text)[(*ntext)++] = xstrdup(it->value);
	}
	return (0);
}

static int
scope_hostname_ok(const char *s)
{
	size_t	n = strlen(s);

	return (n > 0 && n <= SCOPE_NAME_MAX && s[0] != '.' && s[0] != '-' &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") == n &&
	    strspn(s, "0123456789.") != n);
}

struct scope *
scope_load(const char *path, char **cause)
{
	struct profile_check_map		 m;
	const struct profile_check_entry	*e;
	const struct profile_check_item		*it;
	struct scope				*s;
	char					*buf;
	size_t					 len, i;

	if (profile_check_read(path, &buf, &len, cause) != 0)
		return (NULL);
	if (profile_check_map(&m, path, buf, len, scope_keys, cause) != 0) {
		free(buf);
		return (NULL);
	}
	free(buf);
	s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	if (scope_text(&m, "reference", 1, &s->reference, cause) != 0 ||
	    scope_text(&m, "authorized_by", 1, &s->authorized_by,
	    cause) != 0 ||
	    scope_text(&m, "valid_from", 0, &s->valid_from_text, cause) != 0 ||
	    scope_text(&m, "valid_until", 1, &s->valid_until_text, cause) != 0)
		goto fail;
	if (s->valid_from_text != NULL && scope_parse_time(s->valid_from_text,
	    0, &s->valid_from) != 0) {
		it = &profile_check_find(&m, "valid_from")->items[0];
		profile_check_error(cause, path, it->line, it->col,
		    "valid_from: \"%s\": not a date (as 2026-10-01 or"
		    " 2026-10-01T08:00:00Z)", s->valid_from_text);
		goto fail;
	}
	if (scope_parse_time(s->valid_until_text, 1, &s->valid_until) != 0) {
		it = &profile_check_find(&m, "valid_until")->items[0];
		profile_check_error(cause, path, it->line, it->col,
		    "valid_until: \"%s\": not a date (as 2026-10-01 or"
		    " 2026-10-01T08:00:00Z)", s->valid_until_text);
		goto fail;
	}
	if (s->valid_from_text != NULL && s->valid_from >= s->valid_until) {
		it = &profile_check_find(&m, "valid_until")->items[0];
		profile_check_error(cause, path, it->line, it->col,
		    "valid_until: not after valid_from");
		goto fail;
	}
	if (scope_list(&m, "networks", &s->networks, &s->nnetworks,
	    &s->include, &s->ninclude, cause) != 0 ||
	    scope_list(&m, "exclude", &s->excludes, &s->nexcludes,
	    &s->exclude, &s->nexclude, cause) != 0)
		goto fail;
	if ((e = profile_check_find(&m, "hostnames")) != NULL) {
		for (i = 0; i < e->nitems; i++) {
			it = &e->items[i];
			if (!scope_hostname_ok(it->value)) {
				profile_check_error(cause, path, it->line,
				    it->col, "hostnames: \"%s\": not a host"
				    " name", it->value);
				goto fail;
			}
			s->hostnames = xreallocarray(s->hostnames,
			    s->nhostnames + 1, sizeof *s->hostnames);
			s->hostnames[s->nhostnames++] = xstrdup(it->value);
		}
	}
	if (s->nnetworks == 0 && s->nhostnames == 0) {
		profile_check_error(cause, path, 1, 1,
		    "networks: missing (a scope needs networks or hostnames)");
		goto fail;
	}
	profile_check_map_free(&m);
	return (s);

fail:
	profile_check_map_free(&m);
	scope_free(s);
	return (NULL);
}

void
scope_free(struct scope *s)
{
	size_t	i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nnetworks; i++)
		free(s->networks[i]);
	for (i = 0; i < s->nexcludes; i++)
		free(s->excludes[i]);
	for (i = 0; i < s->nhostnames; i++)
		free(s->hostnames[i]);
	free(s->networks);
	free(s->excludes);
	free(s->hostnames);
	free(s->include);
	free(s->exclude);
	free(s->path);
	free(s->reference);
	free(s->authorized_by);
	free(s->valid_from_text);
	free(s->valid_until_text);
	free(s);
}

int
scope_valid(const struct scope *s, time_t now, char **cause)
{
	if (s->valid_from_text != NULL && now < s->valid_from) {
		xasprintf(cause, "scope %s is not valid before %s",
		    s->reference, s->valid_from_text);
		return (-1);
	}
	if (now >= s->valid_until) {
		xasprintf(cause, "scope %s expired %s", s->reference,
		    s->valid_until_text);
		return (-1);
	}
	return (0);
}

int
scope_is_loopback(const struct target_addr *a)
{
	static const uint8_t	v6[16] = { [15] = 1 };

	if (a->family == AF_INET)
		return (a->addr[0] == 127);
	return (a->family == AF_INET6 && memcmp(a->addr, v6, 16) == 0);
}

static int
scope_in(const struct target_range *r, size_t n, const struct target_addr *a)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (r[i].first.family == a->family &&
		    target_addr_cmp(&r[i].first, a) <= 0 &&
		    target_addr_cmp(a, &r[i].last) <= 0)
			return (1);
	}
	return (0);
}

/* Whether any range shares an address with lo..hi. */
static int
scope_touches(const struct target_range *r, size_t n,
    const struct target_addr *lo, const struct target_addr *hi)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (r[i].first.family == lo->family &&
		    target_addr_cmp(&r[i].first, hi) <= 0 &&
		    target_addr_cmp(lo, &r[i].last) <= 0)
			return (1);
	}
	return (0);
}

int
scope_allows(const struct scope *s, const struct target_addr *a,
    const char *hostname)
{
	size_t	i;

	if (scope_in(s->exclude, s->nexclude, a))
		return (0);
	if (scope_in(s->include, s->ninclude, a))
		return (1);
	for (i = 0; hostname != NULL && i < s->nhostnames; i++) {
		if (strcasecmp(hostname, s->hostnames[i]) == 0)
			return (1);
	}
	return (0);
}

static void
scope_next(struct target_addr *a)
{
	size_t	i = a->family == AF_INET ? 4 : 16;

	while (i-- > 0 && ++a->addr[i] == 0)
		;
}

/* Addresses in lo..hi, less one; runs fit in 64 bits (target.h). */
static uint64_t
scope_span(const struct target_addr *lo, const struct target_addr *hi)
{
	size_t		len = lo->family == AF_INET ? 4 : 16, i;
	uint64_t	a = 0, b = 0;

	for (i = len > 8 ? len - 8 : 0; i < len; i++) {
		a = a << 8 | lo->addr[i];
		b = b << 8 | hi->addr[i];
	}
	return (b - a);
}

static int
scope_walk_run(const struct target_addr *lo, const struct target_addr *hi,
    void *arg)
{
	struct scope_walk	*w = arg;
	const struct scope	*s = w->scope;
	struct target_addr	 a = *lo;
	uint64_t		 i, span = scope_span(lo, hi);
	char			 buf[64];
	size_t			 r;

	if (scope_is_loopback(lo) && scope_is_loopback(hi))
		goto done;
	if (s != NULL && !scope_touches(s->exclude, s->nexclude, lo, hi)) {
		for (r = 0; r < s->ninclude; r++) {
			if (s->include[r].first.family == lo->family &&
			    target_addr_cmp(&s->include[r].first, lo) <= 0 &&
			    target_addr_cmp(hi, &s->include[r].last) <= 0)
				goto done;
		}
	}
	for (i = 0; i <= span; i++, scope_next(&a)) {
		if (scope_is_loopback(&a))
			continue;
		target_addr_str(&a, buf, sizeof buf);
		if (s == NULL) {
			xasprintf(&w->reason, "%s: no scope file covers it",
			    buf);
			w->verdict = SCOPE_NEED_PERMISSION;
			return (1);
		}
		if (!scope_allows(s, &a, target_set_hostname(w->set,
		    w->index + i))) {
			xasprintf(&w->reason, "%s: not in scope file %s (%s)",
			    buf, s->path, s->reference);
			w->verdict = SCOPE_REFUSED;
			return (1);
		}
	}
done:
	w->index += span + 1;
	return (0);
}

enum scope_verdict
scope_check(const struct scope *s, const struct target_set *set, time_t now,
    char **reason)
{
	struct scope_walk	w;

	if (s != NULL && scope_valid(s, now, reason) != 0)
		return (SCOPE_REFUSED);
	memset(&w, 0, sizeof w);
	w.scope = s;
	w.set = set;
	w.verdict = SCOPE_OK;
	if (target_set_walk(set, scope_walk_run, &w) != 0)
		*reason = w.reason;
	return (w.verdict);
}

/*
 * A target's daily quota under pol: the profile's, and never more than
 * SCOPE_SCANME_QUOTA for scanme.nmap.org (by name or resolved address).
 * 0: no quota.
 */
uint32_t
scope_quota_of(const struct scope_policy *pol, const struct target_addr *a,
    const char *name)
{
	uint32_t	quota = pol->profile->daily_quota;
	size_t		i;
	int		scanme;

	scanme = name != NULL && strcasecmp(name, SCOPE_SCANME_NAME) == 0;
	for (i = 0; !scanme && i < pol->nscanme; i++)
		scanme = target_addr_cmp(a, &pol->scanme[i]) == 0;
	if (scanme && (quota == 0 || quota > SCOPE_SCANME_QUOTA))
		quota = SCOPE_SCANME_QUOTA;
	return (quota);
}

/* Collect the targets that have a daily quota, with that quota. */
static int
scope_quota_run(const struct target_addr *lo, const struct target_addr *hi,
    void *arg)
{
	struct scope_walk		*w = arg;
	const struct scope_policy	*pol = w->policy;
	struct target_addr		 a = *lo;
	const char			*name;
	uint64_t			 i, span = scope_span(lo, hi);
	uint32_t			 quota;

	for (i = 0; i <= span; i++, scope_next(&a)) {
		name = target_set_hostname(w->set, w->index + i);
		quota = scope_quota_of(pol, &a, name);
		if (quota == 0)
			continue;
		w->charges = xreallocarray(w->charges, w->ncharges + 1,
		    sizeof *w->charges);
		w->charges[w->ncharges].addr = a;
		w->charges[w->ncharges++].quota = quota;
	}
	w->index += span + 1;
	return (0);
}

/*
 * The whole check before a scan: the profile's host limit, the scope (or,
 * without one, a purpose and the user's word), then the daily quotas,
 * which are charged in the ledger when everything passes.
 */
enum scope_verdict
scope_policy_check(const struct scope_policy *pol,
    const struct target_set *set, char **cause)
{
	const struct profile	*p = pol->profile;
	struct scope_walk	 w;
	enum scope_verdict	 v;
	uint64_t		 count = target_set_count(set);

	if (p->max_hosts != 0 && count > p->max_hosts) {
		xasprintf(cause, "%llu targets: more than profile %s allows"
		    " (max_hosts %llu)", (unsigned long long)count, p->name,
		    (unsigned long long)p->max_hosts);
		return (SCOPE_REFUSED);
	}
	v = scope_check(pol->scope, set, pol->now, cause);
	if (v == SCOPE_NEED_PERMISSION) {
		if (pol->purpose == NULL || pol->purpose[0] == '\0' ||
		    !pol->have_permission)
			return (v);
		free(*cause);
		*cause = NULL;
	} else if (v != SCOPE_OK)
		return (v);

	memset(&w, 0, sizeof w);
	w.set = set;
	w.policy = pol;
	target_set_walk(set, scope_quota_run, &w);
	if (w.ncharges == 0)
		return (SCOPE_OK);
	switch (ledger_charge(pol->ledger, w.charges, w.ncharges, pol->now,
	    cause)) {
	case LEDGER_OK:
		v = SCOPE_OK;
		break;
	case LEDGER_OVER_QUOTA:
		v = SCOPE_REFUSED;
		break;
	case LEDGER_CORRUPT:
		v = SCOPE_BAD_INPUT;
		break;
	case LEDGER_FAILED:
		v = SCOPE_FAILED;
		break;
	}
	free(w.charges);
	return (v);
}

char **
scope_policy_strings(const struct scope_policy *pol, size_t *n)
{
	char	**v;

	v = xcalloc(4, sizeof *v);
	xasprintf(&v[0], "purpose=%s", pol->purpose != NULL ? pol->purpose :
	    "");
	xasprintf(&v[1], "scope=%s", pol->scope != NULL ?
	    pol->scope->reference : "none");
	xasprintf(&v[2], "profile=%s", pol->profile->name);
	*n = 3;
	return (v);
}
