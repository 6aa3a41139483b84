/*
 * The XML output, in Nmap's format (nmap.dtd, xmloutputversion 1.05), so
 * that ndiff and the tools that import Nmap's XML read tact's too. The
 * one difference the DTD sees: scanner="tact", where it lists only
 * "nmap". The purpose, scope and profile of the scan are in a comment
 * and the profile also in nmaprun's profile_name. Every string that came
 * from the network or from a file goes through output_escape_xml().
 */
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output-escape.h"
#include "output.h"
#include "port-spec.h"
#include "xmalloc.h"

/* A bit for each port number, to print lists of ports as ranges. */
#define PORT_BITS	(65536 / 8)

static void	xml_begin(FILE *, const struct results *);
static void	xml_host(FILE *, const struct results *,
		    const struct results_host *);
static void	xml_end(FILE *, const struct results *);
static void	xml_attr(FILE *, const char *, const char *);
static void	xml_ranges(FILE *, const uint8_t *);
static void	xml_scaninfo(FILE *, const struct results *);
static void	xml_extraports(FILE *, const struct results_host *,
		    const struct results_port *, size_t);
static void	xml_port(FILE *, const struct results_port *);
static void	xml_service(FILE *, const struct results_service *);
static void	xml_text(FILE *, const char *, const char *);
static void	xml_elem(FILE *, const char *, const char *);
static void	xml_hostnames(FILE *, const struct results_host *);

const struct output_ops output_xml = {
	.name = "XML",
	.type = SCAN_OUTPUT_XML,
	.begin = xml_begin,
	.host = xml_host,
	.end = xml_end,
};

/* The technique the scan-start record names, as scaninfo's type. */
static const struct {
	const char	*technique;
	const char	*type;
} xml_types[] = {
	{ "syn", "syn" },
	{ "connect", "connect" },
	{ "udp", "udp" },
};

/* ` name="value"`, the value escaped. */
static void
xml_attr(FILE *f, const char *name, const char *value)
{
	char	*e = output_escape_xml(value, strlen(value));

	fprintf(f, " %s=\"%s\"", name, e);
	free(e);
}

/* The ports set in bits, as "1-3,5". */
static void
xml_ranges(FILE *f, const uint8_t *bits)
{
	const char	*sep = "";
	unsigned	 p, first;

	for (p = 0; p < 65536; p++) {
		if ((bits[p / 8] & (1 << p % 8)) == 0)
			continue;
		first = p;
		while (p + 1 < 65536 && (bits[(p + 1) / 8] & (1 << (p + 1) % 8)))
			p++;
		if (first == p)
			fprintf(f, "%s%u", sep, p);
		else
			fprintf(f, "%s%u-%u", sep, first, p);
		sep = ",";
	}
}

/* One scaninfo for each protocol, listing every port any host had. */
static void
xml_scaninfo(FILE *f, const struct results *r)
{
	const struct results_host	*h;
	const char			*technique, *type = "connect";
	struct results_port		*v = NULL;
	uint8_t				 bits[PORT_BITS];
	size_t				 i, j, k, n, nv, av = 0;
	unsigned			 proto;

	technique = results_scan_string(r, "technique");
	if (technique != NULL && strcmp(technique, "ping") == 0)
		return;
	for (k = 0; k < sizeof xml_types / sizeof xml_types[0]; k++) {
		if (technique != NULL &&
		    strcmp(technique, xml_types[k].technique) == 0)
			type = xml_types[k].type;
	}
	for (proto = PORT_TCP; proto <= PORT_UDP; proto <<= 1) {
		memset(bits, 0, sizeof bits);
		n = 0;
		for (i = 0; i < results_host_count(r); i++) {
			h = results_host(r, i);
			nv = results_host_ports(h, &v, &av);
			for (j = 0; j < nv; j++) {
				if (v[j].proto != proto)
					continue;
				if ((bits[v[j].port / 8] &
				    (1 << v[j].port % 8)) == 0)
					n++;
				bits[v[j].port / 8] |= 1 << v[j].port % 8;
			}
		}
		if (n == 0 && proto != PORT_TCP)
			continue;
		fprintf(f, "<scaninfo type=\"%s\" protocol=\"%s\" "
		    "numservices=\"%zu\" services=\"",
		    proto == PORT_UDP ? "udp" : type,
		    proto == PORT_UDP ? "udp" : "tcp", n);
		xml_ranges(f, bits);
		fprintf(f, "\"/>\n");
	}
	free(v);
}

