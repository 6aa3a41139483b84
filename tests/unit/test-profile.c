/* Tests of profile loading, extends, limits and the line-numbered pass. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "unit.h"
#include "xmalloc.h"

static const char base_yaml[] =
    "name: base\n"
    "description: \"a base\"\n"
    "scan_type: syn\n"
    "discovery: [icmp-echo, tcp-ack]\n"
    "top_ports: 100\n"
    "max_rate: 100/s\n"
    "host_max_rate: 2.5\n"
    "host_max_outstanding: 4\n"
    "max_parallel_hosts: 8\n"
    "max_retries: 3\n"
    "initial_rtt_timeout: 1.5s\n"
    "min_rtt_timeout: 100ms\n"
    "max_rtt_timeout: 10s\n"
    "scan_delay: 0ms\n"
    "max_hosts: none\n"
    "max_ports_per_host: 1000\n"
    "service_probes: true\n";

static char	*dir;
static char	*dir2;
static const char *dirs[3];

static char	*write_profile(const char *, const char *, const char *);
static void	 setup(void);
static void	 teardown(void);

static char *
write_profile(const char *where, const char *name, const char *text)
{
	FILE	*f;
	char	*path;

	xasprintf(&path, "%s/%s.yaml", where, name);
	if ((f = fopen(path, "w")) == NULL)
		abort();
	fputs(text, f);
	fclose(f);
	return (path);
}

static void
setup(void)
{
	char	tmpl[] = "/tmp/tact-profile-XXXXXX";
	char	tmpl2[] = "/tmp/tact-profile-XXXXXX";

	dir = xstrdup(mkdtemp(tmpl));
	dir2 = xstrdup(mkdtemp(tmpl2));
	dirs[0] = dir2;
	dirs[1] = dir;
	dirs[2] = NULL;
	free(write_profile(dir, "base", base_yaml));
}

static void
teardown(void)
{
	char	*cmd;

	xasprintf(&cmd, "rm -rf '%s' '%s'", dir, dir2);
	if (system(cmd) != 0)
		abort();
	free(cmd);
	free(dir);
	free(dir2);
}

static void
test_profile_loads_values_with_units(void)
{
	struct profile	*p;
	char		*cause = NULL;

	setup();
	p = profile_load("base", dirs, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_STRING_EQUAL(p->name, "base");
	CU_ASSERT_EQUAL(p->scan_type, PROFILE_SCAN_SYN);
	CU_ASSERT_EQUAL(p->discovery,
	    PROFILE_DISCOVER_ICMP_ECHO | PROFILE_DISCOVER_TCP_ACK);
	CU_ASSERT_EQUAL(p->top_ports, 100);
	CU_ASSERT_EQUAL(p->max_rate, 100);
	CU_ASSERT_EQUAL(p->host_max_rate, 2.5);
	CU_ASSERT_EQUAL(p->initial_rtt_timeout, 1500);
	CU_ASSERT_EQUAL(p->min_rtt_timeout, 100);
	CU_ASSERT_EQUAL(p->max_rtt_timeout, 10000);
	CU_ASSERT_EQUAL(p->max_hosts, 0);
	CU_ASSERT_EQUAL(p->host_timeout, 0);
	CU_ASSERT_EQUAL(p->daily_quota, 0);
	CU_ASSERT_STRING_EQUAL(p->discovery_ports, "22,80,443,3389");
	CU_ASSERT_EQUAL(p->service_probes, PROFILE_INTENSITY_DEFAULT);
	profile_free(p);
	teardown();
}

static void
test_profile_rejects_junk_with_line_and_column(void)
{
	char	*path, *cause = NULL, *want;

	setup();
	path = write_profile(dir, "junk", "name: junk\ndescription: x\n"
	    "extends: base\nmax_rate:   100abc\n");
	CU_ASSERT_PTR_NULL(profile_load(path, dirs, &cause));
	xasprintf(&want, "%s:4:13: max_rate: \"100abc\": not a number"
	    " (a rate is probes/s or none)", path);
	CU_ASSERT_STRING_EQUAL(cause, want);
	free(want);
	free(cause);
	free(path);
	teardown();
}

/*
 * C0, DEL, C1 and the characters that reorder text are refused in any
 * value, written raw or as YAML escapes, naming the code point.
 */
