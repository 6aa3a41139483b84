/* Tests of the scan ledger: counting, quotas, corruption, parallel use. */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ledger.h"
#include "unit.h"
#include "xmalloc.h"

#define DAY	86400
/* 2024-10-04 12:00 UTC */
#define NOON	((time_t)20000 * DAY + 12 * 3600)

static char	*dir;
static char	*path;

static void
setup(void)
{
	char	tmpl[] = "/tmp/tact-ledger-XXXXXX";

	dir = xstrdup(mkdtemp(tmpl));
	xasprintf(&path, "%s/state/tact/ledger", dir);
}

static void
teardown(void)
{
	char	*cmd;

	xasprintf(&cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		abort();
	free(cmd);
	free(dir);
	free(path);
}

static struct ledger_charge
charge(uint8_t last, uint32_t quota)
{
	struct ledger_charge	c;

	memset(&c, 0, sizeof c);
	c.addr.family = AF_INET;
	c.addr.addr[0] = 198;
	c.addr.addr[1] = 18;
	c.addr.addr[3] = last;
	c.quota = quota;
	return (c);
}

static char *
slurp(const char *p)
{
	FILE	*f;
	char	*buf = xcalloc(1, 65536);

	if ((f = fopen(p, "r")) != NULL) {
		if (fread(buf, 1, 65535, f) == 0)
			buf[0] = '\0';
		fclose(f);
	}
	return (buf);
}

static void
test_ledger_counts_scans_per_target_per_day(void)
{
	struct ledger_charge	c[2] = { charge(1, 0), charge(2, 0) };
	uint32_t		n;
	char			*cause = NULL, *text;

	setup();
	CU_ASSERT_EQUAL(ledger_charge(path, c, 2, NOON, &cause), LEDGER_OK);
	CU_ASSERT_EQUAL(ledger_charge(path, c, 1, NOON + 60, &cause),
	    LEDGER_OK);
	CU_ASSERT_EQUAL(ledger_count(path, &c[0].addr, NOON, &n, &cause),
	    LEDGER_OK);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_EQUAL(ledger_count(path, &c[1].addr, NOON, &n, &cause),
	    LEDGER_OK);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_EQUAL(ledger_count(path, &c[0].addr, NOON + DAY, &n,
	    &cause), LEDGER_OK);
	CU_ASSERT_EQUAL(n, 0);
	text = slurp(path);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n2024-10-04 198.18.0.1 2\n"));
	free(text);
	teardown();
}

static void
test_ledger_refuses_over_quota_and_counts_nothing(void)
{
	struct ledger_charge	c[2] = { charge(1, 5), charge(2, 3) };
	uint32_t		n;
	char			*cause = NULL;
	int			i;

	setup();
	for (i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(ledger_charge(path, c, 2, NOON, &cause),
		    LEDGER_OK);
	CU_ASSERT_EQUAL(ledger_charge(path, c, 2, NOON, &cause),
	    LEDGER_OVER_QUOTA);
	CU_ASSERT_STRING_EQUAL(cause, "198.18.0.2: 3 scans today, its daily"
	    " quota; the next is allowed at 2024-10-05 00:00 UTC");
	free(cause);
	CU_ASSERT_EQUAL(ledger_count(path, &c[0].addr, NOON, &n, &cause),
	    LEDGER_OK);
	CU_ASSERT_EQUAL(n, 3);
	/* The next UTC day starts afresh. */
	CU_ASSERT_EQUAL(ledger_charge(path, c, 2, NOON + DAY / 2, &cause),
	    LEDGER_OK);
	teardown();
}

static void
test_ledger_corrupt_line_names_line_and_keeps_file(void)
{
	struct ledger_charge	 c = charge(1, 0);
	FILE			*f;
	char			*cause = NULL, *before, *after, *want;

	setup();
	CU_ASSERT_EQUAL(ledger_charge(path, &c, 1, NOON, &cause), LEDGER_OK);
	f = fopen(path, "a");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("2024-10-04 198.18.0.300 1\n", f);
	fclose(f);
	before = slurp(path);
	CU_ASSERT_EQUAL(ledger_charge(path, &c, 1, NOON, &cause),
	    LEDGER_CORRUPT);
	xasprintf(&want, "%s:3: address \"198.18.0.300\": not an IPv4 or"
	    " IPv6 address", path);
	CU_ASSERT_STRING_EQUAL(cause, want);
	after = slurp(path);
	CU_ASSERT_STRING_EQUAL(before, after);
	free(want);
	free(cause);
	free(before);
	free(after);
	teardown();
}

static void
put(const char *text)
{
	FILE	*f;
	char	*cause = NULL;

	/* A first charge makes the directories. */
	if (access(path, F_OK) != 0)
		CU_ASSERT_EQUAL(ledger_charge(path, NULL, 0, NOON, &cause),
		    LEDGER_OK);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
}

/* Each bad day, and the part of the message that names it. */
static const struct {
	const char	*line;
	const char	*want;
} bad_days[] = {
	{ "-013-11-29 198.18.0.2 1", ":2: day \"-013-11-29\": want" },
	{ "+024-10-04 198.18.0.2 1", ":2: day \"+024-10-04\"" },
	{ "2024-+1-04 198.18.0.2 1", ":2: day \"2024-+1-04\"" },
	{ "2024-10- 4 198.18.0.2 1", ":2: 4 fields, want 3" },
	{ "1969-12-31 198.18.0.2 1", ":2: day \"1969-12-31\"" },
	{ "0000-01-01 198.18.0.2 1", ":2: day \"0000-01-01\"" },
	{ "2024-13-01 198.18.0.2 1", ":2: day \"2024-13-01\"" },
	{ "2024-00-10 198.18.0.2 1", ":2: day \"2024-00-10\"" },
	{ "2024-10-00 198.18.0.2 1", ":2: day \"2024-10-00\"" },
	{ "2024-04-31 198.18.0.2 1", ":2: day \"2024-04-31\"" },
	{ "2023-02-29 198.18.0.2 1", ":2: day \"2023-02-29\"" },
	{ "2100-02-29 198.18.0.2 1", ":2: day \"2100-02-29\"" },
	{ "20241004 198.18.0.2 1", ":2: day \"20241004\"" },
	{ "2024-10-04x 198.18.0.2 1", ":2: day \"2024-10-04x\"" },
	{ "2024-10-04 198.18.0.2", ":2: 2 fields, want 3" },
	{ "2024-10-04 198.18.0.2 1 2", ":2: 4 fields, want 3" },
	{ "2024-10-04 198.18.0.2 0", ":2: count \"0\": out of range" },
	{ "2024-10-04 198.18.0.2 -1", ":2: count \"-1\": not a number" },
	{ "2024-10-04 \033]0;x\007 1", ":2: address \"\\x1B]0;x\\x07\"" },
};

static void
test_ledger_refuses_bad_days_naming_line_and_field(void)
{
	struct ledger_charge	 c = charge(1, 3);
	char			*cause, *text, *before;
	size_t			 i;

	setup();
	for (i = 0; i < sizeof bad_days / sizeof bad_days[0]; i++) {
		xasprintf(&text, "# tact ledger\n%s\n", bad_days[i].line);
		put(text);
		before = slurp(path);
		cause = NULL;
		CU_ASSERT_EQUAL(ledger_charge(path, &c, 1, NOON, &cause),
		    LEDGER_CORRUPT);
		CU_ASSERT_PTR_NOT_NULL_FATAL(cause);
		if (strncmp(cause, path, strlen(path)) != 0 ||
		    strstr(cause, bad_days[i].want) == NULL)
			fprintf(stderr, "\n%s: got %s\n", bad_days[i].line,
			    cause);
		CU_ASSERT_EQUAL(strncmp(cause, path, strlen(path)), 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(cause, bad_days[i].want));
		free(cause);
		free(text);
		text = slurp(path);
		CU_ASSERT_STRING_EQUAL(text, before);
		free(text);
		free(before);
	}
	teardown();
}

static void
test_ledger_takes_leap_days_and_far_years(void)
{
	struct ledger_charge	 c = charge(2, 0);
	char			*cause = NULL, *text;

	setup();
	put("2024-02-29 198.18.0.2 1\n2000-02-29 198.18.0.2 1\n"
	    "9999-12-31 198.18.0.2 7\n");
	CU_ASSERT_EQUAL(ledger_charge(path, &c, 1, NOON, &cause), LEDGER_OK);
	text = slurp(path);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n2024-10-04 198.18.0.2 1\n"
	    "9999-12-31 198.18.0.2 7\n"));
	free(text);
	teardown();
}

