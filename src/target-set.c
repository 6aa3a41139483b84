/*
 * The set of addresses a scan covers, as sorted runs: what was added
 * less what was excluded, with duplicates and overlaps merged. A /8 is
 * one run, not sixteen million addresses. After target_set_finish() the
 * addresses are numbered 0..count-1 in ascending order (IPv4 before
 * IPv6) and each run knows the number of its first address, so
 * target_set_get() is a binary search over the runs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tact.h"
#include "target.h"
#include "xmalloc.h"

/* Runs as they are added; the first merged ones are sorted and merged. */
struct target_list {
	struct target_range	*v;
	size_t			 n;
	size_t			 size;
	size_t			 merged;
};

/* An address that came from a hostname. */
struct target_name {
	struct target_addr	 addr;
	char			*name;
};

struct target_set {
	int			 flags;		/* TARGET_NO_DNS, TARGET_IPV6 */
	struct target_list	 include;
	struct target_list	 exclude;
	struct target_name	*names;
	size_t			 nnames;
	uint64_t		*start;		/* number of each run's first */
	uint64_t		 count;
};

static int	target_range_cmp(const void *, const void *);
static int	target_name_cmp(const void *, const void *);
static int	target_name_addr_cmp(const void *, const void *);
static void	target_list_push(struct target_list *,
		    const struct target_range *);
static void	target_list_merge(struct target_list *);
static int	target_list_append(struct target_list *,
		    const struct target_spec *, const char *, const char *,
		    char **);
static void	target_set_subtract(struct target_set *);
static int	target_set_number(struct target_set *);
static bool	target_set_has(const struct target_set *,
		    const struct target_addr *);
static int	target_set_one(struct target_set *, const char *,
		    const char *, int, char **);
static int	target_set_line(struct target_set *, char *, const char *,
		    int, char **);

static int
target_range_cmp(const void *a0, const void *b0)
{
	const struct target_range	*a = a0, *b = b0;

	return (target_addr_cmp(&a->first, &b->first));
}

/* By address, then name, so which name an address keeps is fixed. */
static int
target_name_cmp(const void *a0, const void *b0)
{
	const struct target_name	*a = a0, *b = b0;
	int				 c;

	if ((c = target_addr_cmp(&a->addr, &b->addr)) != 0)
		return (c);
	return (strcmp(a->name, b->name));
}

/* bsearch: an address against a name's. */
static int
target_name_addr_cmp(const void *key, const void *elem)
{
	const struct target_name	*b = elem;

	return (target_addr_cmp(key, &b->addr));
}

static void
target_list_push(struct target_list *l, const struct target_range *r)
{
	if (l->n == l->size) {
		l->size = l->size == 0 ? 64 : l->size * 2;
		l->v = xreallocarray(l->v, l->size, sizeof *l->v);
	}
	l->v[l->n++] = *r;
}

/* Sort the runs and merge those that overlap or touch. */
static void
target_list_merge(struct target_list *l)
{
	struct target_range	*cur, *r;
	struct target_addr	 next;
	size_t			 i, n = 0;

	if (l->n == 0)
		return;
	qsort(l->v, l->n, sizeof *l->v, target_range_cmp);
	for (i = 0; i < l->n; i++) {
		r = &l->v[i];
		if (n != 0) {
			cur = &l->v[n - 1];
			next = cur->last;
			if (target_addr_cmp(&r->first, &cur->last) <= 0 ||
			    (target_addr_step(&next, 1) == 0 &&
			    target_addr_cmp(&r->first, &next) == 0)) {
				if (target_addr_cmp(&r->last, &cur->last) > 0)
					cur->last = r->last;
				continue;
			}
		}
		l->v[n++] = *r;
	}
	l->n = l->merged = n;
}

/*
 * Append the runs of one specification, merging when the list has
 * doubled since the last merge, so that memory stays proportional to
 * the separate runs there are.
 */
