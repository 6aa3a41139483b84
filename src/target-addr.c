/*
 * Addresses as values: their order, their text, and counting through
 * them byte by byte in network order, so one arithmetic serves IPv4 and
 * IPv6. Below the target set and its parser, which both use it.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "target-addr.h"

size_t
target_addr_len(const struct target_addr *a)
{
	return (a->family == AF_INET ? 4 : 16);
}

int
target_addr_step(struct target_addr *a, int step)
{
	size_t	i = target_addr_len(a);
	uint8_t	edge = step > 0 ? 0xff : 0;

	while (i-- > 0) {
		if (a->addr[i] != edge) {
			a->addr[i] += step;
			return (0);
		}
		a->addr[i] = (uint8_t)~edge;
	}
	return (-1);
}

int
target_addr_span(const struct target_addr *first,
    const struct target_addr *last, uint64_t *span)
{
	size_t		len = target_addr_len(first), i;
	unsigned	borrow = 0, d;
	uint8_t		diff[16];
	uint64_t	v = 0;

	for (i = len; i-- > 0;) {
		d = (unsigned)last->addr[i] - first->addr[i] - borrow;
		borrow = d > 0xff;
		diff[i] = (uint8_t)d;
	}
	for (i = 0; i < len; i++) {
		if (i + 8 < len && diff[i] != 0)
			return (-1);
		v = (v << 8) | diff[i];
	}
	if (v == UINT64_MAX)
		return (-1);
	*span = v + 1;
	return (0);
}

void
target_addr_add(struct target_addr *a, uint64_t n)
{
	size_t		i = target_addr_len(a);
	unsigned	sum;

	while (i-- > 0 && n != 0) {
		sum = a->addr[i] + (unsigned)(n & 0xff);
		a->addr[i] = (uint8_t)sum;
		n = (n >> 8) + (sum >> 8);
	}
}

/*
 * The order of addresses, IPv4 first. An IPv4 address is compared as one
 * number, not with memcmp(): the engine and the simulation compare
 * several a probe.
 */
int
target_addr_cmp(const struct target_addr *a, const struct target_addr *b)
{
	uint32_t	x, y;

	if (a->family != b->family)
		return (a->family == AF_INET ? -1 : 1);
	if (a->family != AF_INET)
		return (memcmp(a->addr, b->addr, 16));
	memcpy(&x, a->addr, 4);
	memcpy(&y, b->addr, 4);
	x = ntohl(x);
	y = ntohl(y);
	return ((x > y) - (x < y));
}

const char *
target_addr_str(const struct target_addr *a, char *buf, size_t len)
{
	if (inet_ntop(a->family, a->addr, buf, len) == NULL)
		snprintf(buf, len, "?");
	return (buf);
}
