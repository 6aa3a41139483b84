/*
 * Matching a service's response with Nmap's semantics: which probes a
 * port gets and in which order (the NULL probe, those whose ports or
 * sslports name the port, then the others up to the intensity by
 * rarity), then a response against the probe's matches and its
 * fallbacks', a hard match winning over a softmatch, and the version
 * templates filled from the groups ($1, $P(), $SUBST(), $I()).
 * Matching is bounded: PCRE2's match and depth limits keep a hostile
 * response from costing more than a few milliseconds a pattern. No JIT:
 * the engine runs under a filter that refuses executable memory.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service.h"
#include "xmalloc.h"

#define MATCH_LIMIT	200000
#define MATCH_DEPTH	5000
#define MATCH_GROUPS	16

struct subst_buf {
	char	 v[SERVICE_VALUE_MAX + 1];
	size_t	 n;
};

static bool	port_in(const struct port_list *, uint16_t, uint8_t);
static void	sb_add(struct subst_buf *, const void *, size_t);
static bool	group(const uint8_t *, const size_t *, size_t, unsigned,
		    const uint8_t **, size_t *);
static const char *subst_args(const char *, unsigned *, char **, char **);
static const char *subst_one(struct subst_buf *, const char *,
		    const uint8_t *, const size_t *, size_t, bool *);
static void	info_fill(struct service_info *, const struct service_match *,
		    const uint8_t *, const size_t *, size_t);
static const struct service_match *match_list(const struct service_db *,
		    size_t, const uint8_t *, size_t, const char *,
		    pcre2_match_data *, pcre2_match_context *, bool *, int *);

static bool
port_in(const struct port_list *l, uint16_t port, uint8_t proto)
{
	size_t	lo = 0, hi = l->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (l->v[mid].proto == proto && l->v[mid].port == port)
			return (true);
		if (l->v[mid].proto < proto || (l->v[mid].proto == proto &&
		    l->v[mid].port < port))
			lo = mid + 1;
		else
			hi = mid;
	}
	return (false);
}

size_t
service_db_order(const struct service_db *db, uint16_t port, uint8_t proto,
    bool ssl, unsigned intensity, size_t *out)
{
	const struct service_probe	*pr;
	const struct port_list		*l;
	size_t				 i, n = 0, pass;

	if (port_in(&db->exclude, port, proto))
		return (0);
	for (i = 0; i < db->nprobes; i++) {
		pr = &db->probes[i];
		if (pr->proto == PORT_TCP && proto == PORT_TCP && pr->len == 0 &&
		    strcmp(pr->name, "NULL") == 0) {
			out[n++] = i;
			break;
		}
	}
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < db->nprobes; i++) {
			pr = &db->probes[i];
			if (pr->proto != proto || (n > 0 && out[0] == i))
				continue;
			l = ssl ? &pr->sslports : &pr->ports;
			if (pass == 0 && port_in(l, port, proto))
				out[n++] = i;
			else if (pass == 1 && !port_in(l, port, proto) &&
			    pr->rarity <= intensity)
				out[n++] = i;
		}
	}
	return (n);
}

static void
sb_add(struct subst_buf *b, const void *p, size_t len)
{
	const uint8_t	*s = p;
	size_t		 i;

	for (i = 0; i < len && b->n < SERVICE_VALUE_MAX; i++) {
		if (s[i] != '\0')
			b->v[b->n++] = (char)s[i];
	}
	b->v[b->n] = '\0';
}

/* Group k of the match, if it took part. */
static bool
group(const uint8_t *subj, const size_t *ov, size_t ngroups, unsigned k,
    const uint8_t **p, size_t *len)
{
	if (k == 0 || k >= ngroups || ov[2 * k] == PCRE2_UNSET)
		return (false);
	*p = subj + ov[2 * k];
	*len = ov[2 * k + 1] - ov[2 * k];
	return (true);
}

/*
 * After "$NAME(": a group number and up to two quoted strings, then
 * ")". Returns where it ends, or NULL (and no string kept) when it does
 * not parse.
 */
