/*
 * The timing model: RTT estimates and clamped timeouts, congestion
 * windows, and the scan delay that answers a host's rate limit.
 */
#include <stddef.h>
#include <string.h>

#include "unit.h"

#include "profile.h"
#include "timing.h"

#define MS	1000ULL			/* microseconds */
#define SEC	1000000000ULL		/* nanoseconds */

static struct profile
profile_make(void)
{
	struct profile	p;

	memset(&p, 0, sizeof p);
	p.initial_rtt_timeout = 1000;
	p.min_rtt_timeout = 100;
	p.max_rtt_timeout = 10000;
	return (p);
}

static void
test_timing_rtt_uses_the_initial_timeout_before_any_sample(void)
{
	struct profile		p = profile_make();
	struct timing_rtt	t;

	timing_rtt_init(&t, &p);
	CU_ASSERT_EQUAL(timing_rtt_timeout(&t), 1000 * MS);
}

static void
test_timing_rtt_first_sample_sets_srtt_and_half_variance(void)
{
	struct profile		p = profile_make();
	struct timing_rtt	t;

	timing_rtt_init(&t, &p);
	timing_rtt_sample(&t, 200 * MS);
	CU_ASSERT_EQUAL(t.srtt_us, 200 * MS);
	CU_ASSERT_EQUAL(t.rttvar_us, 100 * MS);
	CU_ASSERT_EQUAL(timing_rtt_timeout(&t), 600 * MS);
}

static void
test_timing_rtt_follows_rfc6298_smoothing(void)
{
	struct profile		p = profile_make();
	struct timing_rtt	t;

	timing_rtt_init(&t, &p);
	timing_rtt_sample(&t, 200 * MS);
	timing_rtt_sample(&t, 400 * MS);
	/* rttvar = 3/4 * 100 + 1/4 * |200 - 400|, srtt = 7/8 200 + 1/8 400 */
	CU_ASSERT_EQUAL(t.rttvar_us, 125 * MS);
	CU_ASSERT_EQUAL(t.srtt_us, 225 * MS);
}

static void
test_timing_rtt_timeout_is_clamped_to_the_profile(void)
{
	struct profile		p = profile_make();
	struct timing_rtt	t;
	int			i;

	timing_rtt_init(&t, &p);
	for (i = 0; i < 50; i++)
		timing_rtt_sample(&t, 50);	/* 50 us, loopback-like */
	CU_ASSERT_EQUAL(timing_rtt_timeout(&t), 100 * MS);
	timing_rtt_init(&t, &p);
	timing_rtt_sample(&t, 8000 * MS);
	CU_ASSERT_EQUAL(timing_rtt_timeout(&t), 10000 * MS);
}

static void
test_timing_cwnd_grows_in_slow_start_and_halves_on_a_drop(void)
{
	struct timing_cwnd	w;

	timing_cwnd_init(&w, 2, 1, 100);
	timing_cwnd_reply(&w);
	timing_cwnd_reply(&w);
	CU_ASSERT_EQUAL(timing_cwnd_get(&w), 4);
	CU_ASSERT_TRUE(timing_cwnd_drop(&w, 10, 20));
	CU_ASSERT_EQUAL(timing_cwnd_get(&w), 2);
	/* Past the threshold it grows by 1/cwnd a reply: 2, 2.5, 2.9, 3.2. */
	timing_cwnd_reply(&w);
	timing_cwnd_reply(&w);
	CU_ASSERT_EQUAL(timing_cwnd_get(&w), 2);
	timing_cwnd_reply(&w);
	CU_ASSERT_EQUAL(timing_cwnd_get(&w), 3);
}

static void
test_timing_cwnd_stays_within_its_bounds(void)
{
	struct timing_cwnd	w;
	int			i;

	timing_cwnd_init(&w, 4, 1, 4);
	for (i = 0; i < 100; i++)
		timing_cwnd_reply(&w);
	CU_ASSERT_EQUAL(timing_cwnd_get(&w), 4);
	for (i = 0; i < 100; i++)
		timing_cwnd_drop(&w, (uint64_t)i, (uint64_t)i);
	CU_ASSERT_EQUAL(timing_cwnd_get(&w), 1);
}

static void
test_timing_cwnd_halves_once_for_drops_of_one_window(void)
{
	struct timing_cwnd	w;

	timing_cwnd_init(&w, 64, 1, 100);
	/* Probes sent at 1..5 all dropped, noticed at 100..104: one cut. */
	CU_ASSERT_TRUE(timing_cwnd_drop(&w, 1, 100));
	CU_ASSERT_FALSE(timing_cwnd_drop(&w, 2, 101));
	CU_ASSERT_FALSE(timing_cwnd_drop(&w, 5, 104));
	CU_ASSERT_EQUAL(timing_cwnd_get(&w), 32);
	/* A probe sent after the cut and dropped cuts again. */
	CU_ASSERT_TRUE(timing_cwnd_drop(&w, 150, 250));
	CU_ASSERT_EQUAL(timing_cwnd_get(&w), 16);
}

