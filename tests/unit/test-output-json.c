/*
 * The JSON Lines output: a line for each host, every port in it, then a
 * summary line with the scan's purpose, scope and profile; a banner
 * from the network is escaped so that each line stays valid JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include "output-fixture.h"

static const char *const strings[] = {
	"args=tact scan 198.18.0.1", "profile=polite", "purpose=audit \"x\"",
	"technique=syn",
};

static char *
render(uint32_t end, bool banner)
{
	struct fixture	 fx;
	char		*s;

	fixture_start(&fx, strings, sizeof strings / sizeof strings[0]);
	fixture_host(&fx, 1, EVENT_HOST_UP, EVENT_REASON_USER_SET);
	fixture_host(&fx, 2, EVENT_HOST_DOWN, EVENT_REASON_NO_RESPONSE);
	fixture_port(&fx, 1, 22, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK);
	fixture_port(&fx, 1, 23, EVENT_PORT_CLOSED, EVENT_REASON_RESET);
	if (banner)
		fixture_banner(&fx, 1, 22, fixture_hostile,
		    fixture_hostile_len);
	if (end != 0)
		fixture_end(&fx, end);
	s = fixture_render(&output_json, &fx, NULL);
	fixture_free(&fx);
	return (s);
}

static size_t
count_lines(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		if (*s == '\n')
			n++;
	return (n);
}

static void
test_output_json_writes_a_line_per_host_then_a_summary(void)
{
	const char	*first = "{\"type\":\"host\",\"address\":\"198.18.0.1\","
	    "\"addrtype\":\"ipv4\",\"state\":\"up\",\"reason\":\"user-set\",";
	char		*s = render(EVENT_END_DONE, false), *last;

	CU_ASSERT_EQUAL(count_lines(s), 3);
	CU_ASSERT(strncmp(s, first, strlen(first)) == 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"ports\":[{\"protocol\":\"tcp\","
	    "\"port\":22,\"state\":\"open\",\"reason\":\"syn-ack\","
	    "\"reason_ttl\":64,\"service\":\"ssh\",\"banner\":null},"
	    "{\"protocol\":\"tcp\",\"port\":23,\"state\":\"closed\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\n{\"type\":\"host\",\"address\":"
	    "\"198.18.0.2\",\"addrtype\":\"ipv4\",\"state\":\"down\""));
	last = strstr(s, "\n{\"type\":\"summary\"");
	CU_ASSERT_FATAL(last != NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(last, "\"args\":\"tact scan "
	    "198.18.0.1\",\"purpose\":\"audit \\\"x\\\"\",\"scope\":null,"
	    "\"profile\":\"polite\",\"technique\":\"syn\","
	    "\"start\":1795913175,\"end\":1795913177,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(last, "\"status\":\"done\",\"hosts\":"
	    "{\"up\":1,\"down\":1,\"total\":2}"));
	free(s);
}

static void
test_output_json_says_an_interrupted_scan_did_not_finish(void)
{
	char	*s = render(0, false);

	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"status\":\"interrupted\""));
	free(s);
}

static void
test_output_json_escapes_a_hostile_banner(void)
{
	char	*s = render(EVENT_END_DONE, true);

	CU_ASSERT_EQUAL(count_lines(s), 3);
	CU_ASSERT(fixture_utf8_valid(s, strlen(s)));
	CU_ASSERT(!fixture_has_control(s, "\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"banner\":\"\\u001B[2J\\u001B]0;"
	    "owned\\u0007<x a=\\\"1\\\">&amp;</x>\\u0000after-nul "));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\\r\\n\\t"));
	free(s);
}

static void
test_output_json_lists_the_name_a_host_was_given_as(void)
{
	struct fixture	 fx;
	char		*s;

	fixture_start(&fx, strings, sizeof strings / sizeof strings[0]);
	fixture_host(&fx, 1, EVENT_HOST_UP, EVENT_REASON_USER_SET);
	fixture_name(&fx, 1, "a\"b.test", 8);
	fixture_host(&fx, 2, EVENT_HOST_UP, EVENT_REASON_USER_SET);
	fixture_end(&fx, EVENT_END_DONE);
	s = fixture_render(&output_json, &fx, NULL);
	fixture_free(&fx);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"address\":\"198.18.0.1\","));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"silent\":false,\"timedout\":false,"
	    "\"hostnames\":[{\"name\":\"a\\\"b.test\",\"type\":\"user\"}],"
	    "\"ports\":["));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"silent\":false,\"timedout\":false,"
	    "\"hostnames\":[],\"ports\":["));
	free(s);
}

/*
 * An interrupted, running or stopped scan says so, with the time of its
 * scan-end or last record and the seconds from its start to then.
 */
static void
test_output_json_says_how_an_unfinished_scan_ended_and_when(void)
{
	static const struct {
		const char	*how;
		const char	*want;
	} cases[] = {
		{ "interrupted",
		    "\"start\":1795913175,\"end\":1795913217,\"elapsed\":42.5"
		    "0,\"status\":\"interrupted\"," },
		{ "running",
		    "\"start\":1795913175,\"end\":1795913217,\"elapsed\":42.5"
		    "0,\"status\":\"running\"," },
		{ "stopped",
		    "\"start\":1795913175,\"end\":1795913218,\"elapsed\":43.0"
		    "0,\"status\":\"stopped\"," },
	};
	size_t	 i;
	char	*s;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		s = fixture_render_unfinished(&output_json, cases[i].how);
		if (strstr(s, cases[i].want) == NULL)
			fprintf(stderr, "\n%s: got\n%s\n", cases[i].how, s);
		CU_ASSERT_PTR_NOT_NULL(strstr(s, cases[i].want));
		CU_ASSERT_PTR_NULL(strstr(s, "1970"));
		free(s);
	}
}

static const struct unit_test tests[] = {
	TEST(test_output_json_says_how_an_unfinished_scan_ended_and_when),
	TEST(test_output_json_writes_a_line_per_host_then_a_summary),
	TEST(test_output_json_says_an_interrupted_scan_did_not_finish),
	TEST(test_output_json_escapes_a_hostile_banner),
	TEST(test_output_json_lists_the_name_a_host_was_given_as),
	TEST_END
};

UNIT_MAIN("output-json", tests)
