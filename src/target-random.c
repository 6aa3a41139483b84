/*
 * -iR: random public IPv4 addresses. Draws are uniform over the IPv4
 * space; a draw that falls in a special-purpose block is thrown away and
 * drawn again, so no address comes from the blocks below. The draws
 * depend on the seed alone, so a scan with --seed repeats its -iR set.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>

#include "target.h"
#include "xmalloc.h"

/*
 * The IANA IPv4 Special-Purpose Address Registry (iana-ipv4-special-
 * registry, RFC 6890 and the RFCs that added to it since: RFC 6598,
 * 7335, 7450, 7534, 7535, 7600, 7723, 8155, 8880), every block whether
 * or not the registry calls it globally reachable, plus 224.0.0.0/3:
 * multicast (224.0.0.0/4), reserved (240.0.0.0/4) and the limited
 * broadcast address. The 192.0.0.0/24 entry holds its smaller ones.
 */
static const struct {
	uint32_t	base;
	unsigned	bits;
} target_random_special[] = {
	{ 0x00000000, 8 },	/* 0.0.0.0/8 "this network" */
	{ 0x0a000000, 8 },	/* 10.0.0.0/8 private use */
	{ 0x64400000, 10 },	/* 100.64.0.0/10 shared address space */
	{ 0x7f000000, 8 },	/* 127.0.0.0/8 loopback */
	{ 0xa9fe0000, 16 },	/* 169.254.0.0/16 link local */
	{ 0xac100000, 12 },	/* 172.16.0.0/12 private use */
	{ 0xc0000000, 24 },	/* 192.0.0.0/24 IETF protocol assignments */
	{ 0xc0000200, 24 },	/* 192.0.2.0/24 documentation */
	{ 0xc01fc400, 24 },	/* 192.31.196.0/24 AS112-v4 */
	{ 0xc034c100, 24 },	/* 192.52.193.0/24 AMT */
	{ 0xc0586300, 24 },	/* 192.88.99.0/24 6to4 relay anycast */
	{ 0xc0a80000, 16 },	/* 192.168.0.0/16 private use */
	{ 0xc0af3000, 24 },	/* 192.175.48.0/24 AS112 delegation */
	{ 0xc6120000, 15 },	/* 198.18.0.0/15 benchmarking */
	{ 0xc6336400, 24 },	/* 198.51.100.0/24 documentation */
	{ 0xcb007100, 24 },	/* 203.0.113.0/24 documentation */
	{ 0xe0000000, 3 },	/* 224.0.0.0/3 multicast and reserved */
};

static uint64_t	target_random_next(uint64_t *);
static void	target_random_set(struct target_addr *, uint32_t);
static int	target_random_u32_cmp(const void *, const void *);

/* splitmix64: a small generator whose whole state is one number. */
static uint64_t
target_random_next(uint64_t *state)
{
	uint64_t	z;

	z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

static void
target_random_set(struct target_addr *a, uint32_t v)
{
	memset(a, 0, sizeof *a);
	a->family = AF_INET;
	a->addr[0] = v >> 24;
	a->addr[1] = v >> 16;
	a->addr[2] = v >> 8;
	a->addr[3] = v;
}

static int
target_random_u32_cmp(const void *a0, const void *b0)
{
	uint32_t	a = *(const uint32_t *)a0, b = *(const uint32_t *)b0;

	return (a < b ? -1 : a > b);
}

bool
target_random_is_special(const struct target_addr *a)
{
	uint32_t	v;
	size_t		i;

	if (a->family != AF_INET)
		return (false);
	v = (uint32_t)a->addr[0] << 24 | (uint32_t)a->addr[1] << 16 |
	    (uint32_t)a->addr[2] << 8 | a->addr[3];
	for (i = 0; i < sizeof target_random_special /
	    sizeof target_random_special[0]; i++) {
		if ((v >> (32 - target_random_special[i].bits)) ==
		    (target_random_special[i].base >>
		    (32 - target_random_special[i].bits)))
			return (true);
	}
	return (false);
}

/*
 * Fill v with n distinct public addresses in ascending order: draw what
 * is missing, sort, drop duplicates, and draw again until there are n.
 */
void
target_random_draw(struct target_addr *v, size_t n, uint64_t seed)
{
	struct target_addr	 a;
	uint32_t		*u, x;
	uint64_t		 state = seed ^ 0x2d358dccaa6c78a5ULL;
	size_t			 have = 0, i, j;

	u = xcalloc(n == 0 ? 1 : n, sizeof *u);
	while (have < n) {
		while (have < n) {
			x = (uint32_t)(target_random_next(&state) >> 32);
			target_random_set(&a, x);
			if (!target_random_is_special(&a))
				u[have++] = x;
		}
		qsort(u, have, sizeof *u, target_random_u32_cmp);
		for (i = j = 1; i < have; i++) {
			if (u[i] != u[j - 1])
				u[j++] = u[i];
		}
		have = j;
	}
	for (i = 0; i < n; i++)
		target_random_set(&v[i], u[i]);
	free(u);
}
