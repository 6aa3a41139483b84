/*
 * The grepable output: Nmap's -oG lines for hosts that are up, crowded
 * states as "Ignored State", and a banner that cannot add a field or a
 * line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include "output-fixture.h"

static const char *const strings[] = {
	"args=tact scan 198.18.0.1", "profile=gentle", "purpose=audit",
	"scope=CHG-42",
};

static char *
render(bool banner)
{
	struct fixture	 fx;
	char		*s;
	uint16_t	 p;

	fixture_start(&fx, strings, sizeof strings / sizeof strings[0]);
	fixture_host(&fx, 1, EVENT_HOST_UP, EVENT_REASON_ECHO_REPLY);
	fixture_host(&fx, 2, EVENT_HOST_DOWN, EVENT_REASON_NO_RESPONSE);
	for (p = 100; p < 140; p++)
		fixture_port(&fx, 1, p, EVENT_PORT_CLOSED, EVENT_REASON_RESET);
	fixture_port(&fx, 1, 22, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK);
	fixture_port(&fx, 1, 25, EVENT_PORT_FILTERED,
	    EVENT_REASON_NO_RESPONSE);
	if (banner)
		fixture_banner(&fx, 1, 22, fixture_hostile,
		    fixture_hostile_len);
	fixture_end(&fx, EVENT_END_DONE);
	s = fixture_render(&output_grepable, &fx, NULL);
	fixture_free(&fx);
	return (s);
}

static void
test_output_grepable_writes_nmap_lines_for_hosts_up(void)
{
	char	*s = render(false);

	CU_ASSERT(strncmp(s, "# tact " PACKAGE_VERSION " scan initiated ",
	    22) == 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, " as: tact scan 198.18.0.1\n"
	    "# tact purpose: audit; tact scope: CHG-42; tact profile: "
	    "gentle\nHost: 198.18.0.1 ()\tStatus: Up\n"
	    "Host: 198.18.0.1 ()\tPorts: 22/open/tcp//ssh///, "
	    "25/filtered/tcp//smtp///\tIgnored State: closed (40)\n# tact "
	    "done at "));
	CU_ASSERT_PTR_NULL(strstr(s, "198.18.0.2"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, " -- 2 IP addresses (1 host up) "
	    "scanned in "));
	free(s);
}

static void
test_output_grepable_keeps_a_hostile_banner_in_its_field(void)
{
	char	*s = render(true), *line, *end, *p;
	int	 tabs;

	CU_ASSERT(fixture_utf8_valid(s, strlen(s)));
	CU_ASSERT(!fixture_has_control(s, "\n\t"));
	line = strstr(s, "Ports: 22/open/tcp//ssh//");
	CU_ASSERT_FATAL(line != NULL);
	end = strchr(line, '\n');
	CU_ASSERT_FATAL(end != NULL);
	*end = '\0';
	/* The banner's slashes, commas and tab did not add fields. */
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "<|x>\\x00after-nul"));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "\\x0D\\x0A\\x09"));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "/, 25/filtered/tcp//smtp///\t"
	    "Ignored State: closed (40)"));
	/* Tabs: one on the status line, two on the ports line. */
	tabs = 0;
	for (p = strchr(s, '\t'); p != NULL; p = strchr(p + 1, '\t'))
		tabs++;
	CU_ASSERT_EQUAL(tabs, 3);
	free(s);
}

static void
test_output_grepable_puts_a_host_name_in_the_parentheses(void)
{
	struct fixture	 fx;
	char		*s;

	fixture_start(&fx, strings, sizeof strings / sizeof strings[0]);
	fixture_host(&fx, 1, EVENT_HOST_UP, EVENT_REASON_USER_SET);
	fixture_name(&fx, 1, "db/1,x.test", 11);
	fixture_port(&fx, 1, 22, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK);
	fixture_host(&fx, 2, EVENT_HOST_UP, EVENT_REASON_USER_SET);
	fixture_end(&fx, EVENT_END_DONE);
	s = fixture_render(&output_grepable, &fx, NULL);
	fixture_free(&fx);
	/* Its slash and comma cannot end a field. */
	CU_ASSERT_PTR_NOT_NULL(strstr(s,
	    "Host: 198.18.0.1 (db|1;x.test)\tStatus: Up\n"
	    "Host: 198.18.0.1 (db|1;x.test)\tPorts: 22/open/tcp//ssh///\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "Host: 198.18.0.2 ()\tStatus: Up\n"));
	free(s);
}

/*
 * An interrupted, running or stopped scan says so, with the time of its
 * scan-end or last record and the seconds from its start to then.
 */
static void
test_output_grepable_says_how_an_unfinished_scan_ended_and_when(void)
{
	static const struct {
		const char	*how;
		const char	*want;
	} cases[] = {
		{ "interrupted",
		    "\n# tact interrupted at Sun Nov 29 00:46:57 2026 -- 1 IP"
		    " address (1 host up) scanned in 42.50 seconds\n" },
		{ "running",
		    "\n# tact running at Sun Nov 29 00:46:57 2026 -- 1 IP add"
		    "ress (1 host up) scanned in 42.50 seconds\n" },
		{ "stopped",
		    "\n# tact stopped at Sun Nov 29 00:46:58 2026 -- 1 IP add"
		    "ress (1 host up) scanned in 43.00 seconds\n" },
	};
	size_t	 i;
	char	*s;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		s = fixture_render_unfinished(&output_grepable, cases[i].how);
		if (strstr(s, cases[i].want) == NULL)
			fprintf(stderr, "\n%s: got\n%s\n", cases[i].how, s);
		CU_ASSERT_PTR_NOT_NULL(strstr(s, cases[i].want));
		CU_ASSERT_PTR_NULL(strstr(s, "1970"));
		free(s);
	}
}

static const struct unit_test tests[] = {
	TEST(test_output_grepable_says_how_an_unfinished_scan_ended_and_when),
	TEST(test_output_grepable_writes_nmap_lines_for_hosts_up),
	TEST(test_output_grepable_keeps_a_hostile_banner_in_its_field),
	TEST(test_output_grepable_puts_a_host_name_in_the_parentheses),
	TEST_END
};

UNIT_MAIN("output-grepable", tests)
