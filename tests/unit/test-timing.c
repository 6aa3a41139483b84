/*
 * The timing model: RTT estimates and clamped timeouts, congestion
 * windows, and the scan delay that converges on a host's rate limit,
 * probes above it and backs off when it falls.
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
	/* 1/20 s between answers: paced at the limit. */
	CU_ASSERT_EQUAL(d.delay_us, 50 * MS);
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
	CU_ASSERT_FALSE(delay_second(&d, &now, 8, 2, 1));
	/* A host's last retransmissions: too few to judge its rate. */
	CU_ASSERT_FALSE(delay_second(&d, &now, 1, 8, 1));
	CU_ASSERT_EQUAL(d.delay_us, 0);
}

static void
test_timing_delay_recovers_from_random_loss_taken_for_a_limit(void)
{
	struct timing_delay	d;
	uint64_t		now = 0;
	unsigned		i;
	double			sent;

	timing_delay_init(&d, 0, 1000 * MS, now);
	/* 10% loss at a polite 10 a second, in an unlucky second. */
	CU_ASSERT_TRUE(delay_second(&d, &now, 7, 3, 1));
	CU_ASSERT_EQUAL(d.delay_us, 142857);
	/*
	 * Then 10% of what is sent, whatever the pace: each probe gets
	 * more through, the pace doubles its way back, and at twice the
	 * pace twice as much gets through: no limit, no delay.
	 */
	for (i = 0; i < 12 && d.limit > 0; i++) {
		sent = 1e6 / (double)d.delay_us;
		delay_second(&d, &now, (unsigned)(0.9 * sent + 0.5),
		    (unsigned)(0.1 * sent + 0.5), 1);
	}
	CU_ASSERT_EQUAL(d.limit, 0);
	CU_ASSERT_EQUAL(d.delay_us, 0);
}

static void
test_timing_delay_waits_for_a_whole_second_and_keeps_its_bounds(void)
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
	/* 5 answers a second: 200 ms, capped at the 100 ms max. */
	CU_ASSERT_TRUE(timing_delay_tick(&d, now + SEC));
	CU_ASSERT_EQUAL(d.delay_us, 100 * MS);
	/* A host limited to 100 a second, with a scan_delay of 15 ms. */
	now = 0;
	timing_delay_init(&d, 15 * MS, 1000 * MS, now);
	delay_second(&d, &now, 100, 300, 10);
	CU_ASSERT_EQUAL(d.limit, 100);
	CU_ASSERT_EQUAL(d.delay_us, 15 * MS);
	/* Probing above it never goes under the profile's delay. */
	for (i = 0; i < 8; i++) {
		delay_second(&d, &now, 67, 0, 0);
		CU_ASSERT_EQUAL(d.delay_us, 15 * MS);
	}
}

/*
 * A second of a host whose limit is limit answers a second, paced at
 * its delay: what it sent, what got through and what was dropped.
 */
static bool
delay_limited_second(struct timing_delay *d, uint64_t *now, unsigned limit)
{
	unsigned	sent = (unsigned)(1e6 / (double)d->delay_us + 0.5);

	if (sent <= limit)
		return (delay_second(d, now, sent, 0, 0));
	return (delay_second(d, now, limit, sent - limit, limit / 10));
}

static void
test_timing_delay_converges_on_the_limit_and_probes_above_it(void)
{
	struct timing_delay	d;
	uint64_t		now = 0;
	unsigned		i, above = 0;

	timing_delay_init(&d, 0, 1000 * MS, now);
	/* Found in a burst: 250 through of 1000, then paced at 250. */
	CU_ASSERT_TRUE(delay_second(&d, &now, 250, 750, 25));
	CU_ASSERT_EQUAL(d.delay_us, 4 * MS);
	/* The limit is 200: backs off to it, then stays within 5% above. */
	CU_ASSERT_TRUE(delay_limited_second(&d, &now, 200));
	CU_ASSERT_EQUAL(d.delay_us, 5 * MS);
	for (i = 0; i < 20; i++) {
		delay_limited_second(&d, &now, 200);
		CU_ASSERT(d.delay_us <= 5 * MS);
		CU_ASSERT(d.delay_us >= 5 * MS * 100 / 105);
		if (d.delay_us < 5 * MS)
			above++;
	}
	/* One second in four probes above the limit. */
	CU_ASSERT_EQUAL(above, 5);
}

static void
test_timing_delay_finds_a_limit_that_rose_and_one_that_fell(void)
{
	struct timing_delay	d;
	uint64_t		now = 0;
	unsigned		i;

	timing_delay_init(&d, 0, 1000 * MS, now);
	CU_ASSERT_TRUE(delay_second(&d, &now, 100, 300, 10));
	CU_ASSERT_EQUAL(d.delay_us, 10 * MS);
	/* Now 400 a second: the probes climb to it within 10 seconds. */
	for (i = 0; i < 10; i++)
		delay_limited_second(&d, &now, 400);
	for (i = 0; i < 4; i++) {
		delay_limited_second(&d, &now, 400);
		CU_ASSERT(d.delay_us <= 2500);
		CU_ASSERT(d.delay_us >= 2500 * 100 / 105);
	}
	/* Then 50: the first second that loses half backs off to it. */
	CU_ASSERT_TRUE(delay_limited_second(&d, &now, 50));
	CU_ASSERT_EQUAL(d.delay_us, 20 * MS);
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
	TEST(test_timing_delay_recovers_from_random_loss_taken_for_a_limit),
	TEST(test_timing_delay_waits_for_a_whole_second_and_keeps_its_bounds),
	TEST(test_timing_delay_converges_on_the_limit_and_probes_above_it),
	TEST(test_timing_delay_finds_a_limit_that_rose_and_one_that_fell),
	TEST(test_timing_retries_once_while_nothing_was_lost),
	TEST(test_timing_retries_grow_with_the_loss_seen),
	TEST_END
};

UNIT_MAIN("timing", tests)
