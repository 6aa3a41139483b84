/*
 * Tests of -iR's generator. They look at the addresses drawn and never
 * send anything to them.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "target.h"
#include "unit.h"

#define DRAWS	200000

static struct target_addr
v4(const char *s)
{
	struct target_addr	a;

	memset(&a, 0, sizeof a);
	a.family = AF_INET;
	if (inet_pton(AF_INET, s, a.addr) != 1)
		abort();
	return (a);
}

static int
special(const char *s)
{
	struct target_addr	a = v4(s);

	return (target_random_is_special(&a));
}

static void
test_target_random_knows_special_block_edges(void)
{
	static const char	*in[] = {
		"0.0.0.0", "0.255.255.255", "10.0.0.0", "10.255.255.255",
		"100.64.0.0", "100.127.255.255", "127.0.0.1", "169.254.1.1",
		"172.16.0.0", "172.31.255.255", "192.0.0.0", "192.0.0.255",
		"192.0.2.1", "192.31.196.7", "192.52.193.1", "192.88.99.1",
		"192.168.0.1", "192.175.48.1", "198.18.0.0",
		"198.19.255.255", "198.51.100.1", "203.0.113.255",
		"224.0.0.1", "239.255.255.255", "240.0.0.1",
		"255.255.255.255",
	};
	static const char	*out[] = {
		"1.0.0.0", "9.255.255.255", "11.0.0.0", "100.63.255.255",
		"100.128.0.0", "126.255.255.255", "128.0.0.0", "172.15.255.255",
		"172.32.0.0", "192.0.1.0", "192.0.3.0", "192.167.255.255",
		"192.169.0.0", "198.17.255.255", "198.20.0.0",
		"203.0.112.255", "223.255.255.255",
	};
	size_t			 i;

	for (i = 0; i < sizeof in / sizeof in[0]; i++)
		CU_ASSERT(special(in[i]));
	for (i = 0; i < sizeof out / sizeof out[0]; i++)
		CU_ASSERT_FALSE(special(out[i]));
}

static void
test_target_random_never_draws_special_addresses(void)
{
	struct target_addr	*v;
	size_t			 i, bad = 0;

	v = calloc(DRAWS, sizeof *v);
	target_random_draw(v, DRAWS, 1);
	for (i = 0; i < DRAWS; i++)
		bad += target_random_is_special(&v[i]) ||
		    v[i].family != AF_INET;
	CU_ASSERT_EQUAL(bad, 0);
	free(v);
}

static void
test_target_random_draws_n_distinct_sorted(void)
{
	struct target_addr	*v;
	size_t			 i, order = 0;

	v = calloc(DRAWS, sizeof *v);
	target_random_draw(v, DRAWS, 2);
	for (i = 1; i < DRAWS; i++)
		order += target_addr_cmp(&v[i - 1], &v[i]) < 0;
	CU_ASSERT_EQUAL(order, DRAWS - 1);
	free(v);
}

static void
test_target_random_spreads_over_the_space(void)
{
	struct target_addr	*v;
	size_t			 i, first[256] = { 0 }, empty = 0;

	v = calloc(DRAWS, sizeof *v);
	target_random_draw(v, DRAWS, 3);
	for (i = 0; i < DRAWS; i++)
		first[v[i].addr[0]]++;
	/* Public /8s: every first octet in 1-223 but 10 and 127. */
	for (i = 1; i < 224; i++) {
		if (i != 10 && i != 127)
			empty += first[i] == 0;
	}
	CU_ASSERT_EQUAL(empty, 0);
	free(v);
}

static void
test_target_random_same_seed_same_addresses(void)
{
	struct target_addr	a[1000], b[1000], c[1000];

	target_random_draw(a, 1000, 42);
	target_random_draw(b, 1000, 42);
	target_random_draw(c, 1000, 43);
	CU_ASSERT_EQUAL(memcmp(a, b, sizeof a), 0);
	CU_ASSERT_NOT_EQUAL(memcmp(a, c, sizeof a), 0);
}

static const struct unit_test tests[] = {
	TEST(test_target_random_knows_special_block_edges),
	TEST(test_target_random_never_draws_special_addresses),
	TEST(test_target_random_draws_n_distinct_sorted),
	TEST(test_target_random_spreads_over_the_space),
	TEST(test_target_random_same_seed_same_addresses),
	TEST_END
};

UNIT_MAIN("target-random", tests)