/* One second of a host: sent at some rate, n answers, d drops, k late. */
static bool
delay_second(struct timing_delay *d, uint64_t *now, unsigned replies,
    unsigned drops, unsigned retry_replies)
{
	unsigned	i;

	for (i = 0; i < replies; i++)
		timing_delay_reply(d, i < retry_replies);
	for (i = 0; i < drops; i++)
		timing_delay_drop(d);
	*now += SEC;
	return (timing_delay_tick(d, *now));
}

static void
test_timing_delay_rises_to_the_rate_a_host_answers_at(void)
{
	struct timing_delay	d;
	uint64_t		now = 5 * SEC;

	/* 20 RSTs a second get through, 180 probes are dropped. */
	timing_delay_init(&d, 0, 1000 * MS, now);
	CU_ASSERT_TRUE(delay_second(&d, &now, 20, 180, 5));
	/* 1/20 s between answers, and a tenth more. */
	CU_ASSERT_EQUAL(d.delay_us, 55 * MS);
}

static void
test_timing_delay_ignores_filtering_and_light_loss(void)
{
	struct timing_delay	d;
	uint64_t		now = 0;

	timing_delay_init(&d, 0, 1000 * MS, now);
	/* Filtered: many drops, but no retransmission is ever answered. */
	CU_ASSERT_FALSE(delay_second(&d, &now, 10, 190, 0));
	/* 10% loss: retransmissions answered, but few drops. */
	CU_ASSERT_FALSE(delay_second(&d, &now, 180, 20, 18));
	/* The same loss at a polite 10 a second, in an unlucky second. */
	CU_ASSERT_FALSE(delay_second(&d, &now, 7, 3, 1));
	CU_ASSERT_FALSE(delay_second(&d, &now, 5, 5, 1));
	/* A host's last retransmissions: too few to judge its rate. */
	CU_ASSERT_FALSE(delay_second(&d, &now, 1, 8, 1));
	CU_ASSERT_EQUAL(d.delay_us, 0);
}

static void
test_timing_delay_waits_for_a_whole_second_and_never_shrinks(void)
{
	struct timing_delay	d;
	uint64_t		now = 0;
	int			i;

	timing_delay_init(&d, 0, 100 * MS, now);
	timing_delay_reply(&d, true);
	for (i = 0; i < 4; i++)
		timing_delay_reply(&d, false);
	for (i = 0; i < 10; i++)
		timing_delay_drop(&d);
	CU_ASSERT_FALSE(timing_delay_tick(&d, now + SEC / 2));
	/* 5 answers a second: 220 ms, capped at the 100 ms max. */
	CU_ASSERT_TRUE(timing_delay_tick(&d, now + SEC));
	CU_ASSERT_EQUAL(d.delay_us, 100 * MS);
	now += SEC;
	CU_ASSERT_FALSE(delay_second(&d, &now, 100, 0, 0));
	CU_ASSERT_EQUAL(d.delay_us, 100 * MS);
}

static void
test_timing_retries_once_while_nothing_was_lost(void)
{
	CU_ASSERT_EQUAL(timing_retries(0, 0, 10), 1);
	CU_ASSERT_EQUAL(timing_retries(0, 5000, 10), 1);
	CU_ASSERT_EQUAL(timing_retries(0, 10, 0), 0);
}

static void
test_timing_retries_grow_with_the_loss_seen(void)
{
	/* 10%: 0.1009^7 < 1e-6 < 0.1009^6, so 7 tries. */
	CU_ASSERT_EQUAL(timing_retries(100, 900, 10), 6);
	/* A little loss, a lot of answers: one retry still does. */
	CU_ASSERT_EQUAL(timing_retries(1, 100000, 10), 1);
	CU_ASSERT_EQUAL(timing_retries(1, 1000, 10), 2);
	/* Half lost: the profile's limit. */
	CU_ASSERT_EQUAL(timing_retries(500, 500, 10), 10);
	CU_ASSERT_EQUAL(timing_retries(100, 900, 3), 3);
}

static const struct unit_test tests[] = {
	TEST(test_timing_rtt_uses_the_initial_timeout_before_any_sample),
	TEST(test_timing_rtt_first_sample_sets_srtt_and_half_variance),
	TEST(test_timing_rtt_follows_rfc6298_smoothing),
	TEST(test_timing_rtt_timeout_is_clamped_to_the_profile),
	TEST(test_timing_cwnd_grows_in_slow_start_and_halves_on_a_drop),
	TEST(test_timing_cwnd_stays_within_its_bounds),
	TEST(test_timing_cwnd_halves_once_for_drops_of_one_window),
	TEST(test_timing_delay_rises_to_the_rate_a_host_answers_at),
	TEST(test_timing_delay_ignores_filtering_and_light_loss),
	TEST(test_timing_delay_waits_for_a_whole_second_and_never_shrinks),
	TEST(test_timing_retries_once_while_nothing_was_lost),
	TEST(test_timing_retries_grow_with_the_loss_seen),
	TEST_END
};

UNIT_MAIN("timing", tests)
