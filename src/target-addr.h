/*
 * One address, IPv4 or IPv6, as a value, and the arithmetic the target
 * set, its parser and the outputs do on addresses.
 */
#ifndef TARGET_ADDR_H
#define TARGET_ADDR_H

#include <stddef.h>
#include <stdint.h>

struct target_addr {
	uint8_t		family;		/* AF_INET or AF_INET6 */
	uint8_t		addr[16];	/* network order; IPv4 in addr[0..3] */
};

/* Format an address into buf (at least 46 bytes). */
const char	*target_addr_str(const struct target_addr *, char *, size_t);
/* Order: IPv4 before IPv6, then by address. */
int		 target_addr_cmp(const struct target_addr *,
		     const struct target_addr *);
/* 4 or 16: the bytes of addr in use. */
size_t		 target_addr_len(const struct target_addr *);
/* Add 1 (step 1) or subtract 1 (step -1); -1 if it wrapped around. */
int		 target_addr_step(struct target_addr *, int);
/* How many addresses first..last holds; -1 if more than UINT64_MAX. */
int		 target_addr_span(const struct target_addr *,
		     const struct target_addr *, uint64_t *);
/* Add n to a, which the caller knows stays in its run. */
void		 target_addr_add(struct target_addr *, uint64_t);

#endif
