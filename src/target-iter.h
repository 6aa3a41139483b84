/*
 * A seeded pseudo-random permutation of 0..n-1, computed from the index
 * alone: no table, no per-target state. The position is all there is to
 * save for a resume, and a shard i/n takes every n-th position, so shards
 * are disjoint and together cover everything. The scan permutes
 * (host, port) pairs, pair = host * nports + port.
 */
#ifndef TARGET_ITER_H
#define TARGET_ITER_H

#include <stdbool.h>
#include <stdint.h>

struct target_iter {
	uint64_t	n;		/* size of the domain */
	uint64_t	seed;
	uint32_t	shard_index;	/* 0-based */
	uint32_t	shard_count;	/* at least 1 */
	uint64_t	position;	/* next position to visit */
	bool		ordered;	/* -r: in order, not permuted */
	/* Private to target-iter.c: the permutation's parameters. */
	uint64_t	p[8];
	/* Private: the value at peek_pos, drawn ahead; UINT64_MAX: none. */
	uint64_t	peek_pos;
	uint64_t	peek;
};

void		target_iter_init(struct target_iter *, uint64_t, uint64_t,
		    uint32_t, uint32_t);
/* The value at a position of the (unsharded) permutation. */
uint64_t	target_iter_at(const struct target_iter *, uint64_t);
/* Next value of this shard; false at the end. */
bool		target_iter_next(struct target_iter *, uint64_t *);
/* The value target_iter_next() gives next, without moving; false: none. */
bool		target_iter_peek(struct target_iter *, uint64_t *);
/* How many values this shard visits in all. */
uint64_t	target_iter_total(const struct target_iter *);
/* Values visited so far; target_iter_seek() continues from there. */
uint64_t	target_iter_done(const struct target_iter *);
void		target_iter_seek(struct target_iter *, uint64_t);

#endif