static int
target_list_append(struct target_list *l, const struct target_spec *ts,
    const char *spec, const char *where, char **cause)
{
	size_t	i;

	for (i = 0; i < ts->n; i++)
		target_list_push(l, &ts->v[i]);
	if (l->n <= TARGET_RANGES_MAX || l->n <= 2 * l->merged)
		return (0);
	target_list_merge(l);
	if (l->n <= TARGET_RANGES_MAX)
		return (0);
	xasprintf(cause, "%s%s\"%s\": more than %u separate ranges in all",
	    where != NULL ? where : "", where != NULL ? ": " : "", spec,
	    TARGET_RANGES_MAX);
	return (-1);
}

struct target_set *
target_set_create(int flags)
{
	struct target_set	*set;

	set = xcalloc(1, sizeof *set);
	set->flags = flags;
	return (set);
}

void
target_set_free(struct target_set *set)
{
	size_t	i;

	if (set == NULL)
		return;
	for (i = 0; i < set->nnames; i++)
		free(set->names[i].name);
	free(set->names);
	free(set->include.v);
	free(set->exclude.v);
	free(set->start);
	free(set);
}

/* Parse one specification and add it to the includes or the excludes. */
static int
target_set_one(struct target_set *set, const char *spec, const char *where,
    int exclude, char **cause)
{
	struct target_spec	 ts;
	char			*why;
	size_t			 i;
	int			 rc;

	if (target_parse_spec(&ts, spec, set->flags, &why) != 0) {
		if (where != NULL) {
			xasprintf(cause, "%s: %s", where, why);
			free(why);
		} else
			*cause = why;
		return (-1);
	}
	rc = target_list_append(exclude ? &set->exclude : &set->include, &ts,
	    spec, where, cause);
	if (rc == 0 && !exclude && ts.hostname != NULL) {
		set->names = xreallocarray(set->names, set->nnames + ts.n,
		    sizeof *set->names);
		for (i = 0; i < ts.n; i++) {
			set->names[set->nnames].addr = ts.v[i].first;
			set->names[set->nnames].name = xstrdup(ts.hostname);
			set->nnames++;
		}
	}
	target_parse_free(&ts);
	return (rc);
}

int
target_set_add(struct target_set *set, const char *spec, const char *where,
    char **cause)
{
	return (target_set_one(set, spec, where, 0, cause));
}

int
target_set_exclude(struct target_set *set, const char *spec,
    const char *where, char **cause)
{
	return (target_set_one(set, spec, where, 1, cause));
}

int
target_set_exclude_list(struct target_set *set, const char *list,
    char **cause)
{
	char	*copy, *item, *next;
	int	 rc = 0;

	copy = xstrdup(list);
	for (item = copy; item != NULL && rc == 0; item = next) {
		if ((next = strchr(item, ',')) != NULL)
			*next++ = '\0';
		rc = target_set_one(set, item, NULL, 1, cause);
	}
	free(copy);
	return (rc);
}

/* The specifications on one line of a file, up to a '#'. */
static int
target_set_line(struct target_set *set, char *line, const char *where,
    int exclude, char **cause)
{
	char	*spec, *last;

	line[strcspn(line, "#")] = '\0';
	for (spec = strtok_r(line, " \t\r\n\v\f", &last); spec != NULL;
	    spec = strtok_r(NULL, " \t\r\n\v\f", &last)) {
		if (target_set_one(set, spec, where, exclude, cause) != 0)
			return (-1);
	}
	return (0);
}

/*
 * Add (or, for --excludefile, exclude) the specifications in the file at
 * path, or standard input for "-". Errors name the file and line.
 */
