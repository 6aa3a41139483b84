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
#include <stdint.h>

/* One address, IPv4 or IPv6, as a value. */
struct target_addr {
	uint8_t		family;		/* AF_INET or AF_INET6 */
	uint8_t		addr[16];	/* network order; IPv4 in addr[0..3] */
};

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
/* The hostname an address came from, or NULL. */
const char	*target_set_hostname(const struct target_set *, uint64_t);
/*
 * Call fn for each maximal run of consecutive included addresses, in
 * order, until it returns non-zero (which is returned).
 */
int		 target_set_walk(const struct target_set *,
		     int (*)(const struct target_addr *,
		     const struct target_addr *, void *), void *);

/* Format an address into buf (at least 46 bytes). */
const char	*target_addr_str(const struct target_addr *, char *, size_t);
int		 target_addr_cmp(const struct target_addr *,
		     const struct target_addr *);

#endif