static const char *
subst_args(const char *s, unsigned *k, char **a, char **b)
{
	char		**out[2] = { a, b };
	const char	 *q;
	size_t		  i;

	if (*s < '0' || *s > '9')
		return (NULL);
	*k = (unsigned)(*s++ - '0');
	for (i = 0; i < 2 && out[i] != NULL; i++) {
		if (s[0] != ',' || s[1] != '"' ||
		    (q = strchr(s + 2, '"')) == NULL)
			break;
		*out[i] = xstrndup(s + 2, (size_t)(q - s - 2));
		s = q + 1;
	}
	if ((i == 2 || out[i] == NULL) && *s == ')')
		return (s + 1);
	while (i-- > 0) {
		free(*out[i]);
		*out[i] = NULL;
	}
	return (NULL);
}

/* One $ item at s (after the $); *ok false when its group is unset. */
static const char *
subst_one(struct subst_buf *b, const char *s, const uint8_t *subj,
    const size_t *ov, size_t ng, bool *ok)
{
	const uint8_t	*g, *hit;
	const char	*e;
	char		*from = NULL, *to = NULL, num[24];
	size_t		 len, i, flen;
	unsigned	 k;
	uint64_t	 v = 0;

	if (*s >= '1' && *s <= '9') {
		if (!group(subj, ov, ng, (unsigned)(*s - '0'), &g, &len))
			*ok = false;
		else
			sb_add(b, g, len);
		return (s + 1);
	}
	if (strncmp(s, "P(", 2) == 0 &&
	    (e = subst_args(s + 2, &k, NULL, NULL)) != NULL) {
		if (!group(subj, ov, ng, k, &g, &len))
			*ok = false;
		for (i = 0; *ok && i < len; i++)
			if (g[i] >= 0x20 && g[i] < 0x7f)
				sb_add(b, &g[i], 1);
		return (e);
	}
	if (strncmp(s, "SUBST(", 6) == 0 &&
	    (e = subst_args(s + 6, &k, &from, &to)) != NULL) {
		if (!group(subj, ov, ng, k, &g, &len))
			*ok = false;
		flen = strlen(from);
		for (i = 0; *ok && i < len; ) {
			hit = flen == 0 || len - i < flen ? NULL :
			    memcmp(g + i, from, flen) == 0 ? g + i : NULL;
			if (hit != NULL) {
				sb_add(b, to, strlen(to));
				i += flen;
			} else
				sb_add(b, &g[i++], 1);
		}
		free(from);
		free(to);
		return (e);
	}
	if (strncmp(s, "I(", 2) == 0 &&
	    (e = subst_args(s + 2, &k, &from, NULL)) != NULL) {
		if (!group(subj, ov, ng, k, &g, &len) || len > 8 ||
		    (strcmp(from, ">") != 0 && strcmp(from, "<") != 0))
			*ok = false;
		for (i = 0; *ok && i < len; i++)
			v = from[0] == '>' ? v << 8 | g[i] :
			    v | (uint64_t)g[i] << (8 * i);
		if (*ok) {
			snprintf(num, sizeof num, "%llu",
			    (unsigned long long)v);
			sb_add(b, num, strlen(num));
		}
		free(from);
		return (e);
	}
	sb_add(b, "$", 1);
	return (s);
}

char *
service_subst(const char *t, const uint8_t *subj, const size_t *ov, size_t ng)
{
	struct subst_buf	b;
	bool			ok = true;

	b.n = 0;
	b.v[0] = '\0';
	while (*t != '\0' && ok) {
		if (*t == '$')
			t = subst_one(&b, t + 1, subj, ov, ng, &ok);
		else
			sb_add(&b, t++, 1);
	}
	return (ok ? xstrdup(b.v) : NULL);
}

static void
info_fill(struct service_info *info, const struct service_match *m,
    const uint8_t *subj, const size_t *ov, size_t ng)
{
	size_t	k;
	char	*v;

	memset(info, 0, sizeof *info);
	info->service = xstrdup(m->service);
	info->soft = m->soft;
	info->line = m->line;
	for (k = 0; k < SERVICE_FIELD_MAX; k++) {
		if (m->tmpl[k] == NULL)
			continue;
		v = service_subst(m->tmpl[k], subj, ov, ng);
		if (v != NULL && v[0] == '\0') {
			free(v);
			v = NULL;
		}
		info->field[k] = v;
	}
	/* "cpe:/" and the template's value: SERVICE_VALUE_MAX bytes too. */
	for (k = 0; k < m->ncpe; k++) {
		if ((v = service_subst(m->cpe[k], subj, ov, ng)) == NULL)
			continue;
		xasprintf(&info->cpe[info->ncpe++], "cpe:/%.*s",
		    SERVICE_VALUE_MAX - 5, v);
		free(v);
	}
}

