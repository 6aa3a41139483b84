/*
 * The set of addresses a scan covers: what the user asked for (addresses,
 * CIDR blocks, Nmap-style octet ranges, hostnames, -iL files, -iR random
 * addresses) less what they excluded. Addresses are numbered 0..count-1
 * in a fixed order so that the iterator (target-iter.h) can permute them
 * without keeping per-target state.
 */
#ifndef TARGET_H
#define TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "target-addr.h"

/* Flags for target_set_create. */
#define TARGET_NO_DNS	0x1	/* -n: never resolve names */
#define TARGET_IPV6	0x2	/* -6: resolve names to IPv6 */

struct target_set;

struct target_set *target_set_create(int);
void		 target_set_free(struct target_set *);

/*
 * Add or exclude one specification. where names its origin for errors
 * ("file:line"), or NULL for the command line.
 */
int		 target_set_add(struct target_set *, const char *,
		     const char *, char **);
int		 target_set_exclude(struct target_set *, const char *,
		     const char *, char **);
/* A comma-separated list, as --exclude takes. */
int		 target_set_exclude_list(struct target_set *, const char *,
		     char **);
/* -iL and --excludefile: one or more specifications a line, # comments. */
int		 target_set_add_file(struct target_set *, const char *,
		     bool, char **);
/* -iR: n random public IPv4 addresses, never special-purpose ones. */
int		 target_set_add_random(struct target_set *, uint64_t,
		     uint64_t, char **);

/* Apply the excludes and number the addresses; call once, after adding. */
int		 target_set_finish(struct target_set *, char **);

uint64_t	 target_set_count(const struct target_set *);
void		 target_set_get(const struct target_set *, uint64_t,
		     struct target_addr *);
/*
 * A new set of the addresses numbered in the ascending array (a
 * shard's hosts), with the names they came from.
 */
struct target_set *target_set_pick(const struct target_set *,
		     const uint64_t *, size_t);
/* The hostname an address came from, or NULL. */
const char	*target_set_hostname(const struct target_set *, uint64_t);
/*
 * Call fn for each maximal run of consecutive included addresses, in
 * order, until it returns non-zero (which is returned).
 */
int		 target_set_walk(const struct target_set *,
		     int (*)(const struct target_addr *,
		     const struct target_addr *, void *), void *);

/*
 * The pieces the set is built from, for target-set.c and the unit tests.
 * A set holds runs of addresses, never lists, and at most
 * TARGET_RANGES_MAX separate runs; a single specification that would
 * expand to more (1-254.1-254.1-254.1-254) is refused, not expanded.
 */
#define TARGET_RANGES_MAX	(1U << 20)

/* The addresses first..last, both of one family. */
struct target_range {
	struct target_addr	first;
	struct target_addr	last;
};

/* One specification, parsed by target-parse.c. */
struct target_spec {
	struct target_range	*v;
	size_t			 n;
	char			*hostname;	/* set when it was a name */
};

int		 target_parse_spec(struct target_spec *, const char *, int,
		     char **);
void		 target_parse_free(struct target_spec *);

/* target-random.c: -iR's n distinct public addresses, sorted. */
void		 target_random_draw(struct target_addr *, size_t, uint64_t);
bool		 target_random_is_special(const struct target_addr *);

#endif
