/*
 * Object pools: objects come zeroed and distinct, a freed one is handed
 * out again before any new one, a pool that runs out of its chunk grows
 * by another without moving what is out, and the count of objects out
 * follows gets and puts.
 */
#include <stdint.h>
#include <string.h>

#include "unit.h"

#include "pool.h"

struct thing {
	uint64_t	a;
	char		b[20];
};

static void
test_pool_hands_a_freed_object_out_again_first(void)
{
	struct pool	 pl;
	struct thing	*x, *y, *z;

	pool_init(&pl, sizeof (struct thing), 8);
	x = pool_get(&pl);
	y = pool_get(&pl);
	memset(y, 0xff, sizeof *y);
	pool_put(&pl, y);
	CU_ASSERT_EQUAL(pl.used, 1);
	z = pool_get(&pl);
	CU_ASSERT_PTR_EQUAL(z, y);
	CU_ASSERT_EQUAL(z->a, 0);	/* zeroed again */
	CU_ASSERT_EQUAL(z->b[19], 0);
	CU_ASSERT_PTR_NOT_EQUAL(x, z);
	CU_ASSERT_EQUAL(pl.nchunk, 1);
	pool_free(&pl);
}

static void
test_pool_grows_when_a_chunk_runs_out_and_moves_nothing(void)
{
	struct pool	 pl;
	struct thing	*t[20];
	size_t		 i, j;

	pool_init(&pl, sizeof (struct thing), 8);
	for (i = 0; i < 20; i++) {
		t[i] = pool_get(&pl);
		t[i]->a = i;
	}
	CU_ASSERT_EQUAL(pl.nchunk, 3);
	CU_ASSERT_EQUAL(pl.used, 20);
	for (i = 0; i < 20; i++) {
		CU_ASSERT_EQUAL(t[i]->a, i);
		for (j = 0; j < i; j++) {
			/* No two overlap. */
			CU_ASSERT_FATAL((char *)t[i] >= (char *)(t[j] + 1) ||
			    (char *)(t[i] + 1) <= (char *)t[j]);
		}
	}
	/* All back, then as many again: no new chunk. */
	for (i = 0; i < 20; i++)
		pool_put(&pl, t[i]);
	CU_ASSERT_EQUAL(pl.used, 0);
	for (i = 0; i < 20; i++)
		t[i] = pool_get(&pl);
	CU_ASSERT_EQUAL(pl.nchunk, 3);
	pool_free(&pl);
}

static const struct unit_test tests[] = {
	TEST(test_pool_hands_a_freed_object_out_again_first),
	TEST(test_pool_grows_when_a_chunk_runs_out_and_moves_nothing),
	TEST_END
};

UNIT_MAIN("pool", tests);
