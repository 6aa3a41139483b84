/*
 * The service probe database: the grammar of nmap-service-probes (on
 * files written here, never Nmap's), probe order by port and intensity,
 * hard and soft matches, fallbacks, the template helpers, and tact's
 * own table naming each service it promises from a response written
 * from the protocol's specification.
 */
#include <stdlib.h>
#include <string.h>

#include "service.h"
#include "unit.h"

static struct service_db *
db_of(const char *text)
{
	struct service_db	*db;
	char			*cause = NULL;

	db = service_db_parse("t", text, strlen(text), &cause);
	if (db == NULL)
		CU_FAIL(cause);
	free(cause);
	return (db);
}

static char *
error_of(const char *text)
{
	char	*cause = NULL;

	CU_ASSERT_PTR_NULL(service_db_parse("t", text, strlen(text), &cause));
	return (cause);
}

/* Match resp to the first probe that names it, as the engine would. */
static int
match_of(struct service_db *db, const char *probe, const void *resp,
    size_t len, struct service_info *info)
{
	long	i = service_db_find(db, probe);

	CU_ASSERT_FATAL(i >= 0);
	return (service_db_match(db, (size_t)i, resp, len, NULL, info));
}

static void
test_service_parses_every_directive(void)
{
	struct service_db	*db;
	struct service_info	 info;

	db = db_of("# c\nExclude T:9100-9102\n"
	    "Probe TCP NULL q||\ntotalwaitms 6000\ntcpwrappedms 2000\n"
	    "match x m|^X(\\d)| p/Ex/ v/$1/ i/i/ h/h/ o/o/ d/d/ "
	    "cpe:/a:x:x:$1/a\n"
	    "Probe TCP Get q|GET\\r\\n\\x00\\\\| no-payload\n"
	    "rarity 3\nports 80,8080\nsslports 443\nfallback NULL\n"
	    "softmatch y m=^Y=i\n");
	CU_ASSERT_FATAL(db != NULL);
	CU_ASSERT_EQUAL(db->nprobes, 2);
	CU_ASSERT_EQUAL(db->exclude.n, 3);
	CU_ASSERT_EQUAL(db->probes[0].totalwaitms, 6000);
	CU_ASSERT_EQUAL(db->probes[0].tcpwrappedms, 2000);
	CU_ASSERT_EQUAL(db->probes[1].len, 7);
	CU_ASSERT(memcmp(db->probes[1].data, "GET\r\n\0\\", 7) == 0);
	CU_ASSERT_EQUAL(db->probes[1].rarity, 3);
	CU_ASSERT_EQUAL(db->probes[1].ports.n, 2);
	CU_ASSERT_EQUAL(db->probes[1].sslports.n, 1);
	CU_ASSERT_EQUAL(db->probes[1].nfallback, 1);
	CU_ASSERT_EQUAL(match_of(db, "Get", "X7", 2, &info), 1);
	CU_ASSERT_STRING_EQUAL(info.service, "x");
	CU_ASSERT_STRING_EQUAL(info.field[SERVICE_PRODUCT], "Ex");
	CU_ASSERT_STRING_EQUAL(info.field[SERVICE_VERSION], "7");
	CU_ASSERT_STRING_EQUAL(info.field[SERVICE_DEVICETYPE], "d");
	CU_ASSERT_EQUAL(info.ncpe, 1);
	CU_ASSERT_STRING_EQUAL(info.cpe[0], "cpe:/a:x:x:7");
	service_info_free(&info);
	CU_ASSERT_EQUAL(match_of(db, "Get", "y", 1, &info), 1);
	CU_ASSERT(info.soft);
	service_info_free(&info);
	CU_ASSERT_EQUAL(match_of(db, "Get", "z", 1, &info), 0);
	service_db_free(db);
}

