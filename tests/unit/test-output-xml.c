/*
 * The XML output: Nmap's layout (nmaprun, scaninfo, host, ports with
 * extraports, runstats), the scan's purpose, scope and profile, and
 * banners that cannot break the document; read back, a probed service.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#include "output-fixture.h"
#include "port-spec.h"

static const char *const strings[] = {
	"args=tact scan -sT --purpose audit--x 198.18.0.0/24",
	"profile=polite", "technique=connect", "purpose=audit--x",
	"scope=CHG-42 <lab>",
};

static void
build(struct fixture *fx, uint32_t end)
{
	uint16_t	p;

	fixture_start(fx, strings, sizeof strings / sizeof strings[0]);
	fixture_host(fx, 1, EVENT_HOST_UP, EVENT_REASON_ECHO_REPLY);
	fixture_host(fx, 2, EVENT_HOST_DOWN, EVENT_REASON_NO_RESPONSE);
	for (p = 1; p <= 30; p++)
		fixture_port(fx, 1, p, EVENT_PORT_CLOSED, p == 7 ?
		    EVENT_REASON_NO_RESPONSE : EVENT_REASON_RESET);
	fixture_port(fx, 1, 80, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK);
	fixture_port(fx, 1, 443, EVENT_PORT_FILTERED,
	    EVENT_REASON_NO_RESPONSE);
	if (end != 0)
		fixture_end(fx, end);
}

static char *
render(uint32_t end)
{
	struct fixture	 fx;
	char		*s;

	build(&fx, end);
	s = fixture_render(&output_xml, &fx, NULL);
	fixture_free(&fx);
	return (s);
}

static void
test_output_xml_starts_with_nmaprun_by_tact(void)
{
	char	*s = render(EVENT_END_DONE);

	CU_ASSERT(strncmp(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<!DOCTYPE nmaprun>\n", 56) == 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "<nmaprun scanner=\"tact\" args=\""
	    "tact scan -sT --purpose audit--x 198.18.0.0/24\" "
	    "start=\"1795913175\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, " profile_name=\"polite\" "
	    "xmloutputversion=\"1.05\">"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "<scaninfo type=\"connect\" "
	    "protocol=\"tcp\" numservices=\"32\" services=\"1-30,80,443\"/>"));
	free(s);
}

static void
test_output_xml_records_purpose_scope_and_profile_in_a_comment(void)
{
	char	*s = render(EVENT_END_DONE), *c, *end;

	c = strstr(s, "<!-- tact purpose: audit- -x; tact scope: CHG-42 <lab>;"
	    " tact profile: polite -->");
	CU_ASSERT_PTR_NOT_NULL(c);
	/* No comment holds "--" but at its ends. */
	for (c = strstr(s, "<!--"); c != NULL; c = strstr(end, "<!--")) {
		end = strstr(c + 4, "-->");
		CU_ASSERT_FATAL(end != NULL);
		*end = '\0';
		CU_ASSERT_PTR_NULL(strstr(c + 4, "--"));
		end += 3;
	}
	free(s);
}

static void
test_output_xml_folds_crowded_states_into_extraports(void)
{
	char	*s = render(EVENT_END_DONE);

	CU_ASSERT_PTR_NOT_NULL(strstr(s, "<ports><extraports state=\"closed\" "
	    "count=\"30\">\n<extrareasons reason=\"reset\" count=\"29\" "
	    "proto=\"tcp\" ports=\"1-6,8-30\"/>\n<extrareasons "
	    "reason=\"no-response\" count=\"1\" proto=\"tcp\" ports=\"7\"/>\n"
	    "</extraports>\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "<port protocol=\"tcp\" portid=\"80\">"
	    "<state state=\"open\" reason=\"syn-ack\" reason_ttl=\"64\"/>"
	    "<service name=\"http\" method=\"table\" conf=\"3\"/></port>\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "<port protocol=\"tcp\" portid=\"443\">"
	    "<state state=\"filtered\" reason=\"no-response\" "
	    "reason_ttl=\"0\"/>"));
	CU_ASSERT_PTR_NULL(strstr(s, "portid=\"7\""));
	free(s);
}

static void
test_output_xml_leaves_down_hosts_out_but_counts_them(void)
{
	char	*s = render(EVENT_END_DONE);

	CU_ASSERT_PTR_NOT_NULL(strstr(s, "<address addr=\"198.18.0.1\" "
	    "addrtype=\"ipv4\"/>"));
	CU_ASSERT_PTR_NULL(strstr(s, "198.18.0.2"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "<status state=\"up\" "
	    "reason=\"echo-reply\" reason_ttl=\"64\"/>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "elapsed=\"0.00\" exit=\"success\"/>"
	    "<hosts up=\"1\" down=\"1\" total=\"2\"/>\n</runstats>\n"
	    "</nmaprun>\n"));
	free(s);
}

