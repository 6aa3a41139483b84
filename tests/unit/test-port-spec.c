/* Tests of port lists: -p parsing, top ports, service names, counting. */
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "port-rank.h"
#include "port-spec.h"
#include "unit.h"

#define NMAP_SERVICES	"/usr/share/nmap/nmap-services"

static int	has(const struct port_list *, unsigned, unsigned);
static int	sorted(const struct port_list *);
static void	rejects(const char *, unsigned, const char *);
static char	*data(const char *);

/* Whether the list holds port of protocol proto. */
static int
has(const struct port_list *pl, unsigned port, unsigned proto)
{
	size_t	i;

	for (i = 0; i < pl->n; i++) {
		if (pl->v[i].port == port && pl->v[i].proto == proto)
			return (1);
	}
	return (0);
}

/* Whether the list is sorted TCP first, then by port, without repeats. */
static int
sorted(const struct port_list *pl)
{
	size_t	i;

	for (i = 0; i < pl->n; i++) {
		if (pl->v[i].port == 0 ||
		    (pl->v[i].proto != PORT_TCP && pl->v[i].proto != PORT_UDP))
			return (0);
		if (i == 0)
			continue;
		if (pl->v[i - 1].proto > pl->v[i].proto)
			return (0);
		if (pl->v[i - 1].proto == pl->v[i].proto &&
		    pl->v[i - 1].port >= pl->v[i].port)
			return (0);
	}
	return (1);
}

/* Parsing spec must fail with exactly the reason want. */
static void
rejects(const char *spec, unsigned protos, const char *want)
{
	struct port_list	 pl;
	char			*cause = NULL;

	CU_ASSERT_EQUAL(port_spec_parse(&pl, spec, protos, &cause), -1);
	CU_ASSERT_PTR_NULL(pl.v);
	CU_ASSERT_EQUAL(pl.n, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cause);
	if (strcmp(cause, want) != 0)
		fprintf(stderr, "\n%s: got '%s', want '%s'\n", spec, cause,
		    want);
	CU_ASSERT_STRING_EQUAL(cause, want);
	CU_ASSERT_PTR_NULL(strchr(cause, '\n'));
	free(cause);
}

/* The path of a file in tests/data. */
static char *
data(const char *name)
{
	const char	*dir;
	char		*path;

	if ((dir = getenv("TESTS_SRCDIR")) == NULL)
		dir = "tests";
	if (asprintf(&path, "%s/data/%s", dir, name) == -1)
		abort();
	return (path);
}

static void
test_port_spec_parses_ports_ranges_and_prefixes(void)
{
	struct port_list	 pl;
	char			*cause = NULL;

	CU_ASSERT_EQUAL_FATAL(port_spec_parse(&pl, "22,80,1000-1002,T:443,U:53",
	    PORT_TCP | PORT_UDP, &cause), 0);
	CU_ASSERT_EQUAL(port_list_count(&pl, PORT_TCP), 6);
	CU_ASSERT_EQUAL(port_list_count(&pl, PORT_UDP), 6);
	CU_ASSERT(has(&pl, 22, PORT_TCP) && has(&pl, 22, PORT_UDP));
	CU_ASSERT(has(&pl, 1001, PORT_TCP) && has(&pl, 1001, PORT_UDP));
	CU_ASSERT(has(&pl, 443, PORT_TCP) && !has(&pl, 443, PORT_UDP));
	CU_ASSERT(has(&pl, 53, PORT_UDP) && !has(&pl, 53, PORT_TCP));
	CU_ASSERT(sorted(&pl));
	port_list_free(&pl);
	CU_ASSERT_PTR_NULL(pl.v);
	CU_ASSERT_EQUAL(pl.n, 0);
}

static void
test_port_spec_prefix_applies_until_next_prefix(void)
{
	struct port_list	 pl;
	char			*cause = NULL;

	CU_ASSERT_EQUAL_FATAL(port_spec_parse(&pl, "T:22,23,U:53,54-55",
	    PORT_TCP | PORT_UDP, &cause), 0);
	CU_ASSERT_EQUAL(pl.n, 5);
	CU_ASSERT(has(&pl, 22, PORT_TCP) && has(&pl, 23, PORT_TCP));
	CU_ASSERT(has(&pl, 53, PORT_UDP) && has(&pl, 54, PORT_UDP) &&
	    has(&pl, 55, PORT_UDP));
	port_list_free(&pl);
}

