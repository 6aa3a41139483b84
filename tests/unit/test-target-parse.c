/* Tests of parsing one target specification into runs of addresses. */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "target.h"
#include "unit.h"

/* Does r run from first to last (addresses as text)? */
static int
run_is(const struct target_range *r, const char *first, const char *last)
{
	char	a[64], b[64];

	target_addr_str(&r->first, a, sizeof a);
	target_addr_str(&r->last, b, sizeof b);
	return (strcmp(a, first) == 0 && strcmp(b, last) == 0);
}

/* Parse spec, expecting failure with exactly the reason want. */
static void
expect_error(const char *spec, int flags, const char *want)
{
	struct target_spec	 ts;
	char			*cause = NULL;

	CU_ASSERT_EQUAL(target_parse_spec(&ts, spec, flags, &cause), -1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cause);
	CU_ASSERT_STRING_EQUAL(cause, want);
	CU_ASSERT_EQUAL(ts.n, 0);
	free(cause);
}

static void
test_target_parse_reads_ipv4_address(void)
{
	struct target_spec	 ts;
	char			*cause = NULL;

	CU_ASSERT_EQUAL_FATAL(target_parse_spec(&ts, "198.18.0.7", 0,
	    &cause), 0);
	CU_ASSERT_EQUAL_FATAL(ts.n, 1);
	CU_ASSERT(run_is(&ts.v[0], "198.18.0.7", "198.18.0.7"));
	CU_ASSERT_EQUAL(ts.v[0].first.family, AF_INET);
	CU_ASSERT_PTR_NULL(ts.hostname);
	target_parse_free(&ts);
}

static void
test_target_parse_reads_ipv6_address(void)
{
	struct target_spec	 ts;
	char			*cause = NULL;

	CU_ASSERT_EQUAL_FATAL(target_parse_spec(&ts, "2001:2::1", 0, &cause),
	    0);
	CU_ASSERT_EQUAL_FATAL(ts.n, 1);
	CU_ASSERT(run_is(&ts.v[0], "2001:2::1", "2001:2::1"));
	CU_ASSERT_EQUAL(ts.v[0].first.family, AF_INET6);
	target_parse_free(&ts);
}

static void
test_target_parse_cidr_covers_whole_block(void)
{
	struct target_spec	 ts;
	char			*cause = NULL;

	CU_ASSERT_EQUAL_FATAL(target_parse_spec(&ts, "198.18.0.77/24", 0,
	    &cause), 0);
	CU_ASSERT_EQUAL_FATAL(ts.n, 1);
	CU_ASSERT(run_is(&ts.v[0], "198.18.0.0", "198.18.0.255"));
	target_parse_free(&ts);

	CU_ASSERT_EQUAL_FATAL(target_parse_spec(&ts, "198.18.3.3/15", 0,
	    &cause), 0);
	CU_ASSERT(run_is(&ts.v[0], "198.18.0.0", "198.19.255.255"));
	target_parse_free(&ts);

	CU_ASSERT_EQUAL_FATAL(target_parse_spec(&ts, "2001:2::5/126", 0,
	    &cause), 0);
	CU_ASSERT(run_is(&ts.v[0], "2001:2::4", "2001:2::7"));
	target_parse_free(&ts);
}

