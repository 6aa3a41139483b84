/* Tests of the seeded, resumable, shardable permutation of pairs. */
#include <stdlib.h>
#include <string.h>

#include "target-iter.h"
#include "target.h"
#include "unit.h"

#define NPORTS	7

/* Visit every value of it, marking seen; count values seen twice. */
static uint64_t
visit(struct target_iter *it, uint8_t *seen, uint64_t *count)
{
	uint64_t	v, twice = 0;

	*count = 0;
	while (target_iter_next(it, &v)) {
		CU_ASSERT_FATAL(v < it->n);
		twice += seen[v];
		seen[v] = 1;
		(*count)++;
	}
	return (twice);
}

static uint64_t
count_set(const uint8_t *seen, uint64_t n)
{
	uint64_t	i, c = 0;

	for (i = 0; i < n; i++)
		c += seen[i];
	return (c);
}

static void
test_target_iter_visits_every_pair_exactly_once(void)
{
	struct target_set	*set;
	struct target_iter	 it;
	struct target_addr	 a;
	char			*cause = NULL;
	uint8_t			*seen;
	uint64_t		 n, count, v, first;

	set = target_set_create(0);
	CU_ASSERT_EQUAL_FATAL(target_set_add(set, "198.18.0.0/16", NULL,
	    &cause), 0);
	CU_ASSERT_EQUAL_FATAL(target_set_exclude_list(set,
	    "198.18.5.0/24,198.18.200.7", &cause), 0);
	CU_ASSERT_EQUAL_FATAL(target_set_finish(set, &cause), 0);
	n = target_set_count(set) * NPORTS;
	CU_ASSERT_EQUAL_FATAL(n, (uint64_t)65279 * NPORTS);

	seen = calloc(n, 1);
	target_iter_init(&it, n, 12345, 0, 1);
	CU_ASSERT_EQUAL(target_iter_total(&it), n);
	CU_ASSERT(target_iter_next(&it, &first));
	seen[first] = 1;
	CU_ASSERT_EQUAL(visit(&it, seen, &count), 0);
	CU_ASSERT_EQUAL(count + 1, n);
	CU_ASSERT_EQUAL(count_set(seen, n), n);
	CU_ASSERT_EQUAL(target_iter_done(&it), n);
	CU_ASSERT_FALSE(target_iter_next(&it, &v));

	/* No pair's host is an excluded address. */
	for (v = 0; v < n / NPORTS; v++) {
		target_set_get(set, v, &a);
		CU_ASSERT_FATAL(a.addr[2] != 5 &&
		    (a.addr[2] != 200 || a.addr[3] != 7));
	}
	free(seen);
	target_set_free(set);
}

static void
test_target_iter_resumes_identically(void)
{
	struct target_iter	it, again;
	uint64_t		i, v, w, n = 1000003;

	target_iter_init(&it, n, 99, 0, 1);
	for (i = 0; i < 4321; i++)
		CU_ASSERT(target_iter_next(&it, &v));
	target_iter_init(&again, n, 99, 0, 1);
	target_iter_seek(&again, target_iter_done(&it));
	CU_ASSERT_EQUAL(target_iter_done(&again), 4321);
	for (i = 0; i < 10000; i++) {
		CU_ASSERT(target_iter_next(&it, &v));
		CU_ASSERT(target_iter_next(&again, &w));
		if (v != w) {
			CU_FAIL("resumed order differs");
			break;
		}
	}
}

static void
test_target_iter_shards_are_disjoint_and_cover_all(void)
{
	struct target_iter	 it;
	uint64_t		 n = 100003, count, total = 0;
	uint32_t		 s;
	uint8_t			*seen;

	seen = calloc(n, 1);
	for (s = 0; s < 3; s++) {
		target_iter_init(&it, n, 4242, s, 3);
		CU_ASSERT_EQUAL(visit(&it, seen, &count), 0);
		CU_ASSERT_EQUAL(count, target_iter_total(&it));
		total += count;
	}
	CU_ASSERT_EQUAL(total, n);
	CU_ASSERT_EQUAL(count_set(seen, n), n);
	free(seen);
}

static void
test_target_iter_resumes_within_a_shard(void)
{
	struct target_iter	it, again;
	uint64_t		v, w;
	int			i;

	target_iter_init(&it, 5000, 1, 2, 4);
	for (i = 0; i < 100; i++)
		target_iter_next(&it, &v);
	target_iter_init(&again, 5000, 1, 2, 4);
	target_iter_seek(&again, target_iter_done(&it));
	while (target_iter_next(&it, &v)) {
		CU_ASSERT_FATAL(target_iter_next(&again, &w));
		CU_ASSERT_EQUAL_FATAL(v, w);
	}
	CU_ASSERT_FALSE(target_iter_next(&again, &w));
}

static void
test_target_iter_same_seed_same_order(void)
{
	struct target_iter	a, b;
	uint64_t		v, w;
	int			i;

	target_iter_init(&a, 65536, 777, 0, 1);
	target_iter_init(&b, 65536, 777, 0, 1);
	for (i = 0; i < 1000; i++) {
		target_iter_next(&a, &v);
		target_iter_next(&b, &w);
		CU_ASSERT_EQUAL_FATAL(v, w);
	}
}

