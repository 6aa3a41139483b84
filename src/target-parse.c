/*
 * Parse one target specification into runs of addresses: an IPv4 or IPv6
 * address, a CIDR block (198.18.0.0/15, 2001:2::/48), an Nmap-style IPv4
 * octet pattern (198.18.0-1.1-254, 198.18.0.*, 198.18.0.1,3,5) or a
 * hostname, looked up once with every address kept. A pattern becomes
 * runs, never a list of addresses: trailing whole octets join into one
 * run, so 10.*.*.* is a single run. A pattern that would still need more
 * than TARGET_RANGES_MAX runs is refused with the number it would need.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include "strnum.h"
#include "target.h"
#include "xmalloc.h"

/* The characters of an IPv4 address, CIDR block or octet pattern. */
#define TARGET_PARSE_V4_CHARS	"0123456789.,-*/"
/* Hostnames: letters, digits, '-', '.' and (as some sites use) '_'. */
#define TARGET_PARSE_NAME_CHARS \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._"
#define TARGET_PARSE_NAME_MAX	253

/* The values one octet of a pattern takes. */
struct target_parse_octet {
	uint8_t		on[256];
	unsigned	count;		/* how many values are on */
	unsigned	runs;		/* how many runs of consecutive values */
};

static int	target_parse_prefix(const char *, const char *, unsigned,
		    unsigned *, char **);
static void	target_parse_push(struct target_spec *, size_t *,
		    const struct target_range *);
static void	target_parse_block(struct target_range *, int,
		    const uint8_t *, unsigned);
static int	target_parse_item(const char *, char *, unsigned *,
		    unsigned *, char **);
static int	target_parse_octet(const char *, char *,
		    struct target_parse_octet *, char **);
static uint8_t	target_parse_lowest(const struct target_parse_octet *);
static void	target_parse_runs(struct target_spec *,
		    const struct target_parse_octet *, unsigned);
static int	target_parse_v4(struct target_spec *, const char *, char **);
static int	target_parse_v6(struct target_spec *, const char *, char **);
static int	target_parse_name(struct target_spec *, const char *, int,
		    char **);

/* The prefix length after the '/' of spec, 0 to max. */
static int
target_parse_prefix(const char *spec, const char *s, unsigned max,
    unsigned *bits, char **cause)
{
	uint64_t	 v;
	char		*why;

	if (strnum_u64(s, 0, max, &v, &why) != 0) {
		xasprintf(cause, "\"%s\": prefix %s", spec, why);
		free(why);
		return (-1);
	}
	*bits = (unsigned)v;
	return (0);
}

static void
target_parse_push(struct target_spec *ts, size_t *size,
    const struct target_range *r)
{
	if (ts->n == *size) {
		*size = *size == 0 ? 4 : *size * 2;
		ts->v = xreallocarray(ts->v, *size, sizeof *ts->v);
	}
	ts->v[ts->n++] = *r;
}

/* The block of addr (len bytes) with a prefix of bits bits. */
static void
target_parse_block(struct target_range *r, int family, const uint8_t *addr,
    unsigned bits)
{
	size_t	len = family == AF_INET ? 4 : 16, i;
	uint8_t	mask;

	memset(r, 0, sizeof *r);
	r->first.family = r->last.family = family;
	for (i = 0; i < len; i++) {
		if (bits >= 8 * (i + 1))
			mask = 0xff;
		else if (bits <= 8 * i)
			mask = 0;
		else
			mask = (uint8_t)(0xff << (8 * (i + 1) - bits));
		r->first.addr[i] = addr[i] & mask;
		r->last.addr[i] = addr[i] | (uint8_t)~mask;
	}
}

/* One item of an octet: "*", "n", "n-m", "-m", "n-" or "-". */
static int
target_parse_item(const char *spec, char *item, unsigned *lo, unsigned *hi,
    char **cause)
{
	char		*dash, *why;
	uint64_t	 a = 0, b = 255;

	if (strcmp(item, "*") == 0) {
		*lo = 0;
		*hi = 255;
		return (0);
	}
	if ((dash = strchr(item, '-')) == NULL) {
		if (strnum_u64(item, 0, 255, &a, &why) != 0)
			goto bad;
		b = a;
	} else {
		*dash = '\0';
		if (*item != '\0' && strnum_u64(item, 0, 255, &a, &why) != 0)
			goto bad;
		if (dash[1] != '\0' &&
		    strnum_u64(dash + 1, 0, 255, &b, &why) != 0)
			goto bad;
		if (a > b) {
			xasprintf(cause, "\"%s\": reversed range %llu-%llu",
			    spec, (unsigned long long)a, (unsigned long long)b);
			return (-1);
		}
	}
	*lo = (unsigned)a;
	*hi = (unsigned)b;
	return (0);

bad:
	xasprintf(cause, "\"%s\": bad address: %s", spec, why);
	free(why);
	return (-1);
}