static void
xml_begin(FILE *f, const struct results *r)
{
	const struct results_scan	*s = results_scan(r);
	const char			*args, *v, *sep = "<!--";
	char				 date[64], *e;
	size_t				 i;

	args = results_scan_string(r, "args");
	if (args == NULL)
		args = "tact scan";
	output_date(s->wall_start, date, sizeof date);
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<!DOCTYPE nmaprun>\n");
	e = output_escape_xml_comment(args, strlen(args));
	fprintf(f, "<!-- tact %s scan initiated %s as: %s -->\n",
	    PACKAGE_VERSION, date, e);
	free(e);
	for (i = 0; i < OUTPUT_POLICY_COUNT; i++) {
		if ((v = results_scan_string(r, output_policy[i])) == NULL)
			continue;
		e = output_escape_xml_comment(v, strlen(v));
		fprintf(f, "%s tact %s: %s", sep, output_policy[i], e);
		free(e);
		sep = ";";
	}
	if (*sep == ';')
		fprintf(f, " -->\n");

	fprintf(f, "<nmaprun scanner=\"tact\"");
	xml_attr(f, "args", args);
	fprintf(f, " start=\"%llu\"", (unsigned long long)s->wall_start);
	xml_attr(f, "startstr", date);
	xml_attr(f, "version", PACKAGE_VERSION);
	if ((v = results_scan_string(r, "profile")) != NULL)
		xml_attr(f, "profile_name", v);
	fprintf(f, " xmloutputversion=\"1.05\">\n");
	xml_scaninfo(f, r);
	fprintf(f, "<verbose level=\"0\"/>\n<debugging level=\"0\"/>\n");
}

/* The folded states: count, and the ports of each reason and protocol. */
static void
xml_extraports(FILE *f, const struct results_host *h,
    const struct results_port *v, size_t n)
{
	uint8_t		bits[PORT_BITS];
	size_t		count[EVENT_REASON_MAX][2], i;
	uint8_t		state, reason, udp;

	for (state = EVENT_PORT_OPEN; state <= EVENT_PORT_CLOSED_FILTERED;
	    state++) {
		if (!output_folded(h, state))
			continue;
		fprintf(f, "<extraports state=\"%s\" count=\"%zu\">\n",
		    event_port_state_name(state), results_port_count(h, state));
		memset(count, 0, sizeof count);
		for (i = 0; i < n; i++) {
			if (v[i].state == state &&
			    v[i].reason < EVENT_REASON_MAX)
				count[v[i].reason][v[i].proto == PORT_UDP]++;
		}
		for (reason = 0; reason < EVENT_REASON_MAX; reason++) {
			for (udp = 0; udp < 2; udp++) {
				if (count[reason][udp] == 0)
					continue;
				memset(bits, 0, sizeof bits);
				for (i = 0; i < n; i++) {
					if (v[i].state == state &&
					    v[i].reason == reason &&
					    (v[i].proto == PORT_UDP) == udp)
						bits[v[i].port / 8] |=
						    1 << v[i].port % 8;
				}
				fprintf(f, "<extrareasons reason=\"%s\" "
				    "count=\"%zu\" proto=\"%s\" ports=\"",
				    event_reason_name(reason),
				    count[reason][udp], udp ? "udp" : "tcp");
				xml_ranges(f, bits);
				fprintf(f, "\"/>\n");
			}
		}
		fprintf(f, "</extraports>\n");
	}
}