static void
test_port_spec_dash_alone_is_every_port(void)
{
	struct port_list	 pl;
	char			*cause = NULL;

	CU_ASSERT_EQUAL_FATAL(port_spec_parse(&pl, "-", PORT_TCP, &cause), 0);
	CU_ASSERT_EQUAL_FATAL(pl.n, 65535);
	CU_ASSERT_EQUAL(pl.v[0].port, 1);
	CU_ASSERT_EQUAL(pl.v[65534].port, 65535);
	CU_ASSERT(sorted(&pl));
	port_list_free(&pl);
}

static void
test_port_spec_open_ended_ranges(void)
{
	struct port_list	 pl;
	char			*cause = NULL;

	CU_ASSERT_EQUAL_FATAL(port_spec_parse(&pl, "-1024", PORT_TCP, &cause),
	    0);
	CU_ASSERT_EQUAL_FATAL(pl.n, 1024);
	CU_ASSERT_EQUAL(pl.v[0].port, 1);
	CU_ASSERT_EQUAL(pl.v[1023].port, 1024);
	port_list_free(&pl);

	CU_ASSERT_EQUAL_FATAL(port_spec_parse(&pl, "U:60000-",
	    PORT_TCP | PORT_UDP, &cause), 0);
	CU_ASSERT_EQUAL_FATAL(pl.n, 5536);
	CU_ASSERT_EQUAL(pl.v[0].port, 60000);
	CU_ASSERT_EQUAL(pl.v[0].proto, PORT_UDP);
	CU_ASSERT_EQUAL(pl.v[5535].port, 65535);
	port_list_free(&pl);
}

static void
test_port_spec_merges_duplicates_and_overlaps(void)
{
	struct port_list	 pl;
	char			*cause = NULL;

	CU_ASSERT_EQUAL_FATAL(port_spec_parse(&pl, "80,80,70-90,T:85-95,http",
	    PORT_TCP, &cause), 0);
	CU_ASSERT_EQUAL(pl.n, 26);
	CU_ASSERT(sorted(&pl));
	port_list_free(&pl);
}

static void
test_port_spec_sorts_tcp_first_then_by_port(void)
{
	struct port_list	 pl;
	char			*cause = NULL;

	CU_ASSERT_EQUAL_FATAL(port_spec_parse(&pl, "U:1,T:65535,U:3,T:2",
	    PORT_TCP | PORT_UDP, &cause), 0);
	CU_ASSERT_EQUAL_FATAL(pl.n, 4);
	CU_ASSERT(pl.v[0].proto == PORT_TCP && pl.v[0].port == 2);
	CU_ASSERT(pl.v[1].proto == PORT_TCP && pl.v[1].port == 65535);
	CU_ASSERT(pl.v[2].proto == PORT_UDP && pl.v[2].port == 1);
	CU_ASSERT(pl.v[3].proto == PORT_UDP && pl.v[3].port == 3);
	port_list_free(&pl);
}

static void
test_port_spec_resolves_service_names(void)
{
	struct port_list	 pl;
	char			*cause = NULL;

	CU_ASSERT_EQUAL_FATAL(port_spec_parse(&pl, "ssh,http", PORT_TCP,
	    &cause), 0);
	CU_ASSERT_EQUAL(pl.n, 2);
	CU_ASSERT(has(&pl, 22, PORT_TCP) && has(&pl, 80, PORT_TCP));
	port_list_free(&pl);

	/* A name counts for each scanned protocol that has it. */
	CU_ASSERT_EQUAL_FATAL(port_spec_parse(&pl, "domain,bootps",
	    PORT_TCP | PORT_UDP, &cause), 0);
	CU_ASSERT_EQUAL(pl.n, 3);
	CU_ASSERT(has(&pl, 53, PORT_TCP) && has(&pl, 53, PORT_UDP));
	CU_ASSERT(has(&pl, 67, PORT_UDP) && !has(&pl, 67, PORT_TCP));
	port_list_free(&pl);

	CU_ASSERT_EQUAL_FATAL(port_spec_parse(&pl, "U:domain",
	    PORT_TCP | PORT_UDP, &cause), 0);
	CU_ASSERT_EQUAL(pl.n, 1);
	CU_ASSERT(has(&pl, 53, PORT_UDP));
	port_list_free(&pl);
}