/* One octet of a pattern: comma-separated items. s is modified. */
static int
target_parse_octet(const char *spec, char *s, struct target_parse_octet *o,
    char **cause)
{
	char		*item, *next;
	unsigned	 lo, hi, v;

	memset(o, 0, sizeof *o);
	for (item = s; item != NULL; item = next) {
		if ((next = strchr(item, ',')) != NULL)
			*next++ = '\0';
		if (target_parse_item(spec, item, &lo, &hi, cause) != 0)
			return (-1);
		for (v = lo; v <= hi; v++)
			o->on[v] = 1;
	}
	for (v = 0; v < 256; v++) {
		o->count += o->on[v];
		if (o->on[v] && (v == 0 || !o->on[v - 1]))
			o->runs++;
	}
	return (0);
}

/* The lowest value an octet takes. */
static uint8_t
target_parse_lowest(const struct target_parse_octet *o)
{
	unsigned	v;

	for (v = 0; v < 255 && !o->on[v]; v++)
		;
	return ((uint8_t)v);
}

/*
 * The runs of a pattern whose octets after k are whole: for each value
 * of the octets before k (counted through like an odometer), one run
 * per run of values of octet k. Those runs are found once, not for
 * each of the up to TARGET_RANGES_MAX values before them.
 */
static void
target_parse_runs(struct target_spec *ts,
    const struct target_parse_octet *o, unsigned k)
{
	struct target_range	r;
	uint8_t			addr[4], lo[128], hi[128];
	unsigned		i, v, nruns = 0;
	size_t			size = 0;

	for (v = 0; v < 256; v++) {
		if (!o[k].on[v])
			continue;
		if (v == 0 || !o[k].on[v - 1])
			lo[nruns] = v;
		if (v == 255 || !o[k].on[v + 1])
			hi[nruns++] = v;
	}
	memset(&r, 0, sizeof r);
	r.first.family = r.last.family = AF_INET;
	for (i = 0; i < 4; i++)
		addr[i] = target_parse_lowest(&o[i]);
	for (;;) {
		memcpy(r.first.addr, addr, 4);
		memcpy(r.last.addr, addr, 4);
		for (i = k + 1; i < 4; i++) {
			r.first.addr[i] = 0;
			r.last.addr[i] = 255;
		}
		for (i = 0; i < nruns; i++) {
			r.first.addr[k] = lo[i];
			r.last.addr[k] = hi[i];
			target_parse_push(ts, &size, &r);
		}
		for (i = k; i > 0; i--) {
			v = addr[i - 1];
			while (++v < 256 && !o[i - 1].on[v])
				;
			if (v < 256) {
				addr[i - 1] = v;
				break;
			}
			addr[i - 1] = target_parse_lowest(&o[i - 1]);
		}
		if (i == 0)
			break;
	}
}

/*
 * An IPv4 address, block or octet pattern. Octets after the last one
 * that is not whole (0-255) join into each run, so a pattern needs
 * (values of the octets before that one) x (its runs of values) runs.
 */
static int
target_parse_v4(struct target_spec *ts, const char *spec, char **cause)
{
	struct target_parse_octet	 o[4];
	struct target_range		 r;
	char				*copy, *s, *dot, *slash;
	uint8_t				 addr[4];
	unsigned			 bits = 32, i, k, need;
	size_t				 size = 0;
	int				 rc = -1, plain = 1;

	copy = xstrdup(spec);
	if ((slash = strchr(copy, '/')) != NULL) {
		*slash++ = '\0';
		if (target_parse_prefix(spec, slash, 32, &bits, cause) != 0)
			goto out;
	}
	for (s = copy, i = 0; i < 4; i++, s = dot + 1) {
		dot = strchr(s, '.');
		if ((dot == NULL) != (i == 3)) {
			xasprintf(cause, "\"%s\": bad address", spec);
			goto out;
		}
		if (dot != NULL)
			*dot = '\0';
		if (target_parse_octet(spec, s, &o[i], cause) != 0)
			goto out;
		plain &= o[i].count == 1;
		if (dot == NULL)
			break;
	}

	if (slash != NULL) {
		if (!plain) {
			xasprintf(cause, "\"%s\": a /prefix needs a plain "
			    "address, not a range", spec);
			goto out;
		}
		for (i = 0; i < 4; i++)
			addr[i] = target_parse_lowest(&o[i]);
		target_parse_block(&r, AF_INET, addr, bits);
		target_parse_push(ts, &size, &r);
		rc = 0;
		goto out;
	}

	for (k = 3; k > 0 && o[k].count == 256; k--)
		;
	need = o[k].runs;
	for (i = 0; i < k; i++)
		need *= o[i].count;
	if (need > TARGET_RANGES_MAX) {
		xasprintf(cause, "\"%s\": needs %u separate ranges, more than "
		    "%u; use CIDR blocks", spec, need, TARGET_RANGES_MAX);
		goto out;
	}
	target_parse_runs(ts, o, k);
	rc = 0;
out:
	free(copy);
	return (rc);
}