/* -sV's service, as Nmap writes it, with the certificate as ssl-cert. */
static void
xml_service(FILE *f, const struct results_service *sv)
{
	static const char *const attrs[] = {
		"product", "version", "extrainfo", "hostname", "ostype",
		"devicetype"
	};
	char	 when[2][32], hex[65];
	size_t	 i;

	fprintf(f, "<service");
	xml_attr(f, "name", sv->name);
	for (i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
		if (sv->field[i] != NULL)
			xml_attr(f, attrs[i], sv->field[i]);
	if (sv->tunnel)
		fprintf(f, " tunnel=\"ssl\"");
	fprintf(f, " method=\"%s\" conf=\"%u\"",
	    event_service_method_name(sv->method), sv->conf);
	if (sv->ncpe == 0)
		fprintf(f, "/>");
	else {
		fprintf(f, ">");
		for (i = 0; i < sv->ncpe; i++) {
			fprintf(f, "<cpe>");
			xml_text(f, "", sv->cpe[i]);
			fprintf(f, "</cpe>");
		}
		fprintf(f, "</service>");
	}
	if (!sv->cert)
		return;
	output_cert_time(sv->cert_not_before, when[0], sizeof when[0]);
	output_cert_time(sv->cert_not_after, when[1], sizeof when[1]);
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", sv->cert_sha256[i]);
	fprintf(f, "<script id=\"ssl-cert\" output=\"");
	xml_text(f, "Subject: ", sv->cert_subject);
	xml_text(f, "&#xa;Issuer: ", sv->cert_issuer);
	for (i = 0; i < sv->ncert_san; i++)
		xml_text(f, i == 0 ? "&#xa;Subject Alternative Name: " : ", ",
		    sv->cert_san[i]);
	fprintf(f, "&#xa;Not valid before: %s&#xa;Not valid after:  %s"
	    "&#xa;SHA-256: %s\">", when[0], when[1], hex);
	xml_elem(f, "subject", sv->cert_subject);
	xml_elem(f, "issuer", sv->cert_issuer);
	for (i = 0; i < sv->ncert_san; i++)
		xml_elem(f, "san", sv->cert_san[i]);
	fprintf(f, "<elem key=\"notBefore\">%s</elem>"
	    "<elem key=\"notAfter\">%s</elem>"
	    "<elem key=\"sha256\">%s</elem></script>", when[0], when[1], hex);
}

/* pfx (markup, as it is) then v escaped. */
static void
xml_text(FILE *f, const char *pfx, const char *v)
{
	char	*e;

	e = output_escape_xml(v != NULL ? v : "", v != NULL ? strlen(v) : 0);
	fprintf(f, "%s%s", pfx, e);
	free(e);
}

static void
xml_elem(FILE *f, const char *key, const char *v)
{
	if (v == NULL)
		return;
	fprintf(f, "<elem key=\"%s\">", key);
	xml_text(f, "", v);
	fprintf(f, "</elem>");
}

static void
xml_port(FILE *f, const struct results_port *p)
{
	const char	*svc = port_spec_service(p->port, p->proto);
	char		*e;

	fprintf(f, "<port protocol=\"%s\" portid=\"%u\"><state state=\"%s\" "
	    "reason=\"%s\" reason_ttl=\"%u\"/>",
	    p->proto == PORT_UDP ? "udp" : "tcp", p->port,
	    event_port_state_name(p->state), event_reason_name(p->reason),
	    p->ttl);
	if (p->service != NULL)
		xml_service(f, p->service);
	else if (svc != NULL)
		fprintf(f, "<service name=\"%s\" method=\"table\" conf=\"3\"/>",
		    svc);
	if (p->banner != NULL) {
		e = output_escape_xml(p->banner, p->banner_len);
		fprintf(f, "<script id=\"banner\" output=\"%s\"/>", e);
		free(e);
	}
	fprintf(f, "</port>\n");
}

/* The name the host was given as, as Nmap writes a user's or a PTR. */
static void
xml_hostnames(FILE *f, const struct results_host *h)
{
	char	*name;

	fprintf(f, "<hostnames>\n");
	if (h->name != NULL) {
		name = output_escape_xml(h->name, strlen(h->name));
		fprintf(f, "<hostname name=\"%s\" type=\"%s\"/>\n", name,
		    event_name_type_name(h->name_type));
		free(name);
	}
	fprintf(f, "</hostnames>\n");
}

/*
 * A host that is up, as Nmap writes it. The store keeps one round-trip
 * time a host; rttvar and to are what RFC 6298 sets after one sample.
 */
static void
xml_host(FILE *f, const struct results *r, const struct results_host *h)
{
	const struct results_scan	*s = results_scan(r);
	struct output_end		 e;
	struct results_port		*v = NULL;
	char				 addr[64];
	size_t				 i, n, av = 0;

	if (h->state != EVENT_HOST_UP)
		return;
	output_end_read(r, &e);
	fprintf(f, "<host starttime=\"%llu\" endtime=\"%llu\"%s>"
	    "<status state=\"up\" reason=\"%s\" reason_ttl=\"%u\"/>\n",
	    (unsigned long long)s->wall_start, (unsigned long long)e.wall,
	    h->timedout ? " timedout=\"true\"" : "",
	    event_reason_name(h->reason), h->ttl);
	fprintf(f, "<address addr=\"%s\" addrtype=\"%s\"/>\n",
	    target_addr_str(&h->addr, addr, sizeof addr),
	    h->addr.family == AF_INET6 ? "ipv6" : "ipv4");
	xml_hostnames(f, h);
	if ((n = results_host_ports(h, &v, &av)) != 0) {
		fprintf(f, "<ports>");
		xml_extraports(f, h, v, n);
		for (i = 0; i < n; i++)
			if (!output_folded(h, v[i].state))
				xml_port(f, &v[i]);
		fprintf(f, "</ports>\n");
	}
	free(v);
	if (h->rtt_us != 0)
		fprintf(f, "<times srtt=\"%u\" rttvar=\"%u\" to=\"%u\"/>\n",
		    h->rtt_us, h->rtt_us / 2, h->rtt_us * 3);
	fprintf(f, "</host>\n");
}

static void
xml_end(FILE *f, const struct results *r)
{
	struct output_end		 e;
	size_t				 n = results_host_count(r);
	size_t				 up = results_hosts_up(r);
	char				 date[64], *summary;

	output_end_read(r, &e);
	output_date(e.wall, date, sizeof date);
	xasprintf(&summary, "tact %s at %s; %zu IP address%s (%zu host%s "
	    "up) scanned in %.2f seconds", e.state, date, n, n == 1 ? "" : "es",
	    up, up == 1 ? "" : "s", e.secs);
	fprintf(f, "<runstats><finished time=\"%llu\"",
	    (unsigned long long)e.wall);
	xml_attr(f, "timestr", date);
	xml_attr(f, "summary", summary);
	fprintf(f, " elapsed=\"%.2f\"", e.secs);
	if (e.why == NULL)
		fprintf(f, " exit=\"success\"");
	else
		fprintf(f, " exit=\"error\" errormsg=\"%s\"", e.why);
	fprintf(f, "/><hosts up=\"%zu\" down=\"%zu\" total=\"%zu\"/>\n"
	    "</runstats>\n</nmaprun>\n", up, n - up, n);
	free(summary);
}