static void
test_service_refuses_bad_lines_with_their_number(void)
{
	static const struct {
		const char	*text;
		const char	*want;
	} bad[] = {
		{ "match x m|a|\n", "t:1: match before any Probe" },
		{ "Probe TCP A q||\nmatch x m|(|\n", "t:2: match x: regex" },
		{ "Probe TCP A q||\nmatch x m|a|z\n", "t:2: match x: unknown "
		    "flag 'z'" },
		{ "Probe TCP A q||\nmatch x m|a| q/b/\n", "t:2: match x: "
		    "unknown field 'q'" },
		{ "Probe TCP A q||\nmatch x m|a\n", "t:2: m|: no closing |" },
		{ "Probe SCTP A q||\n", "t:1: Probe: \"SCTP\": want TCP or UDP" },
		{ "Probe TCP A q||\nrarity 10\n", "t:2: rarity: " },
		{ "Probe TCP A q||\nports 70000\n", "t:2: ports: " },
		{ "Probe TCP A q||\nfallback B\n", "probe A: fallback B: no "
		    "such probe" },
		{ "Probe TCP A q||\nProbe TCP A q||\n", "t:2: Probe A: given "
		    "twice" },
		{ "Probe TCP A q||\nfrobnicate\n", "t:2: \"frobnicate\": "
		    "unknown directive" },
		{ "# nothing\n", "t:1: no Probe" },
	};
	char	*cause;
	size_t	 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = error_of(bad[i].text);
		CU_ASSERT_PTR_NOT_NULL_FATAL(cause);
		if (strstr(cause, bad[i].want) == NULL)
			CU_FAIL(cause);
		free(cause);
	}
}

static void
test_service_orders_probes_by_port_then_rarity(void)
{
	struct service_db	*db;
	size_t			 out[8], n;

	db = db_of("Exclude 9100\nProbe TCP NULL q||\n"
	    "Probe TCP Rare q|r|\nrarity 8\nports 7000\n"
	    "Probe TCP Common q|c|\nrarity 1\n"
	    "Probe TCP Web q|w|\nrarity 4\nports 80\nsslports 443\n"
	    "Probe UDP Dns q|d|\nrarity 1\n");
	n = service_db_order(db, 7000, PORT_TCP, false, 2, out);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_STRING_EQUAL(db->probes[out[0]].name, "NULL");
	CU_ASSERT_STRING_EQUAL(db->probes[out[1]].name, "Rare");
	CU_ASSERT_STRING_EQUAL(db->probes[out[2]].name, "Common");
	n = service_db_order(db, 443, PORT_TCP, true, 2, out);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_STRING_EQUAL(db->probes[out[1]].name, "Web");
	n = service_db_order(db, 443, PORT_TCP, false, 9, out);
	CU_ASSERT_EQUAL(n, 4);
	CU_ASSERT_STRING_EQUAL(db->probes[out[1]].name, "Rare");
	CU_ASSERT_EQUAL(service_db_order(db, 9100, PORT_TCP, false, 9, out),
	    0);
	n = service_db_order(db, 53, PORT_UDP, false, 0, out);
	CU_ASSERT_EQUAL(n, 0);
	service_db_free(db);
}

static void
test_service_prefers_a_hard_match_to_a_softmatch(void)
{
	struct service_db	*db;
	struct service_info	 info;
	long			 i;

	db = db_of("Probe TCP NULL q||\nsoftmatch ftp m|^220|\n"
	    "Probe TCP Help q|HELP\\r\\n|\nmatch ftp m|^220 (\\S+) FTP|"
	    " p/$1/\nmatch smtp m|^220 |\n");
	CU_ASSERT_EQUAL(match_of(db, "Help", "220 Foo FTP", 11, &info), 1);
	CU_ASSERT(!info.soft);
	CU_ASSERT_STRING_EQUAL(info.field[SERVICE_PRODUCT], "Foo");
	service_info_free(&info);
	/* The NULL probe's matches are every TCP probe's fallback. */
	CU_ASSERT_EQUAL(match_of(db, "Help", "220", 3, &info), 1);
	CU_ASSERT(info.soft);
	CU_ASSERT_STRING_EQUAL(info.service, "ftp");
	service_info_free(&info);
	/* After a softmatch, only its service counts. */
	i = service_db_find(db, "Help");
	CU_ASSERT_EQUAL(service_db_match(db, (size_t)i,
	    (const uint8_t *)"220 x", 5, "ftp", &info), 1);
	CU_ASSERT_STRING_EQUAL(info.service, "ftp");
	service_info_free(&info);
	CU_ASSERT(service_db_may_name(db, (size_t)i, "smtp"));
	CU_ASSERT(!service_db_may_name(db, (size_t)i, "http"));
	service_db_free(db);
}

