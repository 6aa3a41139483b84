/* Tests of the target set: adding, excluding, files, numbering, runs. */
#include <sys/types.h>
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "target.h"
#include "unit.h"

/* A set of the given specifications less the excluded ones, finished. */
static struct target_set *
make(const char *add, const char *exclude)
{
	struct target_set	*set;
	char			*copy, *spec, *last, *cause = NULL;

	set = target_set_create(0);
	copy = strdup(add);
	for (spec = strtok_r(copy, " ", &last); spec != NULL;
	    spec = strtok_r(NULL, " ", &last))
		CU_ASSERT_EQUAL_FATAL(target_set_add(set, spec, NULL, &cause),
		    0);
	free(copy);
	if (exclude != NULL)
		CU_ASSERT_EQUAL_FATAL(target_set_exclude_list(set, exclude,
		    &cause), 0);
	CU_ASSERT_EQUAL_FATAL(target_set_finish(set, &cause), 0);
	return (set);
}

static const char *
get(const struct target_set *set, uint64_t i, char *buf)
{
	struct target_addr	a;

	target_set_get(set, i, &a);
	return (target_addr_str(&a, buf, 64));
}

/* A set from a file with the given contents; returns finish's status. */
static int
from_file(const char *contents, size_t len, struct target_set **set,
    char **cause, char **path)
{
	*path = unit_tmpfile(contents, len);
	*set = target_set_create(0);
	if (target_set_add_file(*set, *path, false, cause) != 0)
		return (-1);
	return (target_set_finish(*set, cause));
}

static void
test_target_set_counts_exactly_with_excludes(void)
{
	struct target_set	*set;
	char			 buf[64];

	set = make("198.18.0.0/16", "198.18.5.0/24");
	CU_ASSERT_EQUAL(target_set_count(set), 65280);
	CU_ASSERT_STRING_EQUAL(get(set, 0, buf), "198.18.0.0");
	CU_ASSERT_STRING_EQUAL(get(set, 1279, buf), "198.18.4.255");
	CU_ASSERT_STRING_EQUAL(get(set, 1280, buf), "198.18.6.0");
	CU_ASSERT_STRING_EQUAL(get(set, 65279, buf), "198.18.255.255");
	target_set_free(set);
}

static void
test_target_set_merges_duplicates_and_overlaps(void)
{
	struct target_set	*set;
	char			 buf[64];

	set = make("198.18.0.1 198.18.0.0/30 198.18.0.1-10 198.18.0.10 "
	    "198.18.0.11", NULL);
	CU_ASSERT_EQUAL(target_set_count(set), 12);
	CU_ASSERT_STRING_EQUAL(get(set, 11, buf), "198.18.0.11");
	target_set_free(set);
}

static void
test_target_set_numbers_ipv4_then_ipv6_ascending(void)
{
	struct target_set	*set;
	struct target_addr	 a, b;
	uint64_t		 i;
	char			 buf[64];

	set = make("2001:2::/126 198.18.0.9 198.18.0.3,5 ::1 198.18.0.4",
	    NULL);
	CU_ASSERT_EQUAL_FATAL(target_set_count(set), 9);
	CU_ASSERT_STRING_EQUAL(get(set, 0, buf), "198.18.0.3");
	CU_ASSERT_STRING_EQUAL(get(set, 3, buf), "198.18.0.9");
	CU_ASSERT_STRING_EQUAL(get(set, 4, buf), "::1");
	CU_ASSERT_STRING_EQUAL(get(set, 8, buf), "2001:2::3");
	for (i = 0; i + 1 < target_set_count(set); i++) {
		target_set_get(set, i, &a);
		target_set_get(set, i + 1, &b);
		CU_ASSERT(target_addr_cmp(&a, &b) < 0);
	}
	target_set_free(set);
}

