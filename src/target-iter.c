/*
 * A seeded permutation of 0..n-1 from the index alone, so a scan visits
 * (host, port) pairs in an order no one can predict without the seed,
 * keeps no table, and resumes from a single number.
 *
 * The permutation is a keyed Feistel network over the bits of the next
 * power of two at or above n, with halves of unequal size when the bit
 * count is odd (each round swaps the sizes). A value at or above n is
 * put through the network again ("cycle walking") until it falls below
 * n; since the network is a bijection on the power of two, this is a
 * bijection on 0..n-1, and fewer than two rounds through it are needed
 * on average. Set ordered after init for the identity instead (-r).
 */
#include "target-iter.h"

#define TARGET_ITER_ROUNDS	6

/* Where the parameters live in p[]. */
#define TARGET_ITER_LEFT	0	/* bits of the left half */
#define TARGET_ITER_RIGHT	1	/* bits of the right half */
#define TARGET_ITER_KEYS	2	/* the round keys, from here on */

static uint64_t	target_iter_mix(uint64_t);
static uint64_t	target_iter_mask(uint64_t);
static uint64_t	target_iter_feistel(const struct target_iter *, uint64_t);

/* A 64-bit finalizer (splitmix64's): every input bit moves every output. */
static uint64_t
target_iter_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

static uint64_t
target_iter_mask(uint64_t bits)
{
	return (bits >= 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1);
}

/* One pass through the network: a bijection on 0..2^(left+right)-1. */
static uint64_t
target_iter_feistel(const struct target_iter *it, uint64_t x)
{
	uint64_t	a = it->p[TARGET_ITER_LEFT], b = it->p[TARGET_ITER_RIGHT];
	uint64_t	left, right, t;
	int		i;

	left = b >= 64 ? 0 : x >> b;
	right = x & target_iter_mask(b);
	for (i = 0; i < TARGET_ITER_ROUNDS; i++) {
		t = (left ^ target_iter_mix(right ^
		    it->p[TARGET_ITER_KEYS + i])) & target_iter_mask(a);
		left = right;
		right = t;
		t = a;
		a = b;
		b = t;
	}
	return ((b >= 64 ? 0 : left << b) | right);
}

void
target_iter_init(struct target_iter *it, uint64_t n, uint64_t seed,
    uint32_t shard_index, uint32_t shard_count)
{
	uint64_t	bits = 0, state = seed;
	int		i;

	it->n = n;
	it->seed = seed;
	it->shard_count = shard_count == 0 ? 1 : shard_count;
	it->shard_index = shard_index;
	it->position = shard_index;
	it->ordered = false;
	it->peek_pos = UINT64_MAX;
	while (bits < 64 && ((uint64_t)1 << bits) < n)
		bits++;
	it->p[TARGET_ITER_RIGHT] = bits / 2;
	it->p[TARGET_ITER_LEFT] = bits - bits / 2;
	for (i = 0; i < TARGET_ITER_ROUNDS; i++) {
		state += 0x9e3779b97f4a7c15ULL;
		it->p[TARGET_ITER_KEYS + i] = target_iter_mix(state);
	}
}

/* The value at position pos (below n) of the whole permutation. */
uint64_t
target_iter_at(const struct target_iter *it, uint64_t pos)
{
	uint64_t	x = pos;

	if (it->ordered)
		return (pos);
	do
		x = target_iter_feistel(it, x);
	while (x >= it->n);
	return (x);
}

bool
target_iter_next(struct target_iter *it, uint64_t *value)
{
	if (target_iter_done(it) >= target_iter_total(it))
		return (false);
	*value = it->peek_pos == it->position ? it->peek :
	    target_iter_at(it, it->position);
	it->position += it->shard_count;
	return (true);
}

/*
 * The next value, computed once: a caller that wants what comes next in
 * its cache asks ahead, and target_iter_next() then gives it for free.
 */
bool
target_iter_peek(struct target_iter *it, uint64_t *value)
{
	if (target_iter_done(it) >= target_iter_total(it))
		return (false);
	if (it->peek_pos != it->position) {
		it->peek = target_iter_at(it, it->position);
		it->peek_pos = it->position;
	}
	*value = it->peek;
	return (true);
}

uint64_t
target_iter_total(const struct target_iter *it)
{
	if (it->n <= it->shard_index)
		return (0);
	return ((it->n - it->shard_index - 1) / it->shard_count + 1);
}

uint64_t
target_iter_done(const struct target_iter *it)
{
	return ((it->position - it->shard_index) / it->shard_count);
}

/* Continue after done values of this shard (as target_iter_done says). */
void
target_iter_seek(struct target_iter *it, uint64_t done)
{
	if (done > target_iter_total(it))
		done = target_iter_total(it);
	it->position = it->shard_index + done * it->shard_count;
}
