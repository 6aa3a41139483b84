/* Tests of scope files and of the policy check before a scan. */
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ledger.h"
#include "profile.h"
#include "scope.h"
#include "unit.h"
#include "xmalloc.h"

/* 2026-09-15 12:00 UTC, inside the scope below. */
#define NOW	((time_t)1789473600)

static const char scope_yaml[] =
    "reference: SOW-42\n"
    "authorized_by: \"J. Owner <owner@example.org>\"\n"
    "valid_from: 2026-09-01T08:00:00+02:00\n"
    "valid_until: 2026-10-01\n"
    "networks:\n"
    "  - 198.18.0.0/24\n"
    "  - 2001:2::/48\n"
    "hostnames: [lab.example.org]\n"
    "exclude:\n"
    "  - 198.18.0.5\n";

static char *
write_file(const char *text)
{
	return (unit_tmpfile(text, strlen(text)));
}

static struct scope *
load(const char *text, char **path, char **cause)
{
	*path = write_file(text);
	return (scope_load(*path, cause));
}

static struct target_set *
targets(const char *spec)
{
	struct target_set	*set;
	char			*cause = NULL, *copy, *item, *last;

	set = target_set_create(TARGET_NO_DNS);
	copy = xstrdup(spec);
	for (item = strtok_r(copy, " ", &last); item != NULL;
	    item = strtok_r(NULL, " ", &last)) {
		if (target_set_add(set, item, NULL, &cause) != 0)
			abort();
	}
	free(copy);
	if (target_set_finish(set, &cause) != 0)
		abort();
	return (set);
}

static enum scope_verdict
check(const struct scope *s, const char *spec, time_t now, char **reason)
{
	struct target_set	*set = targets(spec);
	enum scope_verdict	 v;

	*reason = NULL;
	v = scope_check(s, set, now, reason);
	target_set_free(set);
	return (v);
}

static void
test_scope_loads_fields_and_dates(void)
{
	struct scope	*s;
	char		*path, *cause = NULL;

	s = load(scope_yaml, &path, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(s->reference, "SOW-42");
	CU_ASSERT_STRING_EQUAL(s->authorized_by,
	    "J. Owner <owner@example.org>");
	/* 08:00+02:00 is 06:00 UTC; a date alone ends at its midnight. */
	CU_ASSERT_EQUAL(s->valid_from, (time_t)1788242400);
	CU_ASSERT_EQUAL(s->valid_until, (time_t)1790899200);
	CU_ASSERT_EQUAL(s->nnetworks, 2);
	CU_ASSERT_EQUAL(s->nhostnames, 1);
	CU_ASSERT_EQUAL(s->nexclude, 1);
	scope_free(s);
	unlink(path);
	free(path);
}

static void
test_scope_bad_network_names_line_and_column(void)
{
	char	*path, *cause = NULL, *want;

	CU_ASSERT_PTR_NULL(load("reference: X\nauthorized_by: me\n"
	    "valid_until: 2026-10-01\nnetworks:\n  - 198.18.0.0/24\n"
	    "  - 198.18.0.300\n", &path, &cause));
	CU_ASSERT_PTR_NOT_NULL_FATAL(cause);
	xasprintf(&want, "%s:6:5: networks: ", path);
	CU_ASSERT_EQUAL(strncmp(cause, want, strlen(want)), 0);
	free(want);
	free(cause);
	unlink(path);
	free(path);
}

static void
test_scope_rejects_c1_and_bidi_controls(void)
{
	static const char *const bad[] = {
		"\"CHG\\x9b2J\"", "\"CHG\\u202E1\"", "\"CHG\\u2068\"",
		"CHG\xe2\x80\xab",
	};
	char	*path, *cause, *text;
	size_t	 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		xasprintf(&text, "reference: %s\nauthorized_by: me\n"
		    "valid_until: 2026-10-01\nnetworks: [198.18.0.0/24]\n",
		    bad[i]);
		cause = NULL;
		CU_ASSERT_PTR_NULL(load(text, &path, &cause));
		CU_ASSERT_PTR_NOT_NULL_FATAL(cause);
		if (strstr(cause, ":1:12: reference: control character U+") ==
		    NULL)
			fprintf(stderr, "\n%s: got %s\n", bad[i], cause);
		CU_ASSERT_PTR_NOT_NULL(strstr(cause,
		    ":1:12: reference: control character U+"));
		free(cause);
		unlink(path);
		free(path);
		free(text);
	}
}

static void
test_scope_rejects_bad_dates(void)
{
	static const char *bad[] = {
		"2026-02-30", "2026-13-01", "2026-10-01T25:00Z", "26-10-01",
		"2026-10-01T08:00+0200", "2026-10-01x", "tomorrow", NULL
	};
	const char	**b;
	char		 *text, *path, *cause;

	for (b = bad; *b != NULL; b++) {
		xasprintf(&text, "reference: X\nauthorized_by: me\n"
		    "valid_until: \"%s\"\nnetworks: [198.18.0.0/24]\n", *b);
		cause = NULL;
		CU_ASSERT_PTR_NULL(load(text, &path, &cause));
		CU_ASSERT_PTR_NOT_NULL(cause != NULL ? strstr(cause,
		    ":3:14: valid_until: ") : NULL);
		free(cause);
		free(text);
		unlink(path);
		free(path);
	}
}