static void
test_target_set_keeps_big_ranges_as_runs(void)
{
	struct target_set	*set;
	char			 buf[64];

	set = make("10.0.0.0/8 2001:2::/65", NULL);
	CU_ASSERT_EQUAL(target_set_count(set),
	    (uint64_t)16777216 + ((uint64_t)1 << 63));
	CU_ASSERT_STRING_EQUAL(get(set, 16777215, buf), "10.255.255.255");
	CU_ASSERT_STRING_EQUAL(get(set, 16777216, buf), "2001:2::");
	CU_ASSERT_STRING_EQUAL(get(set, target_set_count(set) - 1, buf),
	    "2001:2::7fff:ffff:ffff:ffff");
	CU_ASSERT_STRING_EQUAL(get(set, 16777216 + 0x1234567890ULL, buf),
	    "2001:2::12:3456:7890");
	target_set_free(set);
}

static void
test_target_set_refuses_more_than_2_64_addresses(void)
{
	struct target_set	*set;
	char			*cause = NULL;

	set = target_set_create(0);
	CU_ASSERT_EQUAL(target_set_add(set, "2001:2::/64", NULL, &cause), 0);
	CU_ASSERT_EQUAL(target_set_finish(set, &cause), -1);
	CU_ASSERT_STRING_EQUAL(cause,
	    "more than 18446744073709551615 addresses");
	free(cause);
	target_set_free(set);
}

static void
test_target_set_excludes_across_run_edges(void)
{
	struct target_set	*set;
	char			 buf[64];

	set = make("198.18.0.0-9 198.18.0.20-29",
	    "198.18.0.0,198.18.0.5-24,198.18.0.29,2001:2::1");
	CU_ASSERT_EQUAL_FATAL(target_set_count(set), 8);
	CU_ASSERT_STRING_EQUAL(get(set, 0, buf), "198.18.0.1");
	CU_ASSERT_STRING_EQUAL(get(set, 3, buf), "198.18.0.4");
	CU_ASSERT_STRING_EQUAL(get(set, 4, buf), "198.18.0.25");
	CU_ASSERT_STRING_EQUAL(get(set, 7, buf), "198.18.0.28");
	target_set_free(set);
}

static void
test_target_set_refuses_an_empty_set(void)
{
	struct target_set	*set;
	char			*cause = NULL;

	set = target_set_create(0);
	CU_ASSERT_EQUAL(target_set_finish(set, &cause), -1);
	CU_ASSERT_STRING_EQUAL(cause, "no targets");
	free(cause);
	target_set_free(set);
}

static void
test_target_set_refuses_everything_excluded(void)
{
	struct target_set	*set;
	char			*cause = NULL;

	set = target_set_create(0);
	CU_ASSERT_EQUAL(target_set_add(set, "198.18.0.1-9", NULL, &cause), 0);
	CU_ASSERT_EQUAL(target_set_exclude(set, "198.18.0.0/24", NULL,
	    &cause), 0);
	CU_ASSERT_EQUAL(target_set_finish(set, &cause), -1);
	CU_ASSERT_STRING_EQUAL(cause, "every target is excluded");
	free(cause);
	target_set_free(set);
}

static void
test_target_set_exclude_list_names_the_bad_item(void)
{
	struct target_set	*set;
	char			*cause = NULL;

	set = target_set_create(TARGET_NO_DNS);
	CU_ASSERT_EQUAL(target_set_exclude_list(set, "198.18.0.1,,198.18.0.2",
	    &cause), -1);
	CU_ASSERT_STRING_EQUAL(cause, "\"\": empty target");
	free(cause);
	CU_ASSERT_EQUAL(target_set_exclude_list(set, "198.18.0.1,198.18.0.x",
	    &cause), -1);
	CU_ASSERT_STRING_EQUAL(cause, "\"198.18.0.x\": a hostname, and -n "
	    "forbids looking it up");
	free(cause);
	target_set_free(set);
}

static int
collect_run(const struct target_addr *first, const struct target_addr *last,
    void *arg)
{
	char	*out = arg, a[64], b[64];

	target_addr_str(first, a, sizeof a);
	target_addr_str(last, b, sizeof b);
	snprintf(out + strlen(out), 256 - strlen(out), "%s-%s ", a, b);
	return (0);
}

