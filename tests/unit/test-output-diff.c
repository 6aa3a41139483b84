/*
 * The differences between two results stores (output-diff.c), each built
 * from event records: one line for a host up in one scan only, a port
 * whose state changed or that one scan alone reported, and a banner that
 * changed on a port in the same state; nothing for the same scan, for
 * hosts up in neither, or for banners XML would write the same. Banners
 * are escaped and cut; lines come in address order; the count returned
 * is the lines written, and a failed write is an error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include "output-fixture.h"

/* A store with a scan-start record and nothing else yet. */
static void
store_start(struct fixture *fx)
{
	fixture_start(fx, NULL, 0);
}

/* output_diff's lines for a and b; *n its result. */
static char *
diff_render(struct fixture *a, struct fixture *b, long *n)
{
	char	*buf = NULL, *cause = NULL;
	size_t	 len = 0;
	FILE	*f;

	f = open_memstream(&buf, &len);
	CU_ASSERT_FATAL(f != NULL);
	*n = output_diff(f, a->results, b->results, &cause);
	CU_ASSERT_PTR_NULL(cause);
	free(cause);
	fclose(f);
	return (buf);
}

static size_t
lines(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return (n);
}

static void
test_output_diff_of_a_scan_with_itself_is_empty(void)
{
	struct fixture	a, b;
	char		*out;
	long		 n;

	store_start(&a);
	store_start(&b);
	fixture_host(&a, 1, EVENT_HOST_UP, EVENT_REASON_ECHO_REPLY);
	fixture_port(&a, 1, 22, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK);
	fixture_banner(&a, 1, 22, "SSH-2.0-x", 9);
	fixture_port(&a, 1, 23, EVENT_PORT_CLOSED, EVENT_REASON_RESET);
	fixture_host(&a, 2, EVENT_HOST_DOWN, EVENT_REASON_NO_RESPONSE);
	/* The same facts, in another order. */
	fixture_host(&b, 2, EVENT_HOST_DOWN, EVENT_REASON_NO_RESPONSE);
	fixture_host(&b, 1, EVENT_HOST_UP, EVENT_REASON_ECHO_REPLY);
	fixture_port(&b, 1, 23, EVENT_PORT_CLOSED, EVENT_REASON_RESET);
	fixture_port(&b, 1, 22, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK);
	fixture_banner(&b, 1, 22, "SSH-2.0-x", 9);
	out = diff_render(&a, &b, &n);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_STRING_EQUAL(out, "");
	free(out);
	fixture_free(&a);
	fixture_free(&b);
}

static void
test_output_diff_names_hosts_up_in_one_scan_only(void)
{
	struct fixture	a, b;
	char		*out;
	long		 n;

	store_start(&a);
	store_start(&b);
	fixture_host(&a, 1, EVENT_HOST_UP, EVENT_REASON_ECHO_REPLY);
	fixture_host(&b, 1, EVENT_HOST_DOWN, EVENT_REASON_NO_RESPONSE);
	fixture_host(&a, 2, EVENT_HOST_DOWN, EVENT_REASON_NO_RESPONSE);
	fixture_host(&b, 2, EVENT_HOST_UP, EVENT_REASON_ECHO_REPLY);
	fixture_host(&a, 3, EVENT_HOST_UP, EVENT_REASON_ECHO_REPLY);
	fixture_host(&b, 4, EVENT_HOST_UP, EVENT_REASON_ECHO_REPLY);
	/* Down in both, or down in one and absent from the other. */
	fixture_host(&a, 5, EVENT_HOST_DOWN, EVENT_REASON_NO_RESPONSE);
	fixture_host(&b, 5, EVENT_HOST_DOWN, EVENT_REASON_NO_RESPONSE);
	fixture_host(&a, 6, EVENT_HOST_DOWN, EVENT_REASON_NO_RESPONSE);
	fixture_host(&b, 7, EVENT_HOST_DOWN, EVENT_REASON_NO_RESPONSE);
	out = diff_render(&a, &b, &n);
	CU_ASSERT_STRING_EQUAL(out,
	    "198.18.0.1: host up -> not up\n"
	    "198.18.0.2: host not up -> up\n"
	    "198.18.0.3: host up -> not up\n"
	    "198.18.0.4: host not up -> up\n");
	CU_ASSERT_EQUAL(n, 4);
	free(out);
	fixture_free(&a);
	fixture_free(&b);
}

static void
test_output_diff_names_ports_that_changed_or_one_scan_reported(void)
{
	struct fixture	a, b;
	char		*out;
	long		 n;

	store_start(&a);
	store_start(&b);
	fixture_host(&a, 1, EVENT_HOST_UP, EVENT_REASON_ECHO_REPLY);
	fixture_host(&b, 1, EVENT_HOST_UP, EVENT_REASON_ECHO_REPLY);
	fixture_port(&a, 1, 22, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK);
	fixture_port(&b, 1, 22, EVENT_PORT_CLOSED, EVENT_REASON_RESET);
	fixture_port(&a, 1, 25, EVENT_PORT_FILTERED, EVENT_REASON_NO_RESPONSE);
	fixture_port(&b, 1, 25, EVENT_PORT_FILTERED, EVENT_REASON_NO_RESPONSE);
	fixture_port(&a, 1, 80, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK);
	fixture_port(&b, 1, 443, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK);
	out = diff_render(&a, &b, &n);
	CU_ASSERT_STRING_EQUAL(out,
	    "198.18.0.1 22/tcp: open -> closed\n"
	    "198.18.0.1 80/tcp: open -> none\n"
	    "198.18.0.1 443/tcp: none -> open\n");
	CU_ASSERT_EQUAL(n, 3);
	free(out);
	fixture_free(&a);
	fixture_free(&b);
}

