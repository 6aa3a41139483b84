/*
 * The JSON Lines output: one object a line, one for each host the scan
 * decided ("type":"host", every port, none folded), then a summary
 * ("type":"summary") with the command line, the purpose, scope and
 * profile, the times and the counts. Every string goes through
 * output_escape_json(), so each line parses whatever a target sent.
 */
#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>

#include "output-escape.h"
#include "output.h"
#include "port-spec.h"

static void	json_begin(FILE *, const struct results *);
static void	json_host(FILE *, const struct results *,
		    const struct results_host *);
static void	json_end(FILE *, const struct results *);
static void	json_string(FILE *, const char *, const char *, size_t);

const struct output_ops output_json = {
	.name = "JSON",
	.type = SCAN_OUTPUT_JSON,
	.begin = json_begin,
	.host = json_host,
	.end = json_end,
};

/* The scan-start strings the summary carries, null when absent. */
static const char *const json_strings[] = {
	"args", "purpose", "scope", "profile", "technique"
};

/* `"key":"value"` (no key: `"value"`), escaped; NULL writes null. */
static void
json_string(FILE *f, const char *key, const char *s, size_t len)
{
	char	*e;

	if (key != NULL)
		fprintf(f, "\"%s\":", key);
	if (s == NULL) {
		fprintf(f, "null");
		return;
	}
	e = output_escape_json(s, len);
	fprintf(f, "\"%s\"", e);
	free(e);
}

static void	json_list(FILE *, const char *, char *const *, size_t);
static void	json_service(FILE *, const struct results_service *);

static void
json_list(FILE *f, const char *key, char *const *v, size_t n)
{
	size_t	i;

	fprintf(f, ",\"%s\":[", key);
	for (i = 0; i < n; i++) {
		if (i > 0)
			fputc(',', f);
		json_string(f, NULL, v[i], strlen(v[i]));
	}
	fputc(']', f);
}

/* -sV's findings: "version":{...}, with its fields as Nmap's XML names them. */
static void
json_service(FILE *f, const struct results_service *sv)
{
	static const char *const keys[] = {
		"product", "version", "extrainfo", "hostname", "ostype",
		"devicetype"
	};
	size_t	i;
	char	hex[65];

	fprintf(f, ",\"detection\":{");
	json_string(f, "name", sv->name, strlen(sv->name));
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		fputc(',', f);
		json_string(f, keys[i], sv->field[i],
		    sv->field[i] != NULL ? strlen(sv->field[i]) : 0);
	}
	fprintf(f, ",\"method\":\"%s\",\"conf\":%u,\"tunnel\":%s",
	    event_service_method_name(sv->method), sv->conf,
	    sv->tunnel ? "\"ssl\"" : "null");
	json_list(f, "cpe", sv->cpe, sv->ncpe);
	if (sv->cert) {
		for (i = 0; i < 32; i++)
			snprintf(hex + 2 * i, 3, "%02x", sv->cert_sha256[i]);
		fprintf(f, ",\"certificate\":{");
		json_string(f, "subject", sv->cert_subject, sv->cert_subject !=
		    NULL ? strlen(sv->cert_subject) : 0);
		fputc(',', f);
		json_string(f, "issuer", sv->cert_issuer, sv->cert_issuer !=
		    NULL ? strlen(sv->cert_issuer) : 0);
		json_list(f, "san", sv->cert_san, sv->ncert_san);
		fprintf(f, ",\"not_before\":%lld,\"not_after\":%lld,"
		    "\"sha256\":\"%s\"}", (long long)sv->cert_not_before,
		    (long long)sv->cert_not_after, hex);
	}
	fputc('}', f);
}

static void
json_begin(FILE *f, const struct results *r)
{
}

static void
json_host(FILE *f, const struct results *r, const struct results_host *h)
{
	const struct results_port	*p;
	struct results_port		*v = NULL;
	const char			*svc;
	char				 addr[64];
	size_t				 i, n, av = 0;

	fprintf(f, "{\"type\":\"host\",\"address\":\"%s\",\"addrtype\":\"%s\","
	    "\"state\":\"%s\",\"reason\":\"%s\",\"reason_ttl\":%u,"
	    "\"srtt_us\":%u,\"probes\":%llu,\"silent\":%s,\"timedout\":%s,"
	    "\"hostnames\":[",
	    target_addr_str(&h->addr, addr, sizeof addr),
	    h->addr.family == AF_INET6 ? "ipv6" : "ipv4",
	    h->state == 0 ? "unknown" : event_host_state_name(h->state),
	    event_reason_name(h->reason), h->ttl, h->rtt_us,
	    (unsigned long long)h->probes, h->silent ? "true" : "false",
	    h->timedout ? "true" : "false");
	if (h->name != NULL) {
		fputc('{', f);
		json_string(f, "name", h->name, strlen(h->name));
		fprintf(f, ",\"type\":\"%s\"}",
		    event_name_type_name(h->name_type));
	}
	fprintf(f, "],\"ports\":[");
	n = results_host_ports(h, &v, &av);
	for (i = 0; i < n; i++) {
		p = &v[i];
		svc = p->service != NULL ? p->service->name :
		    port_spec_service(p->port, p->proto);
		fprintf(f, "%s{\"protocol\":\"%s\",\"port\":%u,\"state\":\"%s\","
		    "\"reason\":\"%s\",\"reason_ttl\":%u,", i == 0 ? "" : ",",
		    p->proto == PORT_UDP ? "udp" : "tcp", p->port,
		    event_port_state_name(p->state),
		    event_reason_name(p->reason), p->ttl);
		json_string(f, "service", svc, svc != NULL ? strlen(svc) : 0);
		fputc(',', f);
		json_string(f, "banner", p->banner, p->banner_len);
		if (p->service != NULL)
			json_service(f, p->service);
		fputc('}', f);
	}
	free(v);
	fprintf(f, "]}\n");
}

static void
json_end(FILE *f, const struct results *r)
{
	const struct results_scan	*s = results_scan(r);
	struct output_end		 e;
	const char			*v;
	size_t				 n = results_host_count(r), i;
	size_t				 up = results_hosts_up(r);

	output_end_read(r, &e);
	fprintf(f, "{\"type\":\"summary\",\"scanner\":\"tact\","
	    "\"version\":\"%s\",", PACKAGE_VERSION);
	for (i = 0; i < sizeof json_strings / sizeof json_strings[0]; i++) {
		v = results_scan_string(r, json_strings[i]);
		json_string(f, json_strings[i], v, v != NULL ? strlen(v) : 0);
		fputc(',', f);
	}
	fprintf(f, "\"start\":%llu,\"end\":%llu,",
	    (unsigned long long)s->wall_start, (unsigned long long)e.wall);
	fprintf(f, "\"elapsed\":%.2f,\"status\":\"%s\",\"hosts\":{\"up\":%zu,"
	    "\"down\":%zu,\"total\":%zu},\"warnings\":[", e.secs, e.state,
	    up, n - up, n);
	for (i = 0; i < results_warning_count(r); i++) {
		v = results_warning(r, i);
		if (i != 0)
			fputc(',', f);
		json_string(f, NULL, v, strlen(v));
	}
	fprintf(f, "]}\n");
}