static int
stop_at_first(const struct target_addr *first, const struct target_addr *last,
    void *arg)
{
	(*(int *)arg)++;
	return (42);
}

static void
test_target_set_walk_gives_maximal_runs(void)
{
	struct target_set	*set;
	char			 out[256] = "";
	int			 calls = 0;

	set = make("198.18.0.1-5 198.18.0.6-9 198.18.0.20 ::1", "198.18.0.7");
	CU_ASSERT_EQUAL(target_set_walk(set, collect_run, out), 0);
	CU_ASSERT_STRING_EQUAL(out, "198.18.0.1-198.18.0.6 "
	    "198.18.0.8-198.18.0.9 198.18.0.20-198.18.0.20 ::1-::1 ");
	CU_ASSERT_EQUAL(target_set_walk(set, stop_at_first, &calls), 42);
	CU_ASSERT_EQUAL(calls, 1);
	target_set_free(set);
}

static void
test_target_set_reads_files_with_comments_and_blank_lines(void)
{
	struct target_set	*set;
	const char		 text[] = "# targets\n"
	    "198.18.0.1 198.18.0.2\t198.18.0.3   # 198.18.0.99\n"
	    "\n"
	    "   \n"
	    "  198.18.1.0/30\r\n"
	    "198.18.2.1";
	char			*cause = NULL, *path, buf[64];

	CU_ASSERT_EQUAL_FATAL(from_file(text, sizeof text - 1, &set, &cause,
	    &path), 0);
	CU_ASSERT_EQUAL(target_set_count(set), 8);
	CU_ASSERT_STRING_EQUAL(get(set, 7, buf), "198.18.2.1");
	target_set_free(set);
	unlink(path);
	free(path);
}

static void
test_target_set_file_error_names_file_and_line(void)
{
	struct target_set	*set;
	const char		 text[] = "198.18.0.1\n# ok\n198.18.0.300\n";
	char			*cause = NULL, *path, *want;

	CU_ASSERT_EQUAL(from_file(text, sizeof text - 1, &set, &cause, &path),
	    -1);
	if (asprintf(&want, "%s:3: \"198.18.0.300\": bad address: \"300\": "
	    "out of range 0-255", path) == -1)
		abort();
	CU_ASSERT_STRING_EQUAL(cause, want);
	free(want);
	free(cause);
	target_set_free(set);
	unlink(path);
	free(path);
}

static void
test_target_set_refuses_a_long_line(void)
{
	struct target_set	*set;
	char			*cause = NULL, *path, *text, *want;

	text = malloc(10240);
	memset(text, ' ', 10240);
	memcpy(text, "198.18.0.1\n", 11);
	text[10239] = '\n';
	CU_ASSERT_EQUAL(from_file(text, 10240, &set, &cause, &path), -1);
	if (asprintf(&want, "%s:2: line longer than 4096 bytes", path) == -1)
		abort();
	CU_ASSERT_STRING_EQUAL(cause, want);
	free(want);
	free(cause);
	free(text);
	target_set_free(set);
	unlink(path);
	free(path);
}

static void
test_target_set_refuses_a_nul_byte(void)
{
	struct target_set	*set;
	const char		 text[] = "198.18.0.1\n198.18.0.2\0 198.18.0.3\n";
	char			*cause = NULL, *path, *want;

	CU_ASSERT_EQUAL(from_file(text, sizeof text - 1, &set, &cause, &path),
	    -1);
	if (asprintf(&want, "%s:2: NUL byte in line", path) == -1)
		abort();
	CU_ASSERT_STRING_EQUAL(cause, want);
	free(want);
	free(cause);
	target_set_free(set);
	unlink(path);
	free(path);
}

static void
test_target_set_refuses_an_unreadable_file(void)
{
	struct target_set	*set;
	char			*cause = NULL;

	set = target_set_create(0);
	CU_ASSERT_EQUAL(target_set_add_file(set, "/nonexistent/targets",
	    false, &cause), -1);
	CU_ASSERT_STRING_EQUAL(cause,
	    "/nonexistent/targets: No such file or directory");
	free(cause);
	target_set_free(set);
}