static void
test_output_xml_says_an_interrupted_scan_did_not_finish(void)
{
	char	*s = render(0);

	CU_ASSERT_PTR_NOT_NULL(strstr(s, "exit=\"error\" "
	    "errormsg=\"interrupted before the end\""));
	free(s);
	s = render(EVENT_END_STOPPED);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "errormsg=\"stopped before the "
	    "end\""));
	free(s);
}

static void
test_output_xml_escapes_a_hostile_banner(void)
{
	struct fixture	 fx;
	char		*s, *script, *end;

	build(&fx, EVENT_END_DONE);
	fixture_banner(&fx, 1, 80, fixture_hostile, fixture_hostile_len);
	s = fixture_render(&output_xml, &fx, NULL);
	fixture_free(&fx);
	CU_ASSERT(fixture_utf8_valid(s, strlen(s)));
	CU_ASSERT(!fixture_has_control(s, "\n"));
	script = strstr(s, "<script id=\"banner\" output=\"");
	CU_ASSERT_FATAL(script != NULL);
	script += strlen("<script id=\"banner\" output=\"");
	end = strstr(script, "\"/></port>\n");
	CU_ASSERT_FATAL(end != NULL);
	*end = '\0';
	CU_ASSERT_PTR_NULL(strpbrk(script, "<>\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(script, "&lt;x a=&quot;1&quot;&gt;"
	    "&amp;amp;&lt;/x&gt;\xef\xbf\xbd" "after-nul"));
	CU_ASSERT_PTR_NOT_NULL(strstr(script, "&#13;&#10;&#9;"));
	free(s);
}

static void
test_output_xml_names_a_host_given_by_name(void)
{
	struct fixture	 fx;
	char		*s;

	build(&fx, 0);
	fixture_name(&fx, 1, "www.example.test", 16);
	fixture_end(&fx, EVENT_END_DONE);
	s = fixture_render(&output_xml, &fx, NULL);
	fixture_free(&fx);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "<address addr=\"198.18.0.1\" "
	    "addrtype=\"ipv4\"/>\n<hostnames>\n<hostname "
	    "name=\"www.example.test\" type=\"user\"/>\n</hostnames>\n"));
	free(s);
	/* Without a name, the element is there and empty, as Nmap's. */
	s = render(EVENT_END_DONE);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "<hostnames>\n</hostnames>\n"));
	free(s);
}

static void
test_output_xml_escapes_a_hostile_host_name(void)
{
	struct fixture	 fx;
	char		*s, *name, *end;

	build(&fx, 0);
	fixture_name(&fx, 1, fixture_hostile, fixture_hostile_len);
	fixture_end(&fx, EVENT_END_DONE);
	s = fixture_render(&output_xml, &fx, NULL);
	fixture_free(&fx);
	CU_ASSERT(fixture_utf8_valid(s, strlen(s)));
	CU_ASSERT(!fixture_has_control(s, "\n"));
	name = strstr(s, "<hostname name=\"");
	CU_ASSERT_FATAL(name != NULL);
	name += strlen("<hostname name=\"");
	end = strstr(name, "\" type=\"user\"/>\n");
	CU_ASSERT_FATAL(end != NULL);
	*end = '\0';
	CU_ASSERT_PTR_NULL(strpbrk(name, "<>\""));
	free(s);
}

/*
 * An interrupted, running or stopped scan says so, with the time of its
 * scan-end or last record and the seconds from its start to then.
 */
static void
test_output_xml_says_how_an_unfinished_scan_ended_and_when(void)
{
	static const struct {
		const char	*how;
		const char	*want;
	} cases[] = {
		{ "interrupted",
		    "<finished time=\"1795913217\" timestr=\"Sun Nov 29 00:46"
		    ":57 2026\" summary=\"tact interrupted at Sun Nov 29 00:4"
		    "6:57 2026; 1 IP address (1 host up) scanned in 42.50 sec"
		    "onds\" elapsed=\"42.50\" exit=\"error\" errormsg=\"inter"
		    "rupted before the end\"/>" },
		{ "running",
		    "<finished time=\"1795913217\" timestr=\"Sun Nov 29 00:46"
		    ":57 2026\" summary=\"tact running at Sun Nov 29 00:46:57"
		    " 2026; 1 IP address (1 host up) scanned in 42.50 seconds"
		    "\" elapsed=\"42.50\" exit=\"error\" errormsg=\"still run"
		    "ning\"/>" },
		{ "stopped",
		    "<finished time=\"1795913218\" timestr=\"Sun Nov 29 00:46"
		    ":58 2026\" summary=\"tact stopped at Sun Nov 29 00:46:58"
		    " 2026; 1 IP address (1 host up) scanned in 43.00 seconds"
		    "\" elapsed=\"43.00\" exit=\"error\" errormsg=\"stopped b"
		    "efore the end\"/>" },
	};
	size_t	 i;
	char	*s;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		s = fixture_render_unfinished(&output_xml, cases[i].how);
		if (strstr(s, cases[i].want) == NULL)
			fprintf(stderr, "\n%s: got\n%s\n", cases[i].how, s);
		CU_ASSERT_PTR_NOT_NULL(strstr(s, cases[i].want));
		CU_ASSERT_PTR_NULL(strstr(s, "1970"));
		free(s);
	}
}

