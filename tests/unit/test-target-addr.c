/*
 * Addresses as values (target-addr.c): stepping carries and wraps over
 * every byte, a span counts both ends and refuses what 64 bits cannot
 * hold, adding carries, and the order puts IPv4 first.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <string.h>

#include "unit.h"

#include "target-addr.h"

static struct target_addr	addr(const char *);

static struct target_addr
addr(const char *s)
{
	struct target_addr	a;

	memset(&a, 0, sizeof a);
	a.family = strchr(s, ':') != NULL ? AF_INET6 : AF_INET;
	if (inet_pton(a.family, s, a.addr) != 1)
		CU_FAIL_FATAL("bad address in the test");
	return (a);
}

static void
test_target_addr_step_carries_and_wraps(void)
{
	struct target_addr	a = addr("198.18.0.255"), b = addr("::");
	char			buf[64];

	CU_ASSERT_EQUAL(target_addr_step(&a, 1), 0);
	CU_ASSERT_STRING_EQUAL(target_addr_str(&a, buf, sizeof buf),
	    "198.18.1.0");
	CU_ASSERT_EQUAL(target_addr_step(&a, -1), 0);
	CU_ASSERT_STRING_EQUAL(target_addr_str(&a, buf, sizeof buf),
	    "198.18.0.255");
	a = addr("255.255.255.255");
	CU_ASSERT_EQUAL(target_addr_step(&a, 1), -1);
	CU_ASSERT_EQUAL(target_addr_step(&b, -1), -1);
	CU_ASSERT_STRING_EQUAL(target_addr_str(&b, buf, sizeof buf),
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
}

static void
test_target_addr_span_counts_both_ends_and_refuses_overflow(void)
{
	struct target_addr	a = addr("198.18.0.0"), b = addr("198.19.255.255");
	uint64_t		n = 0;

	CU_ASSERT_EQUAL(target_addr_span(&a, &b, &n), 0);
	CU_ASSERT_EQUAL(n, 131072);
	CU_ASSERT_EQUAL(target_addr_span(&a, &a, &n), 0);
	CU_ASSERT_EQUAL(n, 1);
	a = addr("2001:2::");
	b = addr("2001:2::ffff:ffff:ffff:fffe");
	CU_ASSERT_EQUAL(target_addr_span(&a, &b, &n), 0);
	CU_ASSERT_EQUAL(n, UINT64_MAX);
	b = addr("2001:2::ffff:ffff:ffff:ffff");
	CU_ASSERT_EQUAL(target_addr_span(&a, &b, &n), -1);
	b = addr("2001:2:0:1::");
	CU_ASSERT_EQUAL(target_addr_span(&a, &b, &n), -1);
}

static void
test_target_addr_add_carries_across_bytes(void)
{
	struct target_addr	a = addr("198.18.0.200");
	char			buf[64];

	target_addr_add(&a, 56 + 256 * 3);
	CU_ASSERT_STRING_EQUAL(target_addr_str(&a, buf, sizeof buf),
	    "198.18.4.0");
	a = addr("2001:2::ffff");
	target_addr_add(&a, 1);
	CU_ASSERT_STRING_EQUAL(target_addr_str(&a, buf, sizeof buf),
	    "2001:2::1:0");
}

static void
test_target_addr_cmp_orders_ipv4_first(void)
{
	struct target_addr	a = addr("255.255.255.255"), b = addr("::");
	struct target_addr	c = addr("198.18.0.1"), d = addr("198.18.0.2");

	CU_ASSERT(target_addr_cmp(&a, &b) < 0);
	CU_ASSERT(target_addr_cmp(&b, &a) > 0);
	CU_ASSERT(target_addr_cmp(&c, &d) < 0);
	CU_ASSERT_EQUAL(target_addr_cmp(&c, &c), 0);
	CU_ASSERT_EQUAL(target_addr_len(&c), 4);
	CU_ASSERT_EQUAL(target_addr_len(&b), 16);
}

static const struct unit_test tests[] = {
	TEST(test_target_addr_step_carries_and_wraps),
	TEST(test_target_addr_span_counts_both_ends_and_refuses_overflow),
	TEST(test_target_addr_add_carries_across_bytes),
	TEST(test_target_addr_cmp_orders_ipv4_first),
	TEST_END
};

UNIT_MAIN("target-addr", tests)