static void
test_target_set_comment_only_file_adds_nothing(void)
{
	struct target_set	*set;
	const char		 text[] = "# nothing yet\n\n   # still nothing\n";
	char			*cause = NULL, *path;

	path = unit_tmpfile(text, sizeof text - 1);
	set = target_set_create(0);
	CU_ASSERT_EQUAL(target_set_add_file(set, path, false, &cause), 0);
	CU_ASSERT_EQUAL(target_set_add(set, "198.18.0.1", NULL, &cause), 0);
	CU_ASSERT_EQUAL(target_set_finish(set, &cause), 0);
	CU_ASSERT_EQUAL(target_set_count(set), 1);
	target_set_free(set);
	unlink(path);
	free(path);
}

static void
test_target_set_exclude_file_excludes(void)
{
	struct target_set	*set;
	const char		 text[] = "198.18.0.0/25 # low half\n"
	    "198.18.0.200-255\n";
	char			*cause = NULL, *path, buf[64];

	path = unit_tmpfile(text, sizeof text - 1);
	set = target_set_create(0);
	CU_ASSERT_EQUAL(target_set_add(set, "198.18.0.*", NULL, &cause), 0);
	CU_ASSERT_EQUAL(target_set_add_file(set, path, true, &cause), 0);
	CU_ASSERT_EQUAL_FATAL(target_set_finish(set, &cause), 0);
	CU_ASSERT_EQUAL(target_set_count(set), 72);
	CU_ASSERT_STRING_EQUAL(get(set, 0, buf), "198.18.0.128");
	CU_ASSERT_STRING_EQUAL(get(set, 71, buf), "198.18.0.199");
	target_set_free(set);
	unlink(path);
	free(path);
}

static void
test_target_set_pick_keeps_runs_and_names(void)
{
	struct target_set	*set, *pick;
	char			 out[256] = "", *cause = NULL;
	/* 198.18.0.1, .2, .3, .9 and 127.0.0.1 (localhost). */
	uint64_t		 idx[] = { 0, 1, 2, 3, 9 };

	set = target_set_create(0);
	CU_ASSERT_EQUAL_FATAL(target_set_add(set, "localhost", NULL, &cause),
	    0);
	CU_ASSERT_EQUAL_FATAL(target_set_add(set, "198.18.0.1-10", NULL,
	    &cause), 0);
	CU_ASSERT_EQUAL_FATAL(target_set_finish(set, &cause), 0);
	pick = target_set_pick(set, idx, 5);
	CU_ASSERT_EQUAL(target_set_count(pick), 5);
	CU_ASSERT_EQUAL(target_set_walk(pick, collect_run, out), 0);
	CU_ASSERT_STRING_EQUAL(out, "127.0.0.1-127.0.0.1 "
	    "198.18.0.1-198.18.0.3 198.18.0.9-198.18.0.9 ");
	CU_ASSERT_STRING_EQUAL(target_set_hostname(pick, 0), "localhost");
	CU_ASSERT_PTR_NULL(target_set_hostname(pick, 1));
	target_set_free(pick);
	target_set_free(set);
}

static void
test_target_set_remembers_hostnames(void)
{
	struct target_set	*set;
	struct target_addr	 a;
	char			*cause = NULL, buf[64];
	uint64_t		 i;
	int			 seen = 0;

	set = target_set_create(0);
	CU_ASSERT_EQUAL_FATAL(target_set_add(set, "localhost", NULL, &cause),
	    0);
	CU_ASSERT_EQUAL(target_set_add(set, "198.18.0.1", NULL, &cause), 0);
	CU_ASSERT_EQUAL_FATAL(target_set_finish(set, &cause), 0);
	for (i = 0; i < target_set_count(set); i++) {
		target_set_get(set, i, &a);
		target_addr_str(&a, buf, sizeof buf);
		if (strcmp(buf, "198.18.0.1") == 0)
			CU_ASSERT_PTR_NULL(target_set_hostname(set, i));
		if (strcmp(buf, "127.0.0.1") == 0) {
			CU_ASSERT_STRING_EQUAL(target_set_hostname(set, i),
			    "localhost");
			seen = 1;
		}
	}
	CU_ASSERT(seen);
	target_set_free(set);
}