static void
test_target_iter_different_seeds_different_orders(void)
{
	struct target_iter	a, b;
	uint64_t		v, w;
	int			i, same = 0;

	target_iter_init(&a, 65536, 777, 0, 1);
	target_iter_init(&b, 65536, 778, 0, 1);
	for (i = 0; i < 1000; i++) {
		target_iter_next(&a, &v);
		target_iter_next(&b, &w);
		same += v == w;
	}
	CU_ASSERT(same < 10);
}

static void
test_target_iter_order_is_shuffled(void)
{
	struct target_iter	it;
	uint64_t		v, i, fixed = 0, ascending = 0, prev = 0;

	target_iter_init(&it, 100000, 5, 0, 1);
	for (i = 0; target_iter_next(&it, &v); i++) {
		fixed += v == i;
		ascending += i > 0 && v == prev + 1;
		prev = v;
	}
	CU_ASSERT(fixed < 100);
	CU_ASSERT(ascending < 100);
}

static void
test_target_iter_at_matches_next(void)
{
	struct target_iter	it;
	uint64_t		v, i;

	target_iter_init(&it, 777, 3, 0, 1);
	for (i = 0; target_iter_next(&it, &v); i++)
		CU_ASSERT_EQUAL_FATAL(v, target_iter_at(&it, i));
	CU_ASSERT_EQUAL(i, 777);
}

/*
 * Peeking, as often as one likes, shows what next gives and moves
 * nothing, in a shard and across a seek; at the end there is none.
 */
static void
test_target_iter_peek_shows_next_and_moves_nothing(void)
{
	struct target_iter	it, plain;
	uint64_t		v, w, p;
	int			i;

	target_iter_init(&it, 5000, 9, 1, 3);
	target_iter_init(&plain, 5000, 9, 1, 3);
	for (i = 0; target_iter_next(&plain, &w); i++) {
		if (i == 700) {
			CU_ASSERT_FATAL(target_iter_peek(&it, &p));
			target_iter_seek(&it, 900);
			target_iter_seek(&plain, 900);
			CU_ASSERT_FATAL(target_iter_next(&plain, &w));
		}
		if (i % 2 == 0) {
			CU_ASSERT_FATAL(target_iter_peek(&it, &p));
			CU_ASSERT_FATAL(target_iter_peek(&it, &v));
			CU_ASSERT_EQUAL_FATAL(p, v);
			CU_ASSERT_EQUAL_FATAL(p, w);
		}
		CU_ASSERT_FATAL(target_iter_next(&it, &v));
		CU_ASSERT_EQUAL_FATAL(v, w);
	}
	CU_ASSERT_FALSE(target_iter_peek(&it, &p));
	CU_ASSERT_FALSE(target_iter_next(&it, &v));
}

static void
test_target_iter_handles_tiny_domains(void)
{
	struct target_iter	 it;
	uint64_t		 n, count, v;
	uint8_t			 seen[64];

	target_iter_init(&it, 0, 1, 0, 1);
	CU_ASSERT_EQUAL(target_iter_total(&it), 0);
	CU_ASSERT_FALSE(target_iter_next(&it, &v));
	for (n = 1; n <= 64; n++) {
		memset(seen, 0, sizeof seen);
		target_iter_init(&it, n, n, 0, 1);
		CU_ASSERT_EQUAL(visit(&it, seen, &count), 0);
		CU_ASSERT_EQUAL(count, n);
		CU_ASSERT_EQUAL(count_set(seen, n), n);
	}
	/* More shards than values: the extra shards are empty. */
	target_iter_init(&it, 2, 1, 4, 5);
	CU_ASSERT_EQUAL(target_iter_total(&it), 0);
	CU_ASSERT_FALSE(target_iter_next(&it, &v));
}

static void
test_target_iter_handles_the_largest_domain(void)
{
	struct target_iter	it;
	uint64_t		v[100];
	int			i, j;

	target_iter_init(&it, UINT64_MAX, 8, 0, 1);
	CU_ASSERT_EQUAL(target_iter_total(&it), UINT64_MAX);
	for (i = 0; i < 100; i++) {
		CU_ASSERT_FATAL(target_iter_next(&it, &v[i]));
		CU_ASSERT(v[i] < UINT64_MAX);
		for (j = 0; j < i; j++)
			CU_ASSERT(v[i] != v[j]);
	}
}

static const struct unit_test tests[] = {
	TEST(test_target_iter_visits_every_pair_exactly_once),
	TEST(test_target_iter_resumes_identically),
	TEST(test_target_iter_shards_are_disjoint_and_cover_all),
	TEST(test_target_iter_resumes_within_a_shard),
	TEST(test_target_iter_same_seed_same_order),
	TEST(test_target_iter_different_seeds_different_orders),
	TEST(test_target_iter_order_is_shuffled),
	TEST(test_target_iter_at_matches_next),
	TEST(test_target_iter_peek_shows_next_and_moves_nothing),
	TEST(test_target_iter_handles_tiny_domains),
	TEST(test_target_iter_handles_the_largest_domain),
	TEST_END
};

UNIT_MAIN("target-iter", tests)