static void
test_service_fills_templates_with_helpers(void)
{
	static const uint8_t	 subj[] = "ab\x01" "c_d\x00\x01\x02";
	size_t			 ov[8] = { 0, 9, 0, 4, 3, 6, 6, 8 };
	char			*v;

	v = service_subst("v$1.$P(1)!", subj, ov, 4);
	CU_ASSERT_STRING_EQUAL(v, "vab\x01" "c.abc!");
	free(v);
	v = service_subst("$SUBST(2,\"_\",\".\")", subj, ov, 4);
	CU_ASSERT_STRING_EQUAL(v, "c.d");
	free(v);
	v = service_subst("$I(3,\">\") $I(3,\"<\")", subj, ov, 4);
	CU_ASSERT_STRING_EQUAL(v, "1 256");
	free(v);
	CU_ASSERT_PTR_NULL(service_subst("$5", subj, ov, 4));
	v = service_subst("$x costs $", subj, ov, 4);
	CU_ASSERT_STRING_EQUAL(v, "$x costs $");
	free(v);
}

/* tact's own table: a response of each service it promises. */
static void
test_service_own_table_names_each_service(void)
{
	static const struct {
		const char	*probe;
		const char	*resp;
		size_t		 len;
		const char	*service;
		const char	*product;
		const char	*version;
	} cases[] = {
		{ "NULL", "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n", 0,
		    "ssh", "OpenSSH", "9.2p1 Debian 2+deb12u3" },
		{ "NULL", "SSH-2.0-Foo\r\n", 0, "ssh", NULL, NULL },
		{ "NULL", "220 (vsFTPd 3.0.3)\r\n", 0, "ftp", "vsftpd",
		    "3.0.3" },
		{ "NULL", "220 mail.example ESMTP Postfix (Debian/GNU)\r\n", 0,
		    "smtp", "Postfix smtpd", NULL },
		{ "NULL", "+OK Dovecot ready.\r\n", 0, "pop3",
		    "Dovecot pop3d", NULL },
		{ "NULL", "* OK [CAPABILITY IMAP4rev1] Dovecot ready.\r\n", 0,
		    "imap", "Dovecot imapd", NULL },
		{ "NULL", "J\0\0\0\x0a" "10.11.6-MariaDB\0xxxx", 25, "mysql",
		    "MySQL", "10.11.6-MariaDB" },
		{ "HTTPGet", "HTTP/1.1 200 OK\r\nDate: x\r\nServer: "
		    "nginx/1.22.1\r\n\r\n", 0, "http", "nginx", "1.22.1" },
		{ "HTTPGet", "HTTP/1.0 404 Not Found\r\n\r\n", 0, "http",
		    NULL, NULL },
		{ "TLSHello", "\x16\x03\x03\x00\x3d\x02\x00\x00\x39\x03\x03",
		    11, "ssl", NULL, NULL },
		{ "TLSHello", "\x15\x03\x01\x00\x02\x02\x28", 7, "ssl", NULL,
		    NULL },
		{ "RedisInfo", "$3000\r\n# Server\r\nredis_version:7.0.15\r\n",
		    0, "redis", "Redis key-value store", "7.0.15" },
		{ "RedisInfo", "-DENIED Redis is running in protected mode\r\n",
		    0, "redis", "Redis key-value store", NULL },
		{ "PostgresStartup", "R\0\0\0\x0c\0\0\0\x05xxxx", 13,
		    "postgresql", "PostgreSQL DB", NULL },
		{ "PostgresStartup", "E\0\0\0\x50SFATAL\0VFATAL\0", 19,
		    "postgresql", "PostgreSQL DB", NULL },
		{ "DNSVersionBind", "\0\x40\x74\x61\x84\x00\0\x01\0\x01\0\0\0\0"
		    "\x07version\x04" "bind\0\0\x10\0\x03\xc0\x0c\0\x10\0\x03"
		    "\0\0\0\0\0\x08\x07" "9.18.24", 52, "domain", "ISC BIND",
		    "9.18.24" },
		{ "DNSVersionBind", "\0\x40\x74\x61\x81\x05", 6, "domain",
		    NULL, NULL },
		{ "DNSVersionBind", "\0\x37\x74\x61\x85\x80\0\x01\0\x01\0\0"
		    "\0\0\x07version\x04" "bind\0\0\x10\0\x03\xc0\x0c\0\x10\0"
		    "\x03\0\0\0\0\0\x0d\x0c" "dnsmasq-2.90", 57, "domain",
		    "dnsmasq", "2.90" },
		{ "DNSVersionBindUDP", "\x74\x61\x85\x80\0\x01\0\x01\0\0"
		    "\0\0\x07version\x04" "bind\0\0\x10\0\x03\xc0\x0c\0\x10\0"
		    "\x03\0\0\0\0\0\x0d\x0c" "dnsmasq-2.90", 55, "domain",
		    "dnsmasq", "2.90" },
		{ "DNSVersionBindUDP", "\x74\x61\x81\x05\0\0", 6, "domain",
		    NULL, NULL },
	};
	struct service_db	*db;
	struct service_info	 info;
	char			*cause = NULL;
	size_t			 i, len;

	db = service_db_load(NULL, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		len = cases[i].len != 0 ? cases[i].len : strlen(cases[i].resp);
		if (match_of(db, cases[i].probe, cases[i].resp, len,
		    &info) != 1) {
			CU_FAIL(cases[i].resp);
			continue;
		}
		CU_ASSERT_STRING_EQUAL(info.service, cases[i].service);
		if (cases[i].product == NULL) {
			CU_ASSERT_PTR_NULL(info.field[SERVICE_PRODUCT]);
		} else if (info.field[SERVICE_PRODUCT] == NULL ||
		    strcmp(info.field[SERVICE_PRODUCT], cases[i].product) != 0)
			CU_FAIL(cases[i].resp);
		if (cases[i].version == NULL) {
			CU_ASSERT_PTR_NULL(info.field[SERVICE_VERSION]);
		} else if (info.field[SERVICE_VERSION] == NULL ||
		    strcmp(info.field[SERVICE_VERSION], cases[i].version) != 0)
			CU_FAIL(cases[i].resp);
		service_info_free(&info);
	}
	service_db_free(db);
}

/* Matching is bounded: catastrophic backtracking ends, unmatched. */
static void
test_service_bounds_a_pathological_pattern(void)
{
	struct service_db	*db;
	struct service_info	 info;
	char			 resp[4096];

	db = db_of("Probe TCP NULL q||\nmatch x m|^(a+)+$|\n");
	memset(resp, 'a', sizeof resp);
	resp[sizeof resp - 1] = 'b';
	CU_ASSERT_EQUAL(match_of(db, "NULL", resp, sizeof resp, &info), 0);
	service_db_free(db);
}

static const struct unit_test tests[] = {
	TEST(test_service_parses_every_directive),
	TEST(test_service_refuses_bad_lines_with_their_number),
	TEST(test_service_orders_probes_by_port_then_rarity),
	TEST(test_service_prefers_a_hard_match_to_a_softmatch),
	TEST(test_service_fills_templates_with_helpers),
	TEST(test_service_own_table_names_each_service),
	TEST(test_service_bounds_a_pathological_pattern),
	TEST_END
};

UNIT_MAIN("service", tests)