static void
test_scope_loopback_always_in_scope(void)
{
	struct scope	*s;
	char		*path, *cause = NULL, *reason;

	CU_ASSERT_EQUAL(check(NULL, "127.0.0.1 127.1.2.0/24 ::1", NOW,
	    &reason), SCOPE_OK);
	s = load(scope_yaml, &path, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(check(s, "127.0.0.1 198.18.0.7", NOW, &reason),
	    SCOPE_OK);
	scope_free(s);
	unlink(path);
	free(path);
}

static void
test_scope_refuses_first_target_outside(void)
{
	struct scope	*s;
	char		*path, *cause = NULL, *reason, *want;

	s = load(scope_yaml, &path, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(check(s, "198.18.0.0/25 2001:2::1", NOW, &reason),
	    SCOPE_REFUSED);
	CU_ASSERT_PTR_NOT_NULL(reason != NULL ?
	    strstr(reason, "198.18.0.5: not in scope file") : NULL);
	free(reason);
	CU_ASSERT_EQUAL(check(s, "198.18.0.200-255 198.18.1.0/24", NOW,
	    &reason), SCOPE_REFUSED);
	xasprintf(&want, "198.18.1.0: not in scope file %s (SOW-42)", path);
	CU_ASSERT_STRING_EQUAL(reason, want);
	free(want);
	free(reason);
	CU_ASSERT_EQUAL(check(s, "198.18.0.6-254 2001:2:0:ffff::/120", NOW,
	    &reason), SCOPE_OK);
	scope_free(s);
	unlink(path);
	free(path);
}

static void
test_scope_refuses_outside_validity(void)
{
	struct scope	*s;
	char		*path, *cause = NULL, *reason;

	s = load(scope_yaml, &path, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(check(s, "198.18.0.7", (time_t)1790899200, &reason),
	    SCOPE_REFUSED);
	CU_ASSERT_STRING_EQUAL(reason, "scope SOW-42 expired 2026-10-01");
	free(reason);
	CU_ASSERT_EQUAL(check(s, "198.18.0.7", (time_t)1788242399, &reason),
	    SCOPE_REFUSED);
	CU_ASSERT_STRING_EQUAL(reason, "scope SOW-42 is not valid before"
	    " 2026-09-01T08:00:00+02:00");
	free(reason);
	scope_free(s);
	unlink(path);
	free(path);
}

static void
test_scope_without_file_needs_permission(void)
{
	char	*reason;

	CU_ASSERT_EQUAL(check(NULL, "127.0.0.1 198.18.3.4", NOW, &reason),
	    SCOPE_NEED_PERMISSION);
	CU_ASSERT_STRING_EQUAL(reason, "198.18.3.4: no scope file covers it");
	free(reason);
}

static void
test_scope_policy_enforces_quota_and_permission(void)
{
	struct profile		 p;
	struct scope_policy	 pol;
	struct target_set	*set;
	struct target_addr	 fake;
	char			 dir[] = "/tmp/tact-scope-XXXXXX";
	char			*ledger, *cause = NULL, **v, *cmd;
	size_t			 n, i;
	int			 k;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	xasprintf(&ledger, "%s/ledger", dir);
	memset(&p, 0, sizeof p);
	p.name = (char *)"test";
	p.max_hosts = 4;
	memset(&pol, 0, sizeof pol);
	pol.profile = &p;
	pol.ledger = ledger;
	pol.now = NOW;
	/* Stands for scanme.nmap.org's address; never resolved here. */
	memset(&fake, 0, sizeof fake);
	fake.family = AF_INET;
	memcpy(fake.addr, "\xc6\x12\x00\x07", 4);
	pol.scanme = &fake;
	pol.nscanme = 1;

	set = targets("198.18.0.7 198.18.0.8");
	CU_ASSERT_EQUAL(scope_policy_check(&pol, set, &cause),
	    SCOPE_NEED_PERMISSION);
	free(cause);
	pol.purpose = "lab test";
	pol.have_permission = true;
	for (k = 0; k < SCOPE_SCANME_QUOTA; k++)
		CU_ASSERT_EQUAL(scope_policy_check(&pol, set, &cause),
		    SCOPE_OK);
	CU_ASSERT_EQUAL(scope_policy_check(&pol, set, &cause),
	    SCOPE_REFUSED);
	CU_ASSERT_PTR_NOT_NULL(strstr(cause, "198.18.0.7: 12 scans today"));
	free(cause);
	target_set_free(set);

	set = targets("198.18.0.0/29");
	CU_ASSERT_EQUAL(scope_policy_check(&pol, set, &cause),
	    SCOPE_REFUSED);
	CU_ASSERT_STRING_EQUAL(cause,
	    "8 targets: more than profile test allows (max_hosts 4)");
	free(cause);
	target_set_free(set);

	pol.purpose = "audit";
	v = scope_policy_strings(&pol, &n);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	CU_ASSERT_STRING_EQUAL(v[0], "purpose=audit");
	CU_ASSERT_STRING_EQUAL(v[1], "scope=none");
	CU_ASSERT_STRING_EQUAL(v[2], "profile=test");
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	xasprintf(&cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		abort();
	free(cmd);
	free(ledger);
}

static const struct unit_test tests[] = {
	TEST(test_scope_loads_fields_and_dates),
	TEST(test_scope_bad_network_names_line_and_column),
	TEST(test_scope_rejects_bad_dates),
	TEST(test_scope_rejects_c1_and_bidi_controls),
	TEST(test_scope_loopback_always_in_scope),
	TEST(test_scope_refuses_first_target_outside),
	TEST(test_scope_refuses_outside_validity),
	TEST(test_scope_without_file_needs_permission),
	TEST(test_scope_policy_enforces_quota_and_permission),
	TEST_END
};

UNIT_MAIN("scope", tests)