int
target_set_add_file(struct target_set *set, const char *path, bool exclude,
    char **cause)
{
	FILE		*f;
	char		*line = NULL, *where;
	const char	*name;
	size_t		 size = 0, lineno = 0;
	ssize_t		 len;
	int		 rc = 0;

	if (strcmp(path, "-") == 0) {
		f = stdin;
		name = "stdin";
	} else if ((f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (-1);
	} else
		name = path;

	while (rc == 0 && (len = getline(&line, &size, f)) != -1) {
		lineno++;
		xasprintf(&where, "%s:%zu", name, lineno);
		if (len > 0 && line[len - 1] == '\n')
			len--;
		if ((size_t)len > TACT_LINE_MAX) {
			xasprintf(cause, "%s: line longer than %d bytes",
			    where, TACT_LINE_MAX);
			rc = -1;
		} else if (memchr(line, '\0', (size_t)len) != NULL) {
			xasprintf(cause, "%s: NUL byte in line", where);
			rc = -1;
		} else
			rc = target_set_line(set, line, where, exclude, cause);
		free(where);
	}
	if (rc == 0 && ferror(f)) {
		xasprintf(cause, "%s: %s", name, strerror(errno));
		rc = -1;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return (rc);
}

/* -iR: n distinct random public IPv4 addresses, from seed. */
int
target_set_add_random(struct target_set *set, uint64_t n, uint64_t seed,
    char **cause)
{
	struct target_addr	*v;
	struct target_range	 r;
	size_t			 i;
	int			 rc = 0;

	if (n < 1 || n > TARGET_RANGES_MAX) {
		xasprintf(cause, "\"%llu\": out of range 1-%u",
		    (unsigned long long)n, TARGET_RANGES_MAX);
		return (-1);
	}
	v = xreallocarray(NULL, n, sizeof *v);
	target_random_draw(v, n, seed);
	for (i = 0; i < n; i++) {
		r.first = r.last = v[i];
		target_list_push(&set->include, &r);
	}
	free(v);
	target_list_merge(&set->include);
	if (set->include.n > TARGET_RANGES_MAX) {
		xasprintf(cause, "more than %u separate ranges in all",
		    TARGET_RANGES_MAX);
		rc = -1;
	}
	return (rc);
}

/* Take the excluded runs out of the included ones; both are merged. */
static void
target_set_subtract(struct target_set *set)
{
	struct target_list	 out;
	struct target_range	*r, *x, piece;
	struct target_addr	 from, edge;
	size_t			 i, j = 0, k;
	int			 alive;

	memset(&out, 0, sizeof out);
	for (i = 0; i < set->include.n; i++) {
		r = &set->include.v[i];
		from = r->first;
		alive = 1;
		while (j < set->exclude.n &&
		    target_addr_cmp(&set->exclude.v[j].last, &from) < 0)
			j++;
		for (k = j; alive && k < set->exclude.n; k++) {
			x = &set->exclude.v[k];
			if (target_addr_cmp(&x->first, &r->last) > 0)
				break;
			if (target_addr_cmp(&x->first, &from) > 0) {
				piece.first = from;
				piece.last = x->first;
				target_addr_step(&piece.last, -1);
				target_list_push(&out, &piece);
			}
			edge = x->last;
			if (target_addr_cmp(&x->last, &r->last) >= 0 ||
			    target_addr_step(&edge, 1) != 0)
				alive = 0;
			else
				from = edge;
		}
		if (alive) {
			piece.first = from;
			piece.last = r->last;
			target_list_push(&out, &piece);
		}
	}
	free(set->include.v);
	set->include = out;
	set->include.merged = out.n;
}

/* Number the runs' addresses; -1 if there are more than 64 bits count. */
static int
target_set_number(struct target_set *set)
{
	uint64_t	span;
	size_t		i;

	set->start = xreallocarray(NULL, set->include.n, sizeof *set->start);
	set->count = 0;
	for (i = 0; i < set->include.n; i++) {
		set->start[i] = set->count;
		if (target_addr_span(&set->include.v[i].first,
		    &set->include.v[i].last, &span) != 0 ||
		    span > UINT64_MAX - set->count)
			return (-1);
		set->count += span;
	}
	return (0);
}

/*
 * Apply the excludes and number the addresses. An empty result is an
 * error: there would be nothing to scan.
 */
int
target_set_finish(struct target_set *set, char **cause)
{
	size_t		i, n;
	int		empty;

	target_list_merge(&set->include);
	target_list_merge(&set->exclude);
	empty = set->include.n == 0;
	target_set_subtract(set);
	if (set->include.n > TARGET_RANGES_MAX) {
		xasprintf(cause, "more than %u separate ranges in all",
		    TARGET_RANGES_MAX);
		return (-1);
	}
	if (set->include.n == 0) {
		xasprintf(cause, empty ? "no targets" :
		    "every target is excluded");
		return (-1);
	}

	if (target_set_number(set) != 0) {
		xasprintf(cause, "more than %llu addresses",
		    (unsigned long long)UINT64_MAX);
		return (-1);
	}

	if (set->nnames != 0) {
		qsort(set->names, set->nnames, sizeof *set->names,
		    target_name_cmp);
		for (i = n = 1; i < set->nnames; i++) {
			if (target_addr_cmp(&set->names[i].addr,
			    &set->names[n - 1].addr) == 0)
				free(set->names[i].name);
			else
				set->names[n++] = set->names[i];
		}
		set->nnames = n;
	}
	return (0);
}

uint64_t
target_set_count(const struct target_set *set)
{
	return (set->count);
}

/* The address numbered index, which must be below the count. */
void
target_set_get(const struct target_set *set, uint64_t index,
    struct target_addr *a)
{
	size_t	lo = 0, hi = set->include.n, mid;

	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (set->start[mid] <= index)
			lo = mid;
		else
			hi = mid;
	}
	*a = set->include.v[lo].first;
	target_addr_add(a, index - set->start[lo]);
}

const char *
target_set_hostname(const struct target_set *set, uint64_t index)
{
	struct target_addr	 a;
	struct target_name	*found;

	if (set->nnames == 0)
		return (NULL);
	target_set_get(set, index, &a);
	found = bsearch(&a, set->names, set->nnames,
	    sizeof *set->names, target_name_addr_cmp);
	return (found != NULL ? found->name : NULL);
}

int
target_set_walk(const struct target_set *set,
    int (*fn)(const struct target_addr *, const struct target_addr *, void *),
    void *arg)
{
	size_t	i;
	int	rc;

	for (i = 0; i < set->include.n; i++) {
		rc = fn(&set->include.v[i].first, &set->include.v[i].last,
		    arg);
		if (rc != 0)
			return (rc);
	}
	return (0);
}

/* Is a in one of set's (merged) runs? */
static bool
target_set_has(const struct target_set *set, const struct target_addr *a)
{
	size_t	lo = 0, hi = set->include.n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (target_addr_cmp(&set->include.v[mid].last, a) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo < set->include.n &&
	    target_addr_cmp(&set->include.v[lo].first, a) <= 0);
}

/*
 * A new set of the addresses of set numbered in idx (n of them, in
 * ascending order), with the names they came from: a shard's hosts.
 */
struct target_set *
target_set_pick(const struct target_set *set, const uint64_t *idx, size_t n)
{
	struct target_set	*pick;
	struct target_range	 r, *last;
	struct target_addr	 next;
	struct target_name	*name;
	size_t			 i;

	pick = target_set_create(set->flags);
	for (i = 0; i < n; i++) {
		target_set_get(set, idx[i], &r.first);
		r.last = r.first;
		last = pick->include.n == 0 ? NULL :
		    &pick->include.v[pick->include.n - 1];
		if (last != NULL) {
			next = last->last;
			if (target_addr_step(&next, 1) == 0 &&
			    target_addr_cmp(&next, &r.first) == 0) {
				last->last = r.first;
				continue;
			}
		}
		target_list_push(&pick->include, &r);
	}
	pick->include.merged = pick->include.n;
	for (i = 0; i < set->nnames; i++) {
		if (!target_set_has(pick, &set->names[i].addr))
			continue;
		pick->names = xreallocarray(pick->names, pick->nnames + 1,
		    sizeof *pick->names);
		name = &pick->names[pick->nnames++];
		name->addr = set->names[i].addr;
		name->name = xstrdup(set->names[i].name);
	}
	/* At most as many addresses as set, which numbered them all. */
	target_set_number(pick);
	return (pick);
}