/* The first hard match of one probe's list, else its first soft one. */
static const struct service_match *
match_list(const struct service_db *db, size_t i, const uint8_t *resp,
    size_t len, const char *only, pcre2_match_data *md,
    pcre2_match_context *mc, bool *soft_seen, int *rc)
{
	const struct service_probe	*pr = &db->probes[i];
	const struct service_match	*m;
	size_t				 j;

	for (j = 0; j < pr->nmatches; j++) {
		m = &pr->matches[j];
		if (only != NULL && strcmp(m->service, only) != 0)
			continue;
		if (m->soft && *soft_seen)
			continue;
		if ((*rc = pcre2_match(m->re, resp, len, 0, 0, md, mc)) < 0)
			continue;
		if (*rc == 0)	/* more groups than MATCH_GROUPS */
			*rc = MATCH_GROUPS;
		if (m->soft)
			*soft_seen = true;
		return (m);
	}
	return (NULL);
}

int
service_db_match(const struct service_db *db, size_t i, const uint8_t *resp,
    size_t len, const char *only, struct service_info *info)
{
	const struct service_probe	*pr = &db->probes[i];
	const struct service_match	*m, *soft = NULL;
	pcre2_match_data		*md, *smd, *cur;
	pcre2_match_context		*mc;
	size_t				 lists[1 + 64], n = 0, k;
	long				 null;
	bool				 soft_seen = false;
	int				 found = 0, rc = 0, src = 0;

	lists[n++] = i;
	for (k = 0; k < pr->nfallback && n < 64; k++)
		lists[n++] = pr->fallback[k];
	if (pr->nfallback == 0 && pr->proto == PORT_TCP &&
	    (null = service_db_find(db, "NULL")) >= 0 && (size_t)null != i)
		lists[n++] = (size_t)null;
	md = pcre2_match_data_create(MATCH_GROUPS, NULL);
	smd = pcre2_match_data_create(MATCH_GROUPS, NULL);
	mc = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(mc, MATCH_LIMIT);
	pcre2_set_depth_limit(mc, MATCH_DEPTH);
	/* The first softmatch's groups stay in smd; the rest go to md. */
	for (k = 0; k < n && !found; k++) {
		for (;;) {
			cur = soft == NULL ? smd : md;
			if ((m = match_list(db, lists[k], resp, len, only, cur,
			    mc, &soft_seen, &rc)) == NULL)
				break;
			if (!m->soft) {
				info_fill(info, m, resp,
				    pcre2_get_ovector_pointer(cur), (size_t)rc);
				found = 1;
				break;
			}
			soft = m;
			src = rc;
		}
	}
	if (!found && soft != NULL) {
		info_fill(info, soft, resp, pcre2_get_ovector_pointer(smd),
		    (size_t)src);
		found = 1;
	}
	pcre2_match_context_free(mc);
	pcre2_match_data_free(md);
	pcre2_match_data_free(smd);
	return (found);
}

bool
service_db_may_name(const struct service_db *db, size_t i, const char *svc)
{
	const struct service_probe	*pr = &db->probes[i];
	size_t				 j, k;
	long				 null;

	for (j = 0; j < pr->nmatches; j++)
		if (strcmp(pr->matches[j].service, svc) == 0)
			return (true);
	for (k = 0; k < pr->nfallback; k++) {
		pr = &db->probes[db->probes[i].fallback[k]];
		for (j = 0; j < pr->nmatches; j++)
			if (strcmp(pr->matches[j].service, svc) == 0)
				return (true);
	}
	pr = &db->probes[i];
	if (pr->nfallback == 0 && pr->proto == PORT_TCP &&
	    (null = service_db_find(db, "NULL")) >= 0 && (size_t)null != i)
		return (service_db_may_name(db, (size_t)null, svc));
	return (false);
}

void
service_info_free(struct service_info *info)
{
	size_t	k;

	free(info->service);
	for (k = 0; k < SERVICE_FIELD_MAX; k++)
		free(info->field[k]);
	for (k = 0; k < info->ncpe; k++)
		free(info->cpe[k]);
	memset(info, 0, sizeof *info);
}
