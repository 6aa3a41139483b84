/* The hosts screen's filter: open:PORT, service:NAME, state:S, text. */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "tui-records.h"

static struct tui_scan *
filter_scan(void)
{
	struct tui_scan	*s = tui_scan_create();

	tui_records_host(s, "198.18.0.10", EVENT_HOST_UP);
	tui_records_port(s, "198.18.0.10", 22, EVENT_PORT_OPEN);
	tui_records_port(s, "198.18.0.10", 80, EVENT_PORT_CLOSED);
	tui_records_host(s, "198.18.0.11", EVENT_HOST_UP);
	tui_records_port(s, "198.18.0.11", 80, EVENT_PORT_OPEN);
	tui_records_host(s, "198.18.0.12", EVENT_HOST_DOWN);
	return (s);
}

/* How many hosts of s match the filter text. */
static int
filter_count(struct tui_scan *s, const char *text)
{
	struct tui_filter	*f;
	char			*cause = NULL;
	size_t			 i;
	int			 n = 0;

	f = tui_filter_parse(text, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	for (i = 0; i < results_host_count(s->results); i++)
		n += tui_filter_match(f, results_host(s->results, i));
	tui_filter_free(f);
	return (n);
}

static void
test_tui_filter_open_port_keeps_hosts_with_it_open(void)
{
	struct tui_scan	*s = filter_scan();

	CU_ASSERT_EQUAL(filter_count(s, "open:22"), 1);
	CU_ASSERT_EQUAL(filter_count(s, "open:80"), 1);
	CU_ASSERT_EQUAL(filter_count(s, "open:80/tcp"), 1);
	CU_ASSERT_EQUAL(filter_count(s, "open:80/udp"), 0);
	CU_ASSERT_EQUAL(filter_count(s, "open:443"), 0);
	tui_scan_free(s);
}

static void
test_tui_filter_service_matches_open_ports_by_name(void)
{
	struct tui_scan	*s = filter_scan();

	if (port_spec_service(22, PORT_TCP) == NULL) {
		CU_FAIL("/etc/services has no ssh: install netbase");
		tui_scan_free(s);
		return;
	}
	CU_ASSERT_EQUAL(filter_count(s, "service:ssh"), 1);
	CU_ASSERT_EQUAL(filter_count(s, "service:SSH"), 1);
	/* 80 is closed on .10 and open on .11: only .11 counts. */
	CU_ASSERT_EQUAL(filter_count(s, "service:http"), 1);
	tui_scan_free(s);
}

static void
test_tui_filter_words_must_all_match(void)
{
	struct tui_scan	*s = filter_scan();

	CU_ASSERT_EQUAL(filter_count(s, ""), 3);
	CU_ASSERT_EQUAL(filter_count(s, "198.18"), 3);
	CU_ASSERT_EQUAL(filter_count(s, ".11"), 1);
	CU_ASSERT_EQUAL(filter_count(s, "state:up"), 2);
	CU_ASSERT_EQUAL(filter_count(s, "state:down"), 1);
	CU_ASSERT_EQUAL(filter_count(s, "state:up  .10"), 1);
	CU_ASSERT_EQUAL(filter_count(s, "open:22 .11"), 0);
	/* A host that went silent is no longer counted as up. */
	tui_records_host(s, "198.18.0.11", EVENT_HOST_SILENT);
	CU_ASSERT_EQUAL(filter_count(s, "state:silent"), 1);
	CU_ASSERT_EQUAL(filter_count(s, "state:up"), 1);
	/* Nor one abandoned at host_timeout. */
	CU_ASSERT_EQUAL(filter_count(s, "state:timeout"), 0);
	tui_records_host(s, "198.18.0.10", EVENT_HOST_TIMEOUT);
	CU_ASSERT_EQUAL(filter_count(s, "state:timeout"), 1);
	CU_ASSERT_EQUAL(filter_count(s, "state:up"), 0);
	tui_scan_free(s);
}

static void
test_tui_filter_rejects_bad_words_with_a_reason(void)
{
	static const char	*bad[] = {
		"open:", "open:0", "open:65536", "open:22x", "open:22/sctp",
		"state:sideways", "state:done", "service:"
	};
	char			*cause;
	size_t			 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		CU_ASSERT_PTR_NULL(tui_filter_parse(bad[i], &cause));
		CU_ASSERT_PTR_NOT_NULL(cause);
		free(cause);
	}
}

static const struct unit_test tests[] = {
	TEST(test_tui_filter_open_port_keeps_hosts_with_it_open),
	TEST(test_tui_filter_service_matches_open_ports_by_name),
	TEST(test_tui_filter_words_must_all_match),
	TEST(test_tui_filter_rejects_bad_words_with_a_reason),
	TEST_END
};

UNIT_MAIN("tui-filter", tests)
