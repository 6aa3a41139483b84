/*
 * Token buckets: no second ever holds more tokens than the rate, the
 * long-run rate is the rate, and waits say when the next token comes.
 */
#include "unit.h"

#include "rate.h"

#define MSEC	1000000ULL

static void
test_rate_zero_means_no_limit(void)
{
	struct rate	r;
	int		i;

	rate_init(&r, 0, 1, 0);
	for (i = 0; i < 100000; i++)
		CU_ASSERT_FATAL(rate_take(&r, 0));
	CU_ASSERT_EQUAL(rate_wait(&r, 0), 0);
}

static void
test_rate_no_one_second_window_exceeds_the_rate(void)
{
	struct rate	r;
	uint64_t	t, sent[400];
	size_t		n = 0, i, j;

	/* Try every 0.25 ms for 20 s, starting with a full bucket. */
	rate_init(&r, 10, 1, 0);
	for (t = 0; t < 20000 * MSEC && n < 400; t += MSEC / 4)
		if (rate_take(&r, t))
			sent[n++] = t;
	CU_ASSERT(n >= 199 && n <= 201);
	for (i = 0; i < n; i++) {
		for (j = i; j < n && sent[j] < sent[i] + 1000 * MSEC; j++)
			;
		CU_ASSERT_FATAL(j - i <= 10);
	}
}

static void
test_rate_never_rounds_up_past_the_rate(void)
{
	struct rate	r;

	/* 3/s is 333333333.3 ns: the interval rounds up, never down. */
	rate_init(&r, 3, 1, 0);
	CU_ASSERT_TRUE(rate_get(&r) <= 3.0);
	CU_ASSERT_EQUAL(r.interval_ns, 333333334);
}

static void
test_rate_wait_says_when_the_next_token_comes(void)
{
	struct rate	r;

	rate_init(&r, 10, 1, 0);
	CU_ASSERT_EQUAL(rate_wait(&r, 0), 0);
	CU_ASSERT_TRUE(rate_take(&r, 0));
	CU_ASSERT_FALSE(rate_take(&r, 0));
	CU_ASSERT_EQUAL(rate_wait(&r, 0), 100 * MSEC);
	CU_ASSERT_EQUAL(rate_wait(&r, 40 * MSEC), 60 * MSEC);
	CU_ASSERT_TRUE(rate_take(&r, 100 * MSEC));
}

static void
test_rate_idle_time_does_not_build_a_burst(void)
{
	struct rate	r;
	int		n = 0;

	rate_init(&r, 10, 1, 0);
	while (rate_take(&r, 3600 * 1000 * MSEC))
		n++;
	CU_ASSERT_EQUAL(n, 1);
}

static void
test_rate_set_lower_gives_no_extra_credit(void)
{
	struct rate	r;

	rate_init(&r, 100, 1, 0);
	CU_ASSERT_TRUE(rate_take(&r, 0));
	rate_set(&r, 2, 5 * MSEC);
	CU_ASSERT_FALSE(rate_take(&r, 5 * MSEC));
	CU_ASSERT_FALSE(rate_take(&r, 400 * MSEC));
	CU_ASSERT_TRUE(rate_take(&r, 505 * MSEC));
}

static const struct unit_test tests[] = {
	TEST(test_rate_zero_means_no_limit),
	TEST(test_rate_no_one_second_window_exceeds_the_rate),
	TEST(test_rate_never_rounds_up_past_the_rate),
	TEST(test_rate_wait_says_when_the_next_token_comes),
	TEST(test_rate_idle_time_does_not_build_a_burst),
	TEST(test_rate_set_lower_gives_no_extra_credit),
	TEST_END
};

UNIT_MAIN("rate", tests)
