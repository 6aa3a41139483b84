/*
 * The grepable output, as Nmap's -oG writes it: one line a host that is
 * up with its status, one with its ports as port/state/protocol//
 * service//banner/, and comment lines for the start (with the purpose,
 * scope and profile) and the end. A banner is text-escaped and cannot
 * add a field: "/" becomes "|" and "," becomes ";".
 */
#include <stdlib.h>
#include <string.h>

#include "output-escape.h"
#include "output.h"
#include "port-spec.h"

static void	grepable_begin(FILE *, const struct results *);
static void	grepable_host(FILE *, const struct results *,
		    const struct results_host *);
static void	grepable_end(FILE *, const struct results *);
static void	grepable_text(FILE *, const char *, size_t);
static void	grepable_addr(FILE *, const struct results_host *,
		    const char *);

const struct output_ops output_grepable = {
	.name = "grepable",
	.type = SCAN_OUTPUT_GREPABLE,
	.begin = grepable_begin,
	.host = grepable_host,
	.end = grepable_end,
};

/* Bytes from the network or a file, as one field's worth of text. */
static void
grepable_text(FILE *f, const char *s, size_t len)
{
	char	*e = output_escape_text(s, len), *p;

	for (p = e; *p != '\0'; p++) {
		if (*p == '/')
			*p = '|';
		else if (*p == ',')
			*p = ';';
	}
	fputs(e, f);
	free(e);
}

/* "Host: 127.0.0.1 (localhost)", the parentheses empty with no name. */
static void
grepable_addr(FILE *f, const struct results_host *h, const char *addr)
{
	fprintf(f, "Host: %s (", addr);
	if (h->name != NULL)
		grepable_text(f, h->name, strlen(h->name));
	fputc(')', f);
}

static void
grepable_begin(FILE *f, const struct results *r)
{
	const char	*v, *sep = "#";
	char		 date[64], *e;
	size_t		 i;

	output_date(results_scan(r)->wall_start, date, sizeof date);
	output_initiated(f, r, date);
	for (i = 0; i < OUTPUT_POLICY_COUNT; i++) {
		if ((v = results_scan_string(r, output_policy[i])) == NULL)
			continue;
		e = output_escape_text(v, strlen(v));
		fprintf(f, "%s tact %s: %s", sep, output_policy[i], e);
		free(e);
		sep = ";";
	}
	if (*sep == ';')
		fputc('\n', f);
}

static void
grepable_host(FILE *f, const struct results *r, const struct results_host *h)
{
	const struct results_port	*p;
	struct results_port		*v = NULL;
	const char			*sep = "";
	char				*svc, *ver;
	char				 addr[64];
	size_t				 i, nv, av = 0;
	uint8_t				 s;

	if (h->state != EVENT_HOST_UP)
		return;
	target_addr_str(&h->addr, addr, sizeof addr);
	grepable_addr(f, h, addr);
	fprintf(f, "\tStatus: Up\n");
	if (h->timedout) {
		grepable_addr(f, h, addr);
		fprintf(f, "\tStatus: Timeout\n");
		return;
	}
	if (results_port_count(h, 0) == 0)
		return;
	grepable_addr(f, h, addr);
	fprintf(f, "\tPorts: ");
	nv = results_host_ports(h, &v, &av);
	for (i = 0; i < nv; i++) {
		p = &v[i];
		if (output_folded(h, p->state))
			continue;
		fprintf(f, "%s%u/%s/%s//", sep, p->port,
		    event_port_state_name(p->state),
		    p->proto == PORT_UDP ? "udp" : "tcp");
		/* -sV's name and version where it ran, as Nmap's fields. */
		if ((svc = output_service_name(p)) != NULL)
			grepable_text(f, svc, strlen(svc));
		free(svc);
		fprintf(f, "//");
		if ((ver = output_service_version(p->service)) != NULL)
			grepable_text(f, ver, strlen(ver));
		else if (p->banner != NULL)
			grepable_text(f, p->banner, p->banner_len);
		free(ver);
		fputc('/', f);
		sep = ", ";
	}
	free(v);
	sep = "\tIgnored State: ";
	for (s = EVENT_PORT_OPEN; s <= EVENT_PORT_CLOSED_FILTERED; s++) {
		if (!output_folded(h, s))
			continue;
		fprintf(f, "%s%s (%zu)", sep, event_port_state_name(s),
		    results_port_count(h, s));
		sep = ", ";
	}
	fputc('\n', f);
}

static void
grepable_end(FILE *f, const struct results *r)
{
	struct output_end		 e;
	size_t				 n = results_host_count(r);
	size_t				 up = results_hosts_up(r);
	char				 date[64];

	output_end_read(r, &e);
	output_date(e.wall, date, sizeof date);
	fprintf(f, "# tact %s at %s -- %zu IP address%s (%zu host%s up) "
	    "scanned in %.2f seconds\n", e.state, date, n, n == 1 ? "" : "es",
	    up, up == 1 ? "" : "s", e.secs);
}
