/*
 * The differences between two scans, as two results stores: hosts up in
 * one and not the other, ports whose state changed (or that only one
 * scan reported), banners that changed on ports in the same state, and
 * services, versions or TLS certificates (fingerprint or expiry) that
 * changed where both scans ran -sV.
 * One line each, in address order; banners are text-escaped and cut
 * short, since they came from the network.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "output-escape.h"
#include "output.h"
#include "port-spec.h"
#include "xmalloc.h"

/* Banners longer than this are cut in the diff's lines. */
#define DIFF_BANNER_MAX	60

static long	diff_ports(FILE *, const struct results_host *,
		    const struct results_host *);
static void	diff_port(FILE *, const char *, const struct results_port *,
		    const struct results_port *, long *);
static void	diff_banner(FILE *, const struct results_port *);
static char	*diff_version_str(const struct results_port *);
static void	diff_version(FILE *, const char *, const struct results_port *,
		    const struct results_port *, long *);
static void	diff_cert_str(FILE *, const struct results_service *);
static void	diff_cert(FILE *, const char *, const struct results_port *,
		    const struct results_port *, long *);
static bool	diff_up(const struct results_host *);
static bool	diff_same_banner(const struct results_port *,
		    const struct results_port *);

static bool
diff_up(const struct results_host *h)
{
	return (h != NULL && h->state == EVENT_HOST_UP);
}

/*
 * Banners are the same if their XML forms are: an XML output keeps all
 * of a banner but what XML cannot hold, so a scan's journal and its XML
 * output compare the same.
 */
static bool
diff_same_banner(const struct results_port *a, const struct results_port *b)
{
	char	*ea, *eb;
	bool	 same;

	if (a->banner == NULL || b->banner == NULL)
		return (a->banner == b->banner);
	ea = output_escape_xml(a->banner, a->banner_len);
	eb = output_escape_xml(b->banner, b->banner_len);
	same = strcmp(ea, eb) == 0;
	free(ea);
	free(eb);
	return (same);
}

/* A banner as a quoted, escaped, cut-short string, or "none". */
static void
diff_banner(FILE *f, const struct results_port *p)
{
	char	*e;
	size_t	 len;

	if (p->banner == NULL) {
		fprintf(f, "none");
		return;
	}
	len = p->banner_len > DIFF_BANNER_MAX ? DIFF_BANNER_MAX :
	    p->banner_len;
	e = output_escape_text(p->banner, len);
	fprintf(f, "\"%s\"%s", e, len < p->banner_len ? "..." : "");
	free(e);
}

/* -sV's name and version, as the normal output's cells, escaped. */
static char *
diff_version_str(const struct results_port *p)
{
	char	*name, *ver, *s, *e;

	name = output_service_name(p);
	ver = output_service_version(p->service);
	xasprintf(&s, "%s%s%s", name != NULL ? name : "unknown",
	    ver != NULL ? " " : "", ver != NULL ? ver : "");
	e = output_escape_text(s, strlen(s));
	free(name);
	free(ver);
	free(s);
	return (e);
}

/* A service or version that changed on a port both scans probed. */
static void
diff_version(FILE *f, const char *addr, const struct results_port *a,
    const struct results_port *b, long *n)
{
	char	*va = diff_version_str(a), *vb = diff_version_str(b);

	if (strcmp(va, vb) != 0) {
		fprintf(f, "%s %u/%s: version \"%s\" -> \"%s\"\n", addr,
		    a->port, a->proto == PORT_UDP ? "udp" : "tcp", va, vb);
		(*n)++;
	}
	free(va);
	free(vb);
}

/* A certificate as its fingerprint and expiry, or "none". */
static void
diff_cert_str(FILE *f, const struct results_service *sv)
{
	char	when[32];
	size_t	i;

	if (!sv->cert) {
		fprintf(f, "none");
		return;
	}
	fprintf(f, "SHA-256 ");
	for (i = 0; i < sizeof sv->cert_sha256; i++)
		fprintf(f, "%02x", sv->cert_sha256[i]);
	output_cert_time(sv->cert_not_after, when, sizeof when);
	fprintf(f, " not valid after %s", when);
}