static void
test_target_parse_accepts_every_prefix_length(void)
{
	struct target_spec	 ts;
	char			*cause = NULL;

	CU_ASSERT_EQUAL_FATAL(target_parse_spec(&ts, "198.18.0.1/0", 0,
	    &cause), 0);
	CU_ASSERT(run_is(&ts.v[0], "0.0.0.0", "255.255.255.255"));
	target_parse_free(&ts);
	CU_ASSERT_EQUAL_FATAL(target_parse_spec(&ts, "198.18.0.1/32", 0,
	    &cause), 0);
	CU_ASSERT(run_is(&ts.v[0], "198.18.0.1", "198.18.0.1"));
	target_parse_free(&ts);
	CU_ASSERT_EQUAL_FATAL(target_parse_spec(&ts, "2001:2::1/0", 0,
	    &cause), 0);
	CU_ASSERT(run_is(&ts.v[0], "::",
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
	target_parse_free(&ts);
	CU_ASSERT_EQUAL_FATAL(target_parse_spec(&ts, "2001:2::1/128", 0,
	    &cause), 0);
	CU_ASSERT(run_is(&ts.v[0], "2001:2::1", "2001:2::1"));
	target_parse_free(&ts);
}

static void
test_target_parse_rejects_prefix_33(void)
{
	expect_error("198.18.0.0/33", 0,
	    "\"198.18.0.0/33\": prefix \"33\": out of range 0-32");
}

static void
test_target_parse_rejects_prefix_129(void)
{
	expect_error("2001:2::/129", 0,
	    "\"2001:2::/129\": prefix \"129\": out of range 0-128");
}

static void
test_target_parse_rejects_empty_prefix(void)
{
	expect_error("198.18.0.0/", 0,
	    "\"198.18.0.0/\": prefix \"\": not a number");
}

static void
test_target_parse_octet_ranges_make_one_run_per_prefix(void)
{
	struct target_spec	 ts;
	char			*cause = NULL;

	CU_ASSERT_EQUAL_FATAL(target_parse_spec(&ts, "198.18.0-1.1-254", 0,
	    &cause), 0);
	CU_ASSERT_EQUAL_FATAL(ts.n, 2);
	CU_ASSERT(run_is(&ts.v[0], "198.18.0.1", "198.18.0.254"));
	CU_ASSERT(run_is(&ts.v[1], "198.18.1.1", "198.18.1.254"));
	target_parse_free(&ts);
}

static void
test_target_parse_star_is_every_value(void)
{
	struct target_spec	 ts;
	char			*cause = NULL;

	CU_ASSERT_EQUAL_FATAL(target_parse_spec(&ts, "198.18.0.*", 0,
	    &cause), 0);
	CU_ASSERT_EQUAL_FATAL(ts.n, 1);
	CU_ASSERT(run_is(&ts.v[0], "198.18.0.0", "198.18.0.255"));
	target_parse_free(&ts);
}

static void
test_target_parse_comma_lists_in_an_octet(void)
{
	struct target_spec	 ts;
	char			*cause = NULL;

	CU_ASSERT_EQUAL_FATAL(target_parse_spec(&ts, "198.18.0.1,3,5", 0,
	    &cause), 0);
	CU_ASSERT_EQUAL_FATAL(ts.n, 3);
	CU_ASSERT(run_is(&ts.v[0], "198.18.0.1", "198.18.0.1"));
	CU_ASSERT(run_is(&ts.v[1], "198.18.0.3", "198.18.0.3"));
	CU_ASSERT(run_is(&ts.v[2], "198.18.0.5", "198.18.0.5"));
	target_parse_free(&ts);

	CU_ASSERT_EQUAL_FATAL(target_parse_spec(&ts, "198.18.0.5-9,1-6", 0,
	    &cause), 0);
	CU_ASSERT_EQUAL_FATAL(ts.n, 1);
	CU_ASSERT(run_is(&ts.v[0], "198.18.0.1", "198.18.0.9"));
	target_parse_free(&ts);

	CU_ASSERT_EQUAL_FATAL(target_parse_spec(&ts, "198.18,19.0.1", 0,
	    &cause), 0);
	CU_ASSERT_EQUAL_FATAL(ts.n, 2);
	CU_ASSERT(run_is(&ts.v[1], "198.19.0.1", "198.19.0.1"));
	target_parse_free(&ts);
}

static void
test_target_parse_open_ended_octet_ranges(void)
{
	struct target_spec	 ts;
	char			*cause = NULL;

	CU_ASSERT_EQUAL_FATAL(target_parse_spec(&ts, "198.18.0.-5", 0,
	    &cause), 0);
	CU_ASSERT(run_is(&ts.v[0], "198.18.0.0", "198.18.0.5"));
	target_parse_free(&ts);
	CU_ASSERT_EQUAL_FATAL(target_parse_spec(&ts, "198.18.0.250-", 0,
	    &cause), 0);
	CU_ASSERT(run_is(&ts.v[0], "198.18.0.250", "198.18.0.255"));
	target_parse_free(&ts);
}

static void
test_target_parse_whole_trailing_octets_join_runs(void)
{
	struct target_spec	 ts;
	char			*cause = NULL;

	CU_ASSERT_EQUAL_FATAL(target_parse_spec(&ts, "10.*.*.*", 0, &cause),
	    0);
	CU_ASSERT_EQUAL_FATAL(ts.n, 1);
	CU_ASSERT(run_is(&ts.v[0], "10.0.0.0", "10.255.255.255"));
	target_parse_free(&ts);

	CU_ASSERT_EQUAL_FATAL(target_parse_spec(&ts, "1-254.*.0-255.*", 0,
	    &cause), 0);
	CU_ASSERT_EQUAL_FATAL(ts.n, 1);
	CU_ASSERT(run_is(&ts.v[0], "1.0.0.0", "254.255.255.255"));
	target_parse_free(&ts);

	CU_ASSERT_EQUAL_FATAL(target_parse_spec(&ts, "198.18,19.1-2.*", 0,
	    &cause), 0);
	CU_ASSERT_EQUAL_FATAL(ts.n, 2);
	CU_ASSERT(run_is(&ts.v[0], "198.18.1.0", "198.18.2.255"));
	CU_ASSERT(run_is(&ts.v[1], "198.19.1.0", "198.19.2.255"));
	target_parse_free(&ts);
}

static void
test_target_parse_refuses_pattern_needing_too_many_runs(void)
{
	expect_error("1-254.1-254.1-254.1-254", 0,
	    "\"1-254.1-254.1-254.1-254\": needs 16387064 separate ranges, "
	    "more than 1048576; use CIDR blocks");
}

static void
test_target_parse_accepts_pattern_at_the_limit(void)
{
	struct target_spec	 ts;
	char			*cause = NULL;

	/* 16 x 256 x 256 runs: exactly TARGET_RANGES_MAX. */
	CU_ASSERT_EQUAL_FATAL(target_parse_spec(&ts, "1-16.*.*.1", 0,
	    &cause), 0);
	CU_ASSERT_EQUAL(ts.n, TARGET_RANGES_MAX);
	CU_ASSERT(run_is(&ts.v[ts.n - 1], "16.255.255.1", "16.255.255.1"));
	target_parse_free(&ts);
}

static void
test_target_parse_rejects_reversed_range(void)
{
	expect_error("198.18.0.5-1", 0,
	    "\"198.18.0.5-1\": reversed range 5-1");
}

static void
test_target_parse_rejects_octet_above_255(void)
{
	expect_error("198.18.0.300", 0,
	    "\"198.18.0.300\": bad address: \"300\": out of range 0-255");
}

static void
test_target_parse_rejects_three_octets(void)
{
	expect_error("1.2.3", 0, "\"1.2.3\": bad address");
	expect_error("1.2.3.4.5", 0, "\"1.2.3.4.5\": bad address");
	expect_error("198.18..1", 0, "\"198.18..1\": bad address: \"\": "
	    "not a number");
}

static void
test_target_parse_rejects_empty_spec(void)
{
	expect_error("", 0, "\"\": empty target");
}

static void
test_target_parse_rejects_prefix_on_a_range(void)
{
	expect_error("198.18.0.1-5/24", 0,
	    "\"198.18.0.1-5/24\": a /prefix needs a plain address, not a "
	    "range");
}

static void
test_target_parse_rejects_bad_ipv6(void)
{
	expect_error("2001:2::1::2", 0, "\"2001:2::1::2\": bad address");
	expect_error("2001:2::1-5", 0, "\"2001:2::1-5\": bad address");
}

static void
test_target_parse_rejects_bad_hostname(void)
{
	expect_error("bad name!", 0, "\"bad name!\": bad address or hostname");
	expect_error("localhost/24", 0,
	    "\"localhost/24\": a /prefix needs an address, not a hostname");
}

static void
test_target_parse_no_dns_refuses_hostname(void)
{
	expect_error("localhost", TARGET_NO_DNS,
	    "\"localhost\": a hostname, and -n forbids looking it up");
}

static void
test_target_parse_resolves_localhost(void)
{
	struct target_spec	 ts;
	char			*cause = NULL;
	size_t			 i;
	int			 loopback = 0;

	CU_ASSERT_EQUAL_FATAL(target_parse_spec(&ts, "localhost", 0, &cause),
	    0);
	CU_ASSERT_STRING_EQUAL(ts.hostname, "localhost");
	CU_ASSERT(ts.n >= 1);
	for (i = 0; i < ts.n; i++) {
		CU_ASSERT_EQUAL(ts.v[i].first.family, AF_INET);
		CU_ASSERT_EQUAL(target_addr_cmp(&ts.v[i].first,
		    &ts.v[i].last), 0);
		loopback |= run_is(&ts.v[i], "127.0.0.1", "127.0.0.1");
	}
	CU_ASSERT(loopback);
	target_parse_free(&ts);
}

static const struct unit_test tests[] = {
	TEST(test_target_parse_reads_ipv4_address),
	TEST(test_target_parse_reads_ipv6_address),
	TEST(test_target_parse_cidr_covers_whole_block),
	TEST(test_target_parse_accepts_every_prefix_length),
	TEST(test_target_parse_rejects_prefix_33),
	TEST(test_target_parse_rejects_prefix_129),
	TEST(test_target_parse_rejects_empty_prefix),
	TEST(test_target_parse_octet_ranges_make_one_run_per_prefix),
	TEST(test_target_parse_star_is_every_value),
	TEST(test_target_parse_comma_lists_in_an_octet),
	TEST(test_target_parse_open_ended_octet_ranges),
	TEST(test_target_parse_whole_trailing_octets_join_runs),
	TEST(test_target_parse_refuses_pattern_needing_too_many_runs),
	TEST(test_target_parse_accepts_pattern_at_the_limit),
	TEST(test_target_parse_rejects_reversed_range),
	TEST(test_target_parse_rejects_octet_above_255),
	TEST(test_target_parse_rejects_three_octets),
	TEST(test_target_parse_rejects_empty_spec),
	TEST(test_target_parse_rejects_prefix_on_a_range),
	TEST(test_target_parse_rejects_bad_ipv6),
	TEST(test_target_parse_rejects_bad_hostname),
	TEST(test_target_parse_no_dns_refuses_hostname),
	TEST(test_target_parse_resolves_localhost),
	TEST_END
};

UNIT_MAIN("target-parse", tests)
