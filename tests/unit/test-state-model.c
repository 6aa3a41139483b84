/*
 * The model of state entries: born with a probe to a new tuple, closed
 * early by a RST, expired after their class's lifetime, each tuple
 * counted once, full at the cap; and a long run that keeps the count
 * exact against a plain list of expiry times.
 */
#include <netinet/in.h>
#include <string.h>

#include "unit.h"

#include "state-model.h"

#define SEC	1000000000ULL

static const uint64_t	life[STATE_NCLASS] = {
	[STATE_TCP] = 120 * SEC,
	[STATE_UDP] = 30 * SEC,
	[STATE_ICMP] = 20 * SEC,
	[STATE_CLOSED] = 10 * SEC,
};

static struct state_key
key(uint32_t host, uint16_t port, uint8_t proto, uint8_t try)
{
	struct state_key	k;

	memset(&k, 0, sizeof k);
	k.addr.family = 2;	/* AF_INET */
	k.addr.addr[0] = 198;
	k.addr.addr[1] = 18;
	k.addr.addr[2] = (uint8_t)(host >> 8);
	k.addr.addr[3] = (uint8_t)host;
	k.port = port;
	k.proto = proto;
	k.try = try;
	return (k);
}

static void
test_state_model_is_born_with_a_probe_and_lives_its_lifetime(void)
{
	struct state_model	*m = state_model_create(100, life);
	struct state_key	 k = key(1, 80, IPPROTO_TCP, 0);

	CU_ASSERT_EQUAL(state_model_count(m), 0);
	CU_ASSERT_EQUAL(state_model_next(m), UINT64_MAX);
	state_model_open(m, &k, STATE_TCP, 5 * SEC);
	CU_ASSERT_EQUAL(state_model_count(m), 1);
	CU_ASSERT_EQUAL(state_model_next(m), 125 * SEC);
	state_model_expire(m, 125 * SEC - 1);
	CU_ASSERT_EQUAL(state_model_count(m), 1);
	state_model_expire(m, 125 * SEC);
	CU_ASSERT_EQUAL(state_model_count(m), 0);
	state_model_free(m);
}

static void
test_state_model_classes_live_their_own_lifetimes(void)
{
	struct state_model	*m = state_model_create(100, life);
	struct state_key	 t = key(1, 53, IPPROTO_TCP, 0);
	struct state_key	 u = key(1, 53, IPPROTO_UDP, 0);
	struct state_key	 i = key(1, 8, IPPROTO_ICMP, 0);

	state_model_open(m, &t, STATE_TCP, 0);
	state_model_open(m, &u, STATE_UDP, 0);
	state_model_open(m, &i, STATE_ICMP, 0);
	CU_ASSERT_EQUAL(state_model_count(m), 3);
	CU_ASSERT_EQUAL(state_model_next(m), 20 * SEC);
	state_model_expire(m, 20 * SEC);
	CU_ASSERT_EQUAL(state_model_count(m), 2);
	state_model_expire(m, 30 * SEC);
	CU_ASSERT_EQUAL(state_model_count(m), 1);
	state_model_expire(m, 120 * SEC);
	CU_ASSERT_EQUAL(state_model_count(m), 0);
	state_model_free(m);
}

static void
test_state_model_rst_closes_an_entry_early(void)
{
	struct state_model	*m = state_model_create(100, life);
	struct state_key	 a = key(1, 22, IPPROTO_TCP, 0);
	struct state_key	 b = key(1, 23, IPPROTO_TCP, 0);

	state_model_open(m, &a, STATE_TCP, 0);
	state_model_open(m, &b, STATE_TCP, 0);
	state_model_close(m, &a, 1 * SEC);
	CU_ASSERT_EQUAL(state_model_next(m), 11 * SEC);
	state_model_expire(m, 11 * SEC - 1);
	CU_ASSERT_EQUAL(state_model_count(m), 2);
	state_model_expire(m, 11 * SEC);
	CU_ASSERT_EQUAL(state_model_count(m), 1);
	/* Its stale record at 120 s must not end b, nor count twice. */
	state_model_expire(m, 119 * SEC);
	CU_ASSERT_EQUAL(state_model_count(m), 1);
	state_model_expire(m, 120 * SEC);
	CU_ASSERT_EQUAL(state_model_count(m), 0);
	state_model_free(m);
}