static void
test_port_spec_rejects_out_of_range(void)
{
	rejects("70000", PORT_TCP, "\"70000\": out of range 1-65535");
	rejects("0", PORT_TCP, "\"0\": out of range 1-65535");
	rejects("22,65536", PORT_TCP, "\"65536\": out of range 1-65535");
	rejects("0-10", PORT_TCP, "\"0-10\": out of range 1-65535");
	rejects("T:99999999999999999999999", PORT_TCP,
	    "\"T:99999999999999999999999\": out of range 1-65535");
}

static void
test_port_spec_rejects_reversed_range(void)
{
	rejects("80-22", PORT_TCP, "\"80-22\": reversed range");
}

static void
test_port_spec_rejects_empty_items(void)
{
	rejects("", PORT_TCP, "\"\": empty port list");
	rejects("22,,80", PORT_TCP, "\"22,,80\": empty item");
	rejects("22,", PORT_TCP, "\"22,\": empty item");
	rejects(",22", PORT_TCP, "\",22\": empty item");
	rejects("T:", PORT_TCP, "\"T:\": no port after the prefix");
}

static void
test_port_spec_rejects_garbage(void)
{
	rejects("80x", PORT_TCP, "\"80x\": not a port number");
	rejects("1-2-3", PORT_TCP, "\"1-2-3\": not a port number");
	rejects("22-x", PORT_TCP, "\"22-x\": not a port number");
	rejects(" 22", PORT_TCP,
	    "\" 22\": not a port, range or service name");
	rejects("*", PORT_TCP, "\"*\": not a port, range or service name");
	rejects("S:80", PORT_TCP,
	    "\"S:80\": unknown protocol prefix (T: or U:)");
}

static void
test_port_spec_rejects_unknown_service(void)
{
	rejects("ssh,nosuchservice", PORT_TCP,
	    "\"nosuchservice\": unknown service");
	/* "bootps" exists, but for UDP alone. */
	rejects("T:bootps", PORT_TCP | PORT_UDP,
	    "\"T:bootps\": unknown service");
}

static void
test_port_spec_rejects_prefix_of_unscanned_protocol(void)
{
	rejects("22,U:53", PORT_TCP, "\"U:53\": UDP is not being scanned");
	rejects("T:22", PORT_UDP, "\"T:22\": TCP is not being scanned");
}

static void
test_port_spec_rejects_no_protocol(void)
{
	struct port_list	 pl;
	char			*cause = NULL;

	CU_ASSERT_EQUAL(port_spec_parse(&pl, "22", 0, &cause), -1);
	free(cause);
	cause = NULL;
	CU_ASSERT_EQUAL(port_spec_top(&pl, 10, 0, NULL, &cause), -1);
	free(cause);
}

static void
test_port_list_count_counts_by_protocol(void)
{
	struct port_list	 pl;
	char			*cause = NULL;

	CU_ASSERT_EQUAL_FATAL(port_spec_parse(&pl, "1-10,U:20-22",
	    PORT_TCP | PORT_UDP, &cause), 0);
	CU_ASSERT_EQUAL(port_list_count(&pl, PORT_TCP), 10);
	CU_ASSERT_EQUAL(port_list_count(&pl, PORT_UDP), 13);
	CU_ASSERT_EQUAL(port_list_count(&pl, PORT_TCP | PORT_UDP), 23);
	CU_ASSERT_EQUAL(port_list_count(&pl, 0), 0);
	port_list_free(&pl);
}

static void
test_port_spec_service_names_ports(void)
{
	const char	*name;

	CU_ASSERT_PTR_NOT_NULL_FATAL(name = port_spec_service(22, PORT_TCP));
	CU_ASSERT_STRING_EQUAL(name, "ssh");
	CU_ASSERT_PTR_NOT_NULL_FATAL(name = port_spec_service(53, PORT_UDP));
	CU_ASSERT_STRING_EQUAL(name, "domain");
	CU_ASSERT_PTR_NULL(port_spec_service(64999, PORT_TCP));
	CU_ASSERT_PTR_NULL(port_spec_service(22, PORT_TCP | PORT_UDP));
}