/* A TLS certificate that changed (fingerprint or expiry) on a port. */
static void
diff_cert(FILE *f, const char *addr, const struct results_port *a,
    const struct results_port *b, long *n)
{
	const struct results_service	*sa = a->service, *sb = b->service;

	if (sa->cert == sb->cert && (!sa->cert ||
	    (memcmp(sa->cert_sha256, sb->cert_sha256,
	    sizeof sa->cert_sha256) == 0 &&
	    sa->cert_not_after == sb->cert_not_after)))
		return;
	fprintf(f, "%s %u/%s: certificate ", addr, a->port,
	    a->proto == PORT_UDP ? "udp" : "tcp");
	diff_cert_str(f, sa);
	fprintf(f, " -> ");
	diff_cert_str(f, sb);
	fputc('\n', f);
	(*n)++;
}

/* One port of a host up in both scans; a or b may be NULL. */
static void
diff_port(FILE *f, const char *addr, const struct results_port *a,
    const struct results_port *b, long *n)
{
	const struct results_port	*p = a != NULL ? a : b;
	const char			*proto;

	proto = p->proto == PORT_UDP ? "udp" : "tcp";
	if (a == NULL || b == NULL || a->state != b->state) {
		fprintf(f, "%s %u/%s: %s -> %s\n", addr, p->port, proto,
		    a != NULL ? event_port_state_name(a->state) : "none",
		    b != NULL ? event_port_state_name(b->state) : "none");
		(*n)++;
		return;
	}
	if (a->service != NULL && b->service != NULL) {
		diff_version(f, addr, a, b, n);
		diff_cert(f, addr, a, b, n);
	}
	if (diff_same_banner(a, b))
		return;
	fprintf(f, "%s %u/%s: service ", addr, p->port, proto);
	diff_banner(f, a);
	fprintf(f, " -> ");
	diff_banner(f, b);
	fputc('\n', f);
	(*n)++;
}

static long
diff_ports(FILE *f, const struct results_host *a, const struct results_host *b)
{
	const struct results_port	*p;
	struct results_port		*v = NULL, buf;
	char				 addr[64];
	size_t				 i, nv, av = 0;
	long				 n = 0;

	target_addr_str(&a->addr, addr, sizeof addr);
	nv = results_host_ports(a, &v, &av);
	for (i = 0; i < nv; i++) {
		p = &v[i];
		diff_port(f, addr, p, results_port_find(b, p->port, p->proto,
		    &buf), &n);
	}
	nv = results_host_ports(b, &v, &av);
	for (i = 0; i < nv; i++) {
		p = &v[i];
		if (results_port_find(a, p->port, p->proto, &buf) == NULL)
			diff_port(f, addr, NULL, p, &n);
	}
	free(v);
	return (n);
}

long
output_diff(FILE *f, const struct results *a, const struct results *b,
    char **cause)
{
	const struct results_host	*ha, *hb;
	char				 addr[64];
	size_t				 i = 0, j = 0;
	long				 n = 0;
	int				 c;

	/* Both stores are in address order: walk them as one. */
	while (i < results_host_count(a) || j < results_host_count(b)) {
		ha = i < results_host_count(a) ? results_host(a, i) : NULL;
		hb = j < results_host_count(b) ? results_host(b, j) : NULL;
		c = ha == NULL ? 1 : hb == NULL ? -1 :
		    target_addr_cmp(&ha->addr, &hb->addr);
		if (c <= 0)
			i++;
		else
			ha = NULL;
		if (c >= 0)
			j++;
		else
			hb = NULL;
		target_addr_str(ha != NULL ? &ha->addr : &hb->addr, addr,
		    sizeof addr);
		if (diff_up(ha) && diff_up(hb))
			n += diff_ports(f, ha, hb);
		else if (diff_up(ha) || diff_up(hb)) {
			fprintf(f, "%s: host %s\n", addr, diff_up(ha) ?
			    "up -> not up" : "not up -> up");
			n++;
		}
	}
	if (fflush(f) != 0 || ferror(f)) {
		xasprintf(cause, "%s", strerror(errno));
		return (-1);
	}
	return (n);
}