/*
 * What the ledger writes reads back as the same ledger: written again
 * with nothing charged, the file does not change by one byte.
 */
static void
test_ledger_reads_back_what_it_writes(void)
{
	struct ledger_charge	 c[3] = { charge(1, 0), charge(2, 0) };
	char			*cause = NULL, *first, *second;

	setup();
	memset(&c[2], 0, sizeof c[2]);
	c[2].addr.family = AF_INET6;
	c[2].addr.addr[0] = 0x20;
	c[2].addr.addr[1] = 0x01;
	c[2].addr.addr[3] = 0x02;
	c[2].addr.addr[15] = 0x05;
	put("2024-10-04 198.18.0.2 4294967295\n"
	    "2024-10-05   ::ffff:198.18.0.9   3\n"
	    "2024-10-04 198.18.0.1 2\n2024-10-04 198.18.0.1 5\n"
	    "2028-02-29 2001:2:0:0::5 1\n");
	CU_ASSERT_EQUAL(ledger_charge(path, c, 3, NOON, &cause), LEDGER_OK);
	first = slurp(path);
	CU_ASSERT_EQUAL(ledger_charge(path, NULL, 0, NOON, &cause), LEDGER_OK);
	second = slurp(path);
	CU_ASSERT_STRING_EQUAL(first, second);
	CU_ASSERT_STRING_EQUAL(first, "# tact ledger: UTC day, target, scans"
	    " that day\n2024-10-04 198.18.0.1 8\n2024-10-04 198.18.0.2"
	    " 4294967295\n2024-10-04 2001:2::5 1\n2024-10-05"
	    " ::ffff:198.18.0.9 3\n2028-02-29 2001:2::5 1\n");
	free(first);
	free(second);
	teardown();
}