static void
test_output_diff_names_banners_that_changed_escaped_and_cut(void)
{
	struct fixture	a, b;
	char		*out, want[300], *p;
	char		 longer[100];
	long		 n;

	store_start(&a);
	store_start(&b);
	fixture_host(&a, 1, EVENT_HOST_UP, EVENT_REASON_ECHO_REPLY);
	fixture_host(&b, 1, EVENT_HOST_UP, EVENT_REASON_ECHO_REPLY);
	fixture_port(&a, 1, 21, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK);
	fixture_port(&b, 1, 21, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK);
	fixture_banner(&b, 1, 21, "220 ftp", 7);
	fixture_port(&a, 1, 22, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK);
	fixture_port(&b, 1, 22, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK);
	fixture_banner(&a, 1, 22, "SSH-2.0-a", 9);
	fixture_banner(&b, 1, 22, "SSH-2.0-b", 9);
	memset(longer, 'x', sizeof longer);
	fixture_port(&a, 1, 80, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK);
	fixture_port(&b, 1, 80, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK);
	fixture_banner(&a, 1, 80, longer, sizeof longer);
	fixture_banner(&b, 1, 80, "short", 5);
	/* Bytes that are not UTF-8 are the same to XML: U+FFFD. */
	fixture_port(&a, 1, 110, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK);
	fixture_port(&b, 1, 110, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK);
	fixture_banner(&a, 1, 110, "+OK \xff", 5);
	fixture_banner(&b, 1, 110, "+OK \xfe", 5);
	out = diff_render(&a, &b, &n);
	p = want;
	p += sprintf(p, "198.18.0.1 21/tcp: service none -> \"220 ftp\"\n"
	    "198.18.0.1 22/tcp: service \"SSH-2.0-a\" -> \"SSH-2.0-b\"\n"
	    "198.18.0.1 80/tcp: service \"");
	memset(p, 'x', 60);
	p += 60;
	sprintf(p, "\"... -> \"short\"\n");
	CU_ASSERT_STRING_EQUAL(out, want);
	CU_ASSERT_EQUAL(n, 3);
	free(out);
	fixture_free(&a);
	fixture_free(&b);

	/* A hostile banner reaches the terminal with no control bytes. */
	store_start(&a);
	store_start(&b);
	fixture_host(&a, 1, EVENT_HOST_UP, EVENT_REASON_ECHO_REPLY);
	fixture_host(&b, 1, EVENT_HOST_UP, EVENT_REASON_ECHO_REPLY);
	fixture_port(&a, 1, 22, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK);
	fixture_port(&b, 1, 22, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK);
	fixture_banner(&a, 1, 22, "SSH", 3);
	fixture_banner(&b, 1, 22, fixture_hostile, fixture_hostile_len);
	out = diff_render(&a, &b, &n);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_EQUAL(lines(out), 1);
	CU_ASSERT_FALSE(fixture_has_control(out, "\n"));
	CU_ASSERT_TRUE(fixture_utf8_valid(out, strlen(out)));
	free(out);
	fixture_free(&a);
	fixture_free(&b);
}

static void
test_output_diff_lines_come_in_address_order(void)
{
	struct fixture	a, b;
	char		*out;
	long		 n;

	store_start(&a);
	store_start(&b);
	fixture_host(&a, 9, EVENT_HOST_UP, EVENT_REASON_ECHO_REPLY);
	fixture_host(&a, 1, EVENT_HOST_UP, EVENT_REASON_ECHO_REPLY);
	fixture_port(&a, 1, 22, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK);
	fixture_host(&b, 1, EVENT_HOST_UP, EVENT_REASON_ECHO_REPLY);
	fixture_port(&b, 1, 22, EVENT_PORT_CLOSED, EVENT_REASON_RESET);
	/* Up in the second scan alone, between the two. */
	fixture_host(&b, 5, EVENT_HOST_UP, EVENT_REASON_ECHO_REPLY);
	out = diff_render(&a, &b, &n);
	CU_ASSERT_STRING_EQUAL(out,
	    "198.18.0.1 22/tcp: open -> closed\n"
	    "198.18.0.5: host not up -> up\n"
	    "198.18.0.9: host up -> not up\n");
	CU_ASSERT_EQUAL(n, 3);
	free(out);
	fixture_free(&a);
	fixture_free(&b);
}

static void
test_output_diff_fails_when_it_cannot_write(void)
{
	struct fixture	 a, b;
	char		*cause = NULL;
	FILE		*f;

	store_start(&a);
	store_start(&b);
	fixture_host(&a, 1, EVENT_HOST_UP, EVENT_REASON_ECHO_REPLY);
	f = fopen("/dev/full", "w");
	CU_ASSERT_FATAL(f != NULL);
	CU_ASSERT_EQUAL(output_diff(f, a.results, b.results, &cause), -1);
	CU_ASSERT_PTR_NOT_NULL(cause);
	free(cause);
	fclose(f);
	fixture_free(&a);
	fixture_free(&b);
}

static const struct unit_test tests[] = {
	TEST(test_output_diff_of_a_scan_with_itself_is_empty),
	TEST(test_output_diff_names_hosts_up_in_one_scan_only),
	TEST(test_output_diff_names_ports_that_changed_or_one_scan_reported),
	TEST(test_output_diff_names_banners_that_changed_escaped_and_cut),
	TEST(test_output_diff_lines_come_in_address_order),
	TEST(test_output_diff_fails_when_it_cannot_write),
	TEST_END
};

UNIT_MAIN("output-diff", tests)