static void
test_state_model_close_of_an_unknown_tuple_does_nothing(void)
{
	struct state_model	*m = state_model_create(100, life);
	struct state_key	 a = key(1, 22, IPPROTO_TCP, 0);
	struct state_key	 b = key(1, 22, IPPROTO_TCP, 1);

	state_model_open(m, &a, STATE_TCP, 0);
	state_model_close(m, &b, 1 * SEC);
	CU_ASSERT_EQUAL(state_model_count(m), 1);
	state_model_expire(m, 11 * SEC);
	CU_ASSERT_EQUAL(state_model_count(m), 1);
	state_model_free(m);
}

static void
test_state_model_a_tuple_counts_once_and_lives_anew(void)
{
	struct state_model	*m = state_model_create(100, life);
	struct state_key	 a = key(1, 80, IPPROTO_TCP, 0);
	struct state_key	 r = key(1, 80, IPPROTO_TCP, 1);

	state_model_open(m, &a, STATE_TCP, 0);
	state_model_open(m, &a, STATE_TCP, 50 * SEC);
	CU_ASSERT_EQUAL(state_model_count(m), 1);
	state_model_expire(m, 120 * SEC);
	CU_ASSERT_EQUAL(state_model_count(m), 1);
	state_model_expire(m, 170 * SEC);
	CU_ASSERT_EQUAL(state_model_count(m), 0);
	/* A retransmission goes from another source port: a new entry. */
	state_model_open(m, &a, STATE_TCP, 200 * SEC);
	state_model_open(m, &r, STATE_TCP, 201 * SEC);
	CU_ASSERT_EQUAL(state_model_count(m), 2);
	state_model_free(m);
}

static void
test_state_model_is_full_at_its_cap_until_one_ends(void)
{
	struct state_model	*m = state_model_create(3, life);
	struct state_key	 k;
	uint16_t		 p;

	for (p = 1; p <= 3; p++) {
		CU_ASSERT_FALSE(state_model_full(m));
		k = key(1, p, IPPROTO_TCP, 0);
		state_model_open(m, &k, STATE_TCP, p * SEC);
	}
	CU_ASSERT_TRUE(state_model_full(m));
	CU_ASSERT_EQUAL(state_model_next(m), 121 * SEC);
	state_model_expire(m, 121 * SEC);
	CU_ASSERT_FALSE(state_model_full(m));
	state_model_free(m);
}

/*
 * Thousands of tuples over many hosts, reused slots and growth: the
 * count is always the number of tuples whose last event is not over.
 */
static void
test_state_model_count_is_exact_over_a_long_run(void)
{
	enum { HOSTS = 64, PORTS = 64, TRIES = 2 };
	static uint64_t		 until[HOSTS][PORTS][TRIES];
	struct state_model	*m = state_model_create(1000000, life);
	struct state_key	 k;
	uint64_t		 now, x = 88172645463325252ULL;
	uint32_t		 want, h, p, t, step;

	memset(until, 0, sizeof until);
	for (step = 0; step < 200000; step++) {
		now = (uint64_t)step * (SEC / 500);
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		h = (uint32_t)(x % HOSTS);
		p = (uint32_t)(x >> 8) % PORTS;
		t = (uint32_t)(x >> 20) % TRIES;
		k = key(h, (uint16_t)(p + 1), IPPROTO_TCP, (uint8_t)t);
		if ((x >> 40) % 3 == 0) {
			state_model_close(m, &k, now);
			if (until[h][p][t] > now)
				until[h][p][t] = now + life[STATE_CLOSED];
		} else {
			state_model_open(m, &k, STATE_TCP, now);
			until[h][p][t] = now + life[STATE_TCP];
		}
		if (step % 997 != 0)
			continue;
		state_model_expire(m, now);
		want = 0;
		for (h = 0; h < HOSTS; h++)
			for (p = 0; p < PORTS; p++)
				for (t = 0; t < TRIES; t++)
					want += until[h][p][t] > now;
		CU_ASSERT_EQUAL_FATAL(state_model_count(m), want);
	}
	state_model_free(m);
}

static const struct unit_test tests[] = {
	TEST(test_state_model_is_born_with_a_probe_and_lives_its_lifetime),
	TEST(test_state_model_classes_live_their_own_lifetimes),
	TEST(test_state_model_rst_closes_an_entry_early),
	TEST(test_state_model_close_of_an_unknown_tuple_does_nothing),
	TEST(test_state_model_a_tuple_counts_once_and_lives_anew),
	TEST(test_state_model_is_full_at_its_cap_until_one_ends),
	TEST(test_state_model_count_is_exact_over_a_long_run),
	TEST_END
};

UNIT_MAIN("state-model", tests)
