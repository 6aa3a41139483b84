/* Tests of the scan ledger: counting, quotas, corruption, parallel use. */
#include <sys/socket.h>
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
	xasprintf(&want, "%s:3: bad line (want \"YYYY-MM-DD address"
	    " count\")", path);
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

static const struct unit_test tests[] = {
	TEST(test_ledger_counts_scans_per_target_per_day),
	TEST(test_ledger_refuses_over_quota_and_counts_nothing),
	TEST(test_ledger_corrupt_line_names_line_and_keeps_file),
	TEST(test_ledger_drops_days_before_today),
	TEST(test_ledger_parallel_writers_lose_nothing),
	TEST_END
};

UNIT_MAIN("ledger", tests)