static void
test_profile_rejects_c1_and_bidi_controls(void)
{
	static const struct {
		const char	*value;
		const char	*cp;
	} bad[] = {
		{ "\"csi\\x9b31m\"", "U+009B" },
		{ "\"nel\\x85\"", "U+0085" },
		{ "\"pad\\x80\"", "U+0080" },
		{ "\"apc\\x9f\"", "U+009F" },
		{ "\"del\\x7f\"", "U+007F" },
		{ "\"evil\\u202Etxt\"", "U+202E" },
		{ "\"lre\\u202A\"", "U+202A" },
		{ "\"lri\\u2066x\"", "U+2066" },
		{ "\"pdi\\u2069\"", "U+2069" },
		{ "raw \xe2\x80\xae here", "U+202E" },
		{ "raw \xe2\x81\xa7 here", "U+2067" },
	};
	char	*path, *cause, *text, *want;
	size_t	 i;

	setup();
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		xasprintf(&text, "name: ctl\ndescription: %s\nextends: base\n",
		    bad[i].value);
		path = write_profile(dir, "ctl", text);
		cause = NULL;
		CU_ASSERT_PTR_NULL(profile_load(path, dirs, &cause));
		xasprintf(&want, "%s:2:14: description: control character %s"
		    " in value", path, bad[i].cp);
		CU_ASSERT_PTR_NOT_NULL_FATAL(cause);
		if (strcmp(cause, want) != 0)
			fprintf(stderr, "\n%s: got %s\n", bad[i].value, cause);
		CU_ASSERT_STRING_EQUAL(cause, want);
		free(want);
		free(cause);
		free(path);
		free(text);
	}
	/* Text that merely looks foreign is fine. */
	path = write_profile(dir, "ok", "name: ok\ndescription: \"caf\xc3\xa9"
	    " \\xa0\\u2010\"\nextends: base\n");
	cause = NULL;
	profile_free(profile_load(path, dirs, &cause));
	CU_ASSERT_PTR_NULL(cause);
	free(cause);
	free(path);
	teardown();
}