/* Every port of either protocol has the name getservbyport() gives. */
static void
test_port_spec_service_is_getservbyport_for_every_port(void)
{
	static const struct {
		unsigned	 proto;
		const char	*name;
	} protos[] = { { PORT_TCP, "tcp" }, { PORT_UDP, "udp" } };
	struct servent	*se;
	const char	*name;
	size_t		 i, named = 0, wrong = 0;
	uint32_t	 port;

	for (i = 0; i < sizeof protos / sizeof protos[0]; i++) {
		for (port = 0; port <= 65535; port++) {
			name = port_spec_service((uint16_t)port,
			    protos[i].proto);
			se = getservbyport(htons((uint16_t)port),
			    protos[i].name);
			if (se == NULL ? name != NULL : name == NULL ||
			    strcmp(name, se->s_name) != 0)
				wrong++;
			if (se != NULL)
				named++;
		}
	}
	CU_ASSERT(named > 100);
	CU_ASSERT_EQUAL(wrong, 0);
}

static void
test_port_spec_top_follows_nmap_services_frequencies(void)
{
	struct port_list	 pl;
	char			*path, *cause = NULL;

	path = data("ports-services");
	CU_ASSERT_EQUAL_FATAL(port_spec_top(&pl, 2, PORT_TCP | PORT_UDP, path,
	    &cause), 0);
	CU_ASSERT_EQUAL(port_list_count(&pl, PORT_TCP), 2);
	CU_ASSERT(has(&pl, 7001, PORT_TCP));	/* 0.9 */
	CU_ASSERT(has(&pl, 7002, PORT_TCP));	/* 0.5, before 7006 at 0.5 */
	CU_ASSERT(has(&pl, 7004, PORT_UDP) && has(&pl, 7003, PORT_UDP));
	CU_ASSERT(!has(&pl, 7005, PORT_TCP) && !has(&pl, 7005, PORT_UDP));
	CU_ASSERT(sorted(&pl));
	port_list_free(&pl);

	CU_ASSERT_EQUAL_FATAL(port_spec_top(&pl, 1, PORT_UDP, path, &cause),
	    0);
	CU_ASSERT_EQUAL_FATAL(pl.n, 1);
	CU_ASSERT(has(&pl, 7004, PORT_UDP));
	port_list_free(&pl);
	free(path);
}

static void
test_port_spec_top_takes_all_when_n_exceeds_list(void)
{
	struct port_list	 pl;
	char			*path, *cause = NULL;

	path = data("ports-services");
	CU_ASSERT_EQUAL_FATAL(port_spec_top(&pl, 1000, PORT_TCP, path, &cause),
	    0);
	CU_ASSERT_EQUAL(pl.n, 4);
	port_list_free(&pl);
	free(path);

	CU_ASSERT_EQUAL_FATAL(port_spec_top(&pl, 65535, PORT_TCP | PORT_UDP,
	    "/nonexistent/nmap-services", &cause), 0);
	CU_ASSERT(port_list_count(&pl, PORT_TCP) >= 1000);
	CU_ASSERT(port_list_count(&pl, PORT_UDP) >= 100);
	port_list_free(&pl);
}

static void
test_port_spec_top_skips_malformed_lines(void)
{
	struct port_list	 pl;
	char			*path, *cause = NULL;

	path = data("ports-weird-services");
	CU_ASSERT_EQUAL_FATAL(port_spec_top(&pl, 100, PORT_TCP, path, &cause),
	    0);
	CU_ASSERT_EQUAL(pl.n, 3);
	CU_ASSERT(has(&pl, 7110, PORT_TCP) && has(&pl, 7112, PORT_TCP) &&
	    has(&pl, 7113, PORT_TCP));
	port_list_free(&pl);

	/* The higher of two frequencies for one port counts. */
	CU_ASSERT_EQUAL_FATAL(port_spec_top(&pl, 2, PORT_TCP, path, &cause),
	    0);
	CU_ASSERT(has(&pl, 7112, PORT_TCP) && has(&pl, 7113, PORT_TCP));
	port_list_free(&pl);
	free(path);
}