static void
test_target_set_no_dns_refuses_hostname_in_file(void)
{
	struct target_set	*set;
	const char		 text[] = "198.18.0.1 localhost\n";
	char			*cause = NULL, *path, *want;

	path = unit_tmpfile(text, sizeof text - 1);
	set = target_set_create(TARGET_NO_DNS);
	CU_ASSERT_EQUAL(target_set_add_file(set, path, false, &cause), -1);
	if (asprintf(&want, "%s:1: \"localhost\": a hostname, and -n forbids "
	    "looking it up", path) == -1)
		abort();
	CU_ASSERT_STRING_EQUAL(cause, want);
	free(want);
	free(cause);
	target_set_free(set);
	unlink(path);
	free(path);
}

static void
test_target_set_limits_separate_ranges_in_all(void)
{
	struct target_set	*set;
	char			*cause = NULL;

	set = target_set_create(0);
	CU_ASSERT_EQUAL(target_set_add(set, "1-16.*.*.1", NULL, &cause), 0);
	CU_ASSERT_EQUAL(target_set_add(set, "17.*.*.1", NULL, &cause), -1);
	CU_ASSERT_STRING_EQUAL(cause,
	    "\"17.*.*.1\": more than 1048576 separate ranges in all");
	free(cause);
	target_set_free(set);
}

static void
test_target_set_adds_random_addresses(void)
{
	struct target_set	*set;
	char			*cause = NULL;

	set = target_set_create(0);
	CU_ASSERT_EQUAL(target_set_add_random(set, 1000, 7, &cause), 0);
	CU_ASSERT_EQUAL_FATAL(target_set_finish(set, &cause), 0);
	CU_ASSERT_EQUAL(target_set_count(set), 1000);
	target_set_free(set);

	set = target_set_create(0);
	CU_ASSERT_EQUAL(target_set_add_random(set, TARGET_RANGES_MAX + 1, 7,
	    &cause), -1);
	CU_ASSERT_STRING_EQUAL(cause, "\"1048577\": out of range 1-1048576");
	free(cause);
	target_set_free(set);
}

static const struct unit_test tests[] = {
	TEST(test_target_set_counts_exactly_with_excludes),
	TEST(test_target_set_merges_duplicates_and_overlaps),
	TEST(test_target_set_numbers_ipv4_then_ipv6_ascending),
	TEST(test_target_set_keeps_big_ranges_as_runs),
	TEST(test_target_set_refuses_more_than_2_64_addresses),
	TEST(test_target_set_excludes_across_run_edges),
	TEST(test_target_set_refuses_an_empty_set),
	TEST(test_target_set_refuses_everything_excluded),
	TEST(test_target_set_exclude_list_names_the_bad_item),
	TEST(test_target_set_walk_gives_maximal_runs),
	TEST(test_target_set_reads_files_with_comments_and_blank_lines),
	TEST(test_target_set_file_error_names_file_and_line),
	TEST(test_target_set_refuses_a_long_line),
	TEST(test_target_set_refuses_a_nul_byte),
	TEST(test_target_set_refuses_an_unreadable_file),
	TEST(test_target_set_comment_only_file_adds_nothing),
	TEST(test_target_set_exclude_file_excludes),
	TEST(test_target_set_pick_keeps_runs_and_names),
	TEST(test_target_set_remembers_hostnames),
	TEST(test_target_set_no_dns_refuses_hostname_in_file),
	TEST(test_target_set_limits_separate_ranges_in_all),
	TEST(test_target_set_adds_random_addresses),
	TEST_END
};

UNIT_MAIN("target-set", tests)