static void
test_profile_extends_inherits_and_lowers(void)
{
	struct profile	*p;
	char		*path, *cause = NULL;

	setup();
	path = write_profile(dir, "child", "name: child\ndescription: x\n"
	    "extends: base\nmax_rate: 10/s\nmax_retries: 1\n"
	    "min_rtt_timeout: 200ms\nservice_probes: false\n"
	    "max_hosts: 256\ndaily_quota: 5\n");
	p = profile_load(path, dirs, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(p->max_rate, 10);
	CU_ASSERT_EQUAL(p->max_retries, 1);
	CU_ASSERT_EQUAL(p->host_max_outstanding, 4);
	CU_ASSERT_EQUAL(p->min_rtt_timeout, 200);
	CU_ASSERT_EQUAL(p->max_hosts, 256);
	CU_ASSERT_EQUAL(p->daily_quota, 5);
	CU_ASSERT_EQUAL(p->service_probes, PROFILE_SERVICE_NONE);
	CU_ASSERT_STRING_EQUAL(p->extends, "base");
	profile_free(p);
	free(path);
	teardown();
}

/* Each of these makes the child more aggressive than base. */
static void
test_profile_refuses_raising_any_limit_without_unlocked(void)
{
	static const char *raises[] = {
		"max_rate: 101/s", "host_max_rate: none",
		"host_max_outstanding: 5", "max_parallel_hosts: 9",
		"max_retries: 4", "initial_rtt_timeout: 1s",
		"min_rtt_timeout: 99ms", "max_rtt_timeout: 9s",
		"max_ports_per_host: none",
		NULL
	};
	const char	**r;
	char		 *path, *text, *cause;

	setup();
	for (r = raises; *r != NULL; r++) {
		xasprintf(&text, "name: c\ndescription: x\nextends: base\n%s\n",
		    *r);
		path = write_profile(dir, "c", text);
		cause = NULL;
		CU_ASSERT_PTR_NULL(profile_load(path, dirs, &cause));
		CU_ASSERT_PTR_NOT_NULL(cause);
		if (cause != NULL)
			CU_ASSERT_PTR_NOT_NULL(strstr(cause,
			    "raises the limit of base"));
		free(cause);
		free(text);
		free(path);
	}
	teardown();
}

static void
test_profile_allows_raising_when_unlocked(void)
{
	struct profile	*p, *q;
	char		*path, *cause = NULL;

	setup();
	path = write_profile(dir, "fast", "name: fast\ndescription: x\n"
	    "extends: base\nunlocked: true\nmax_rate: none\n"
	    "max_retries: 10\n");
	p = profile_load(path, dirs, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(p->max_rate, 0);
	CU_ASSERT_EQUAL(p->max_retries, 10);
	CU_ASSERT_TRUE(p->unlocked);
	free(path);
	/* unlocked is not inherited: a child of fast is held to fast. */
	path = write_profile(dir, "faster", "name: faster\ndescription: x\n"
	    "extends: fast\nmax_retries: 11\n");
	q = profile_load(path, dirs, &cause);
	CU_ASSERT_PTR_NULL(q);
	CU_ASSERT_PTR_NOT_NULL(strstr(cause, "raises the limit of fast"));
	free(cause);
	free(path);
	profile_free(p);
	teardown();
}

static void
test_profile_detects_extends_cycle(void)
{
	char	*a, *b, *cause = NULL;

	setup();
	a = write_profile(dir, "a", "name: a\ndescription: x\nextends: b\n");
	b = write_profile(dir, "b", "name: b\ndescription: x\nextends: a\n");
	CU_ASSERT_PTR_NULL(profile_load(a, dirs, &cause));
	CU_ASSERT_PTR_NOT_NULL(strstr(cause, "a cycle"));
	CU_ASSERT_PTR_NOT_NULL(strstr(cause, "/a.yaml:3:10: extends: \"b\""));
	free(cause);
	free(a);
	free(b);
	teardown();
}

static void
test_profile_yaml_round_trips(void)
{
	struct profile	*p, *q;
	char		*path, *text, *cause = NULL;

	setup();
	free(write_profile(dir, "odd", "name: odd\n"
	    "description: 'say \"hi\" \\ # not a comment'\nextends: base\n"
	    "host_max_rate: 0.1\nports: \"22,T:80\"\nscan_type: connect\n"
	    "host_timeout: 90s\ndiscovery: []\n"));
	p = profile_load("odd", dirs, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	text = profile_to_yaml(p);
	path = write_profile(dir2, "odd", text);
	q = profile_load(path, dirs, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	CU_ASSERT_TRUE(profile_same(p, q));
	CU_ASSERT_STRING_EQUAL(q->description, "say \"hi\" \\ # not a comment");
	CU_ASSERT_EQUAL(q->host_max_rate, 0.1);
	CU_ASSERT_EQUAL(q->host_timeout, 90000);
	CU_ASSERT_EQUAL(q->discovery, 0);
	CU_ASSERT_PTR_NULL(q->extends);
	q->max_retries++;
	CU_ASSERT_FALSE(profile_same(p, q));
	profile_free(p);
	profile_free(q);
	free(text);
	free(path);
	teardown();
}

static void
test_profile_name_must_be_the_file_name(void)
{
	char	*path, *cause = NULL;

	setup();
	path = write_profile(dir, "mine", "name: polite\ndescription: x\n"
	    "extends: base\n");
	CU_ASSERT_PTR_NULL(profile_load(path, dirs, &cause));
	CU_ASSERT_PTR_NOT_NULL_FATAL(cause);
	CU_ASSERT_PTR_NOT_NULL(strstr(cause, "mine.yaml:1:7: name: \"polite\""
	    " is not the file's name (mine)"));
	free(cause);
	cause = NULL;
	/* Found by name as well as by path. */
	CU_ASSERT_PTR_NULL(profile_load("mine", dirs, &cause));
	CU_ASSERT_PTR_NOT_NULL(cause);
	free(cause);
	free(path);
	teardown();
}

static void
test_profile_search_path_first_match_wins(void)
{
	struct profile	*p;
	char		*cause = NULL;

	setup();
	/* dir2 comes first; its base extends the base in dir. */
	free(write_profile(dir2, "base", "name: base\ndescription: mine\n"
	    "extends: base\nmax_rate: 7/s\n"));
	p = profile_load("base", dirs, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_STRING_EQUAL(p->description, "mine");
	CU_ASSERT_EQUAL(p->max_rate, 7);
	CU_ASSERT_EQUAL(p->max_retries, 3);
	profile_free(p);
	CU_ASSERT_PTR_NULL(profile_load("nosuch", dirs, &cause));
	CU_ASSERT_STRING_EQUAL(cause,
	    "profile \"nosuch\": not found (see tact profile list)");
	free(cause);
	teardown();
}

static void
test_profile_names_are_sorted_and_unique(void)
{
	char	**names;
	size_t	  n, i;

	setup();
	free(write_profile(dir2, "base", base_yaml));
	free(write_profile(dir2, "aaa", base_yaml));
	names = profile_names(dirs, &n);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_STRING_EQUAL(names[0], "aaa");
	CU_ASSERT_STRING_EQUAL(names[1], "base");
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	teardown();
}

static void
test_profile_is_file_by_slash_or_suffix(void)
{
	CU_ASSERT_TRUE(profile_is_file("./polite"));
	CU_ASSERT_TRUE(profile_is_file("mine.yaml"));
	CU_ASSERT_FALSE(profile_is_file("polite"));
	CU_ASSERT_FALSE(profile_is_file(".yaml"));
}

static void
test_profile_check_map_keeps_places_of_list_items(void)
{
	static const struct profile_check_key keys[] = {
		{ "one", 0 }, { "many", 1 }, { NULL, 0 }
	};
	static const char	 text[] = "one: 1\nmany:\n  - a\n  - bb\n";
	struct profile_check_map m;
	const struct profile_check_entry *e;
	char			*cause = NULL;

	CU_ASSERT_EQUAL_FATAL(profile_check_map(&m, "t.yaml", text,
	    strlen(text), keys, &cause), 0);
	e = profile_check_find(&m, "many");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL_FATAL(e->nitems, 2);
	CU_ASSERT_STRING_EQUAL(e->items[1].value, "bb");
	CU_ASSERT_EQUAL(e->items[1].line, 4);
	CU_ASSERT_EQUAL(e->items[1].col, 5);
	profile_check_map_free(&m);
	CU_ASSERT_EQUAL(profile_check_map(&m, "t.yaml", "one: 1\none: 2\n",
	    14, keys, &cause), -1);
	CU_ASSERT_STRING_EQUAL(cause,
	    "t.yaml:2:1: one: given twice (first on line 1)");
	free(cause);
}

static const struct unit_test tests[] = {
	TEST(test_profile_loads_values_with_units),
	TEST(test_profile_rejects_junk_with_line_and_column),
	TEST(test_profile_rejects_c1_and_bidi_controls),
	TEST(test_profile_extends_inherits_and_lowers),
	TEST(test_profile_refuses_raising_any_limit_without_unlocked),
	TEST(test_profile_allows_raising_when_unlocked),
	TEST(test_profile_detects_extends_cycle),
	TEST(test_profile_yaml_round_trips),
	TEST(test_profile_name_must_be_the_file_name),
	TEST(test_profile_search_path_first_match_wins),
	TEST(test_profile_names_are_sorted_and_unique),
	TEST(test_profile_is_file_by_slash_or_suffix),
	TEST(test_profile_check_map_keeps_places_of_list_items),
	TEST_END
};

UNIT_MAIN("profile", tests)
