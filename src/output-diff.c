/*
 * The differences between two scans, as two results stores: hosts up in
 * one and not the other, ports whose state changed (or that only one
 * scan reported), and banners that changed on ports in the same state.
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
	size_t				 i;
	long				 n = 0;

	for (i = 0; i < results_host_count(a); i++) {
		ha = results_host(a, i);
		hb = results_host_find(b, &ha->addr);
		target_addr_str(&ha->addr, addr, sizeof addr);
		if (diff_up(ha) && diff_up(hb))
			n += diff_ports(f, ha, hb);
		else if (diff_up(ha) || diff_up(hb)) {
			fprintf(f, "%s: host %s\n", addr, diff_up(ha) ?
			    "up -> not up" : "not up -> up");
			n++;
		}
	}
	for (i = 0; i < results_host_count(b); i++) {
		hb = results_host(b, i);
		if (diff_up(hb) && results_host_find(a, &hb->addr) == NULL) {
			fprintf(f, "%s: host not up -> up\n",
			    target_addr_str(&hb->addr, addr, sizeof addr));
			n++;
		}
	}
	if (fflush(f) != 0 || ferror(f)) {
		xasprintf(cause, "%s", strerror(errno));
		return (-1);
	}
	return (n);
}