static void
test_port_spec_top_falls_back_without_nmap_services(void)
{
	struct port_list	 pl;
	const uint16_t		*rank;
	size_t			 i, n;
	char			*cause = NULL;

	CU_ASSERT_EQUAL_FATAL(port_spec_top(&pl, 100, PORT_TCP | PORT_UDP,
	    "/nonexistent/nmap-services", &cause), 0);
	CU_ASSERT_EQUAL(port_list_count(&pl, PORT_TCP), 100);
	CU_ASSERT_EQUAL(port_list_count(&pl, PORT_UDP), 100);
	CU_ASSERT(sorted(&pl));
	rank = port_rank_list(PORT_TCP, &n);
	for (i = 0; i < 100; i++)
		CU_ASSERT(has(&pl, rank[i], PORT_TCP));
	rank = port_rank_list(PORT_UDP, &n);
	for (i = 0; i < 100; i++)
		CU_ASSERT(has(&pl, rank[i], PORT_UDP));
	port_list_free(&pl);
}

static void
test_port_spec_top_falls_back_per_protocol(void)
{
	struct port_list	 pl;
	const uint16_t		*rank;
	size_t			 n;
	char			*path, *cause = NULL;

	/* This file has TCP lines only: UDP comes from tact's ranking. */
	path = data("ports-weird-services");
	CU_ASSERT_EQUAL_FATAL(port_spec_top(&pl, 5, PORT_TCP | PORT_UDP, path,
	    &cause), 0);
	CU_ASSERT_EQUAL(port_list_count(&pl, PORT_TCP), 3);
	CU_ASSERT_EQUAL(port_list_count(&pl, PORT_UDP), 5);
	rank = port_rank_list(PORT_UDP, &n);
	CU_ASSERT(has(&pl, rank[0], PORT_UDP));
	port_list_free(&pl);
	free(path);
}

static void
test_port_spec_top_rejects_zero(void)
{
	struct port_list	 pl;
	char			*cause = NULL;

	CU_ASSERT_EQUAL(port_spec_top(&pl, 0, PORT_TCP, NULL, &cause), -1);
	CU_ASSERT_PTR_NOT_NULL(cause);
	free(cause);
}

static void
test_port_spec_top_100_of_installed_nmap_has_web_and_ssh(void)
{
	struct port_list	 pl;
	char			*cause = NULL;

	if (access(NMAP_SERVICES, R_OK) != 0) {
		fprintf(stderr, "\n(no %s: test not run) ", NMAP_SERVICES);
		return;
	}
	CU_ASSERT_EQUAL_FATAL(port_spec_top(&pl, 100, PORT_TCP, NULL, &cause),
	    0);
	CU_ASSERT_EQUAL(pl.n, 100);
	CU_ASSERT(has(&pl, 80, PORT_TCP));
	CU_ASSERT(has(&pl, 443, PORT_TCP));
	CU_ASSERT(has(&pl, 22, PORT_TCP));
	port_list_free(&pl);
}

static const struct unit_test tests[] = {
	TEST(test_port_spec_parses_ports_ranges_and_prefixes),
	TEST(test_port_spec_prefix_applies_until_next_prefix),
	TEST(test_port_spec_dash_alone_is_every_port),
	TEST(test_port_spec_open_ended_ranges),
	TEST(test_port_spec_merges_duplicates_and_overlaps),
	TEST(test_port_spec_sorts_tcp_first_then_by_port),
	TEST(test_port_spec_resolves_service_names),
	TEST(test_port_spec_rejects_out_of_range),
	TEST(test_port_spec_rejects_reversed_range),
	TEST(test_port_spec_rejects_empty_items),
	TEST(test_port_spec_rejects_garbage),
	TEST(test_port_spec_rejects_unknown_service),
	TEST(test_port_spec_rejects_prefix_of_unscanned_protocol),
	TEST(test_port_spec_rejects_no_protocol),
	TEST(test_port_list_count_counts_by_protocol),
	TEST(test_port_spec_service_names_ports),
	TEST(test_port_spec_service_is_getservbyport_for_every_port),
	TEST(test_port_spec_top_follows_nmap_services_frequencies),
	TEST(test_port_spec_top_takes_all_when_n_exceeds_list),
	TEST(test_port_spec_top_skips_malformed_lines),
	TEST(test_port_spec_top_falls_back_without_nmap_services),
	TEST(test_port_spec_top_falls_back_per_protocol),
	TEST(test_port_spec_top_rejects_zero),
	TEST(test_port_spec_top_100_of_installed_nmap_has_web_and_ssh),
	TEST_END
};

UNIT_MAIN("port-spec", tests)