static void
test_ledger_drops_days_before_today(void)
{
	struct ledger_charge	 c = charge(9, 0);
	char			*cause = NULL, *text;

	setup();
	CU_ASSERT_EQUAL(ledger_charge(path, &c, 1, NOON - 2 * DAY, &cause),
	    LEDGER_OK);
	CU_ASSERT_EQUAL(ledger_charge(path, &c, 1, NOON, &cause), LEDGER_OK);
	text = slurp(path);
	CU_ASSERT_PTR_NULL(strstr(text, "2024-10-02"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "2024-10-04 198.18.0.9 1"));
	free(text);
	teardown();
}

/* N processes each add M scans of one target: none may be lost. */
static void
test_ledger_parallel_writers_lose_nothing(void)
{
	enum { N = 8, M = 25 };
	struct ledger_charge	 c[2] = { charge(7, 0), charge(8, 0) };
	pid_t			 pids[N];
	uint32_t		 n;
	char			*cause = NULL;
	int			 i, j, status, ok = 1;

	setup();
	for (i = 0; i < N; i++) {
		if ((pids[i] = fork()) == 0) {
			for (j = 0; j < M; j++) {
				if (ledger_charge(path, c, 1 + (j & 1), NOON,
				    &cause) != LEDGER_OK)
					_exit(1);
			}
			_exit(0);
		}
		CU_ASSERT_FATAL(pids[i] > 0);
	}
	for (i = 0; i < N; i++) {
		if (waitpid(pids[i], &status, 0) != pids[i] ||
		    !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			ok = 0;
	}
	CU_ASSERT_TRUE(ok);
	CU_ASSERT_EQUAL(ledger_count(path, &c[0].addr, NOON, &n, &cause),
	    LEDGER_OK);
	CU_ASSERT_EQUAL(n, N * M);
	CU_ASSERT_EQUAL(ledger_count(path, &c[1].addr, NOON, &n, &cause),
	    LEDGER_OK);
	CU_ASSERT_EQUAL(n, N * (M / 2));
	teardown();
}

/* Links planted beside the ledger point nowhere the ledger writes. */
static void
test_ledger_never_writes_through_a_planted_link(void)
{
	struct ledger_charge	 c[1] = { charge(1, 5) };
	struct stat		 sb;
	char			*victim, *tmp, *text, *cause = NULL;
	FILE			*f;

	setup();
	xasprintf(&victim, "%s/victim", dir);
	f = fopen(victim, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("keep\n", f);
	fclose(f);
	CU_ASSERT_EQUAL(ledger_charge(path, c, 1, NOON, &cause), LEDGER_OK);
	xasprintf(&tmp, "%s.tmp", path);
	CU_ASSERT_EQUAL_FATAL(symlink(victim, tmp), 0);
	CU_ASSERT_EQUAL(ledger_charge(path, c, 1, NOON, &cause), LEDGER_OK);
	text = slurp(victim);
	CU_ASSERT_STRING_EQUAL(text, "keep\n");
	free(text);
	CU_ASSERT_EQUAL(lstat(tmp, &sb), 0);
	CU_ASSERT(S_ISLNK(sb.st_mode));

	/* The ledger itself a link: refused, not read, not replaced. */
	CU_ASSERT_EQUAL_FATAL(unlink(path), 0);
	CU_ASSERT_EQUAL_FATAL(symlink(victim, path), 0);
	CU_ASSERT_EQUAL(ledger_charge(path, c, 1, NOON, &cause),
	    LEDGER_FAILED);
	CU_ASSERT(cause != NULL && strstr(cause, "symbolic link") != NULL &&
	    strstr(cause, "keep") == NULL);
	free(cause);
	CU_ASSERT_EQUAL(lstat(path, &sb), 0);
	CU_ASSERT(S_ISLNK(sb.st_mode));
	text = slurp(victim);
	CU_ASSERT_STRING_EQUAL(text, "keep\n");
	free(text);
	free(tmp);
	free(victim);
	teardown();
}

static const struct unit_test tests[] = {
	TEST(test_ledger_counts_scans_per_target_per_day),
	TEST(test_ledger_refuses_over_quota_and_counts_nothing),
	TEST(test_ledger_corrupt_line_names_line_and_keeps_file),
	TEST(test_ledger_refuses_bad_days_naming_line_and_field),
	TEST(test_ledger_takes_leap_days_and_far_years),
	TEST(test_ledger_reads_back_what_it_writes),
	TEST(test_ledger_drops_days_before_today),
	TEST(test_ledger_parallel_writers_lose_nothing),
	TEST(test_ledger_never_writes_through_a_planted_link),
	TEST_END
};

UNIT_MAIN("ledger", tests)