static int
target_parse_v6(struct target_spec *ts, const char *spec, char **cause)
{
	struct target_range	 r;
	struct in6_addr		 in6;
	char			*copy, *slash;
	unsigned		 bits = 128;
	size_t			 size = 0;
	int			 rc = -1;

	copy = xstrdup(spec);
	if ((slash = strchr(copy, '/')) != NULL) {
		*slash++ = '\0';
		if (target_parse_prefix(spec, slash, 128, &bits, cause) != 0)
			goto out;
	}
	if (inet_pton(AF_INET6, copy, &in6) != 1) {
		xasprintf(cause, "\"%s\": bad address", spec);
		goto out;
	}
	target_parse_block(&r, AF_INET6, in6.s6_addr, bits);
	target_parse_push(ts, &size, &r);
	rc = 0;
out:
	free(copy);
	return (rc);
}

/* A hostname, looked up once; every address it has becomes a target. */
static int
target_parse_name(struct target_spec *ts, const char *spec, int flags,
    char **cause)
{
	struct addrinfo		 hints, *res, *ai;
	struct target_range	 r;
	size_t			 size = 0, i;
	int			 error;

	if (strchr(spec, '/') != NULL) {
		xasprintf(cause, "\"%s\": a /prefix needs an address, not a "
		    "hostname", spec);
		return (-1);
	}
	if (strspn(spec, TARGET_PARSE_NAME_CHARS) != strlen(spec) ||
	    strlen(spec) > TARGET_PARSE_NAME_MAX || spec[0] == '-' ||
	    spec[0] == '.') {
		xasprintf(cause, "\"%s\": bad address or hostname", spec);
		return (-1);
	}
	if (flags & TARGET_NO_DNS) {
		xasprintf(cause, "\"%s\": a hostname, and -n forbids looking "
		    "it up", spec);
		return (-1);
	}

	memset(&hints, 0, sizeof hints);
	hints.ai_family = (flags & TARGET_IPV6) ? AF_INET6 : AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	if ((error = getaddrinfo(spec, NULL, &hints, &res)) != 0) {
		xasprintf(cause, "\"%s\": cannot look up: %s", spec,
		    gai_strerror(error));
		return (-1);
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		memset(&r, 0, sizeof r);
		r.first.family = ai->ai_family;
		if (ai->ai_family == AF_INET)
			memcpy(r.first.addr, &((struct sockaddr_in *)
			    ai->ai_addr)->sin_addr, 4);
		else if (ai->ai_family == AF_INET6)
			memcpy(r.first.addr, &((struct sockaddr_in6 *)
			    ai->ai_addr)->sin6_addr, 16);
		else
			continue;
		r.last = r.first;
		for (i = 0; i < ts->n; i++) {
			if (target_addr_cmp(&ts->v[i].first, &r.first) == 0)
				break;
		}
		if (i == ts->n)
			target_parse_push(ts, &size, &r);
	}
	freeaddrinfo(res);
	if (ts->n == 0) {
		xasprintf(cause, "\"%s\": no %s address", spec,
		    (flags & TARGET_IPV6) ? "IPv6" : "IPv4");
		return (-1);
	}
	ts->hostname = xstrdup(spec);
	return (0);
}

/*
 * Parse spec into ts. flags are
 * TARGET_NO_DNS and TARGET_IPV6. On error ts is empty and cause says
 * why, quoting spec.
 */
int
target_parse_spec(struct target_spec *ts, const char *spec, int flags,
    char **cause)
{
	int	rc;

	memset(ts, 0, sizeof *ts);
	if (*spec == '\0') {
		xasprintf(cause, "\"\": empty target");
		return (-1);
	}
	if (strchr(spec, ':') != NULL)
		rc = target_parse_v6(ts, spec, cause);
	else if (strspn(spec, TARGET_PARSE_V4_CHARS) == strlen(spec))
		rc = target_parse_v4(ts, spec, cause);
	else
		rc = target_parse_name(ts, spec, flags, cause);
	if (rc != 0)
		target_parse_free(ts);
	return (rc);
}

void
target_parse_free(struct target_spec *ts)
{
	free(ts->v);
	free(ts->hostname);
	memset(ts, 0, sizeof *ts);
}