/* Read back, a service -sV probed is the port's service, cpe and all. */
static void
test_output_xml_read_keeps_a_probed_service(void)
{
	static const char xml[] = "<?xml version=\"1.0\"?>\n"
	    "<nmaprun scanner=\"nmap\" args=\"nmap -sV\" start=\"1\">\n"
	    "<host><status state=\"up\" reason=\"syn-ack\"/>"
	    "<address addr=\"198.18.0.1\" addrtype=\"ipv4\"/><ports>\n"
	    "<port protocol=\"tcp\" portid=\"22\"><state state=\"open\" "
	    "reason=\"syn-ack\"/><service name=\"ssh\" product=\"OpenSSH\" "
	    "version=\"9.2p1 Debian 2\" extrainfo=\"protocol 2.0\" "
	    "ostype=\"Linux\" method=\"probed\" conf=\"10\">"
	    "<cpe>cpe:/a:openbsd:openssh:9.2p1</cpe>"
	    "<cpe>cpe:/o:linux:linux_kernel</cpe></service></port>\n"
	    "<port protocol=\"tcp\" portid=\"443\"><state state=\"open\" "
	    "reason=\"syn-ack\"/><service name=\"http\" product=\"nginx\" "
	    "tunnel=\"ssl\" method=\"probed\" conf=\"10\"/></port>\n"
	    "<port protocol=\"tcp\" portid=\"80\"><state state=\"open\" "
	    "reason=\"syn-ack\"/><service name=\"http\" method=\"table\" "
	    "conf=\"3\"/></port>\n"
	    "</ports></host></nmaprun>\n";
	const struct results_host	*h;
	const struct results_port	*p;
	struct results_port		 buf;
	const struct results_service	*sv;
	struct results			*r = results_create();
	char				*path, *cause = NULL;

	path = unit_tmpfile(xml, sizeof xml - 1);
	CU_ASSERT_EQUAL_FATAL(output_xml_read(path, r, &cause), 0);
	h = results_host(r, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	p = results_port_find(h, 22, PORT_TCP, &buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	sv = p->service;
	CU_ASSERT_PTR_NOT_NULL_FATAL(sv);
	CU_ASSERT_STRING_EQUAL(sv->name, "ssh");
	CU_ASSERT_STRING_EQUAL(output_service_field(sv, EVENT_SKEY_PRODUCT),
	    "OpenSSH");
	CU_ASSERT_STRING_EQUAL(output_service_field(sv, EVENT_SKEY_VERSION),
	    "9.2p1 Debian 2");
	CU_ASSERT_STRING_EQUAL(output_service_field(sv, EVENT_SKEY_EXTRAINFO),
	    "protocol 2.0");
	CU_ASSERT_STRING_EQUAL(output_service_field(sv, EVENT_SKEY_OSTYPE),
	    "Linux");
	CU_ASSERT_EQUAL(sv->method, EVENT_SERVICE_PROBED);
	CU_ASSERT_EQUAL(sv->conf, 10);
	CU_ASSERT_FALSE(sv->tunnel);
	CU_ASSERT_EQUAL_FATAL(sv->ncpe, 2);
	CU_ASSERT_STRING_EQUAL(sv->cpe[0], "cpe:/a:openbsd:openssh:9.2p1");
	CU_ASSERT_STRING_EQUAL(sv->cpe[1], "cpe:/o:linux:linux_kernel");
	/* The version is the service's, not a banner made of it. */
	CU_ASSERT_PTR_NULL(p->banner);
	p = results_port_find(h, 443, PORT_TCP, &buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p->service);
	CU_ASSERT_TRUE(p->service->tunnel);
	CU_ASSERT_EQUAL(p->service->ncpe, 0);
	/* Nmap's guess from the port number is no probe's answer. */
	p = results_port_find(h, 80, PORT_TCP, &buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_PTR_NULL(p->service);
	results_free(r);
	unlink(path);
	free(path);
}

static const struct unit_test tests[] = {
	TEST(test_output_xml_read_keeps_a_probed_service),
	TEST(test_output_xml_says_how_an_unfinished_scan_ended_and_when),
	TEST(test_output_xml_starts_with_nmaprun_by_tact),
	TEST(test_output_xml_records_purpose_scope_and_profile_in_a_comment),
	TEST(test_output_xml_folds_crowded_states_into_extraports),
	TEST(test_output_xml_leaves_down_hosts_out_but_counts_them),
	TEST(test_output_xml_says_an_interrupted_scan_did_not_finish),
	TEST(test_output_xml_escapes_a_hostile_banner),
	TEST(test_output_xml_names_a_host_given_by_name),
	TEST(test_output_xml_escapes_a_hostile_host_name),
	TEST_END
};

UNIT_MAIN("output-xml", tests)
