/*
 * The normal output, as Nmap's -oN reads: a report per host that is up,
 * with a table of ports (PORT STATE SERVICE REASON), the states that
 * would fill the screen folded into "Not shown" lines, and a summary.
 * Also the output registry and output_write(), which every format shares,
 * with --open's view of each host: its open ports alone.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output-escape.h"
#include "output.h"
#include "port-spec.h"
#include "xmalloc.h"

/* More ports than this in one state (not open) are folded away. */
#define NORMAL_FOLD	25

static void	normal_begin(FILE *, const struct results *);
static void	normal_host(FILE *, const struct results *,
		    const struct results_host *);
static void	normal_end(FILE *, const struct results *);
static void	normal_row(const struct results_port *, char *, size_t, char *,
		    size_t);
static void	normal_widths(const struct results_host *,
		    const struct results_port *, size_t, int *);
static char	*normal_service(const struct results_port *);
static bool	normal_has_version(const struct results_host *);

const struct output_ops output_normal = {
	.name = "normal",
	.type = SCAN_OUTPUT_NORMAL,
	.begin = normal_begin,
	.host = normal_host,
	.end = normal_end,
};

static const struct output_ops *const output_registry[] = {
	&output_normal,
	&output_xml,
	&output_grepable,
	&output_json,
	NULL
};

static const char *
proto_name(uint8_t proto)
{
	return (proto == PORT_UDP ? "udp" : "tcp");
}

static void
date_str(uint64_t wall, char *buf, size_t len)
{
	time_t		t = (time_t)wall;
	struct tm	tm;

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d %H:%M %Z", &tm) == 0)
		snprintf(buf, len, "?");
}

static void
normal_begin(FILE *f, const struct results *r)
{
	const struct results_scan	*s = results_scan(r);
	const char			*v;
	char				 date[64], *e;
	size_t				 i;

	date_str(s->wall_start, date, sizeof date);
	output_initiated(f, r, date);
	for (i = 0; i < OUTPUT_POLICY_COUNT; i++) {
		if ((v = results_scan_string(r, output_policy[i])) == NULL)
			continue;
		e = output_escape_text(v, strlen(v));
		fprintf(f, "# %s: %s\n", output_policy[i], e);
		free(e);
	}
}

/* Is this state folded into a "Not shown" line for h? */
static bool
normal_folded(const struct results_host *h, uint8_t state)
{
	return (state != EVENT_PORT_OPEN &&
	    results_port_count(h, state) > NORMAL_FOLD);
}

/* The most common reason among h's ports in state. */
static uint8_t
normal_reason(const struct results_port *v, size_t n, uint8_t state)
{
	size_t	count[EVENT_REASON_MAX] = { 0 }, i;
	uint8_t	best = 0;

	for (i = 0; i < n; i++) {
		if (v[i].state == state && v[i].reason < EVENT_REASON_MAX)
			count[v[i].reason]++;
	}
	for (i = 0; i < EVENT_REASON_MAX; i++)
		if (count[i] > count[best])
			best = (uint8_t)i;
	return (best);
}

static void
normal_not_shown(FILE *f, const struct results_host *h,
    const struct results_port *v, size_t n)
{
	const char	*sep = "Not shown: ";
	uint8_t		 s;

	for (s = EVENT_PORT_OPEN; s <= EVENT_PORT_CLOSED_FILTERED; s++) {
		if (!normal_folded(h, s))
			continue;
		fprintf(f, "%s%zu %s %s ports (%s)", sep,
		    results_port_count(h, s), event_port_state_name(s),
		    proto_name(v[0].proto),
		    event_reason_name(normal_reason(v, n, s)));
		sep = ", ";
	}
	if (*sep == ',')
		fputc('\n', f);
}

/* The PORT and REASON cells of a row. */
static void
normal_row(const struct results_port *p, char *port, size_t plen, char *reason,
    size_t rlen)
{
	snprintf(port, plen, "%u/%s", p->port, proto_name(p->proto));
	if (p->ttl != 0)
		snprintf(reason, rlen, "%s ttl %u",
		    event_reason_name(p->reason), p->ttl);
	else
		snprintf(reason, rlen, "%s", event_reason_name(p->reason));
}

/* The SERVICE cell, escaped; "unknown" when there is no name. */
static char *
normal_service(const struct results_port *p)
{
	char	*raw, *e;

	if ((raw = output_service_name(p)) == NULL)
		return (xstrdup("unknown"));
	e = output_escape_text(raw, strlen(raw));
	free(raw);
	return (e);
}

/* Does any shown port have a VERSION (then the column is there)? */
static bool
normal_has_version(const struct results_host *h)
{
	char	*v;
	size_t	 i;

	for (i = 0; i < h->nports; i++) {
		if (normal_folded(h, h->ports[i].state) ||
		    (v = output_service_version(h->ports[i].service)) == NULL)
			continue;
		free(v);
		return (true);
	}
	return (false);
}

/* Column widths: the widest cell of each shown column. */
static void
normal_widths(const struct results_host *h, const struct results_port *v,
    size_t n, int *w)
{
	const struct results_port	*p;
	char				*svc;
	char				 port[16], reason[32];
	size_t				 i;

	w[0] = 4;
	w[1] = 5;
	w[2] = 7;
	w[3] = 6;
	for (i = 0; i < n; i++) {
		p = &v[i];
		if (normal_folded(h, p->state))
			continue;
		normal_row(p, port, sizeof port, reason, sizeof reason);
		svc = normal_service(p);
		if ((int)strlen(port) > w[0])
			w[0] = (int)strlen(port);
		if ((int)strlen(event_port_state_name(p->state)) > w[1])
			w[1] = (int)strlen(event_port_state_name(p->state));
		if ((int)strlen(svc) > w[2])
			w[2] = (int)strlen(svc);
		if ((int)strlen(reason) > w[3])
			w[3] = (int)strlen(reason);
		free(svc);
	}
}

static void
normal_host(FILE *f, const struct results *r, const struct results_host *h)
{
	const struct results_port	*p;
	struct results_port		*v = NULL;
	char				*svc, *ver, *e;
	char				 addr[64], port[16], reason[32], *name;
	size_t				 i, shown = 0, n, av = 0;
	int				 w[4];
	bool				 version;

	if (h->state != EVENT_HOST_UP)
		return;
	target_addr_str(&h->addr, addr, sizeof addr);
	if (h->name != NULL) {
		name = output_escape_text(h->name, strlen(h->name));
		fprintf(f, "tact scan report for %s (%s)\n", name, addr);
		free(name);
	} else
		fprintf(f, "tact scan report for %s\n", addr);
	fprintf(f, "Host is up, received %s", event_reason_name(h->reason));
	if (h->ttl != 0)
		fprintf(f, " ttl %u", h->ttl);
	fprintf(f, " (%.4fs latency).\n", h->rtt_us / 1e6);
	if (h->timedout) {
		fprintf(f, "Skipping host %s due to host timeout\n", addr);
		return;
	}
	if (h->silent)
		fprintf(f, "Warning: the host went silent during the scan "
		    "after %llu probes; it was not probed further.\n",
		    (unsigned long long)h->probes);
	if ((n = results_host_ports(h, &v, &av)) == 0)
		return;
	normal_not_shown(f, h, v, n);
	for (i = 0; i < n; i++)
		if (!normal_folded(h, v[i].state))
			shown++;
	if (shown == 0) {
		fputc('\n', f);
		free(v);
		return;
	}
	normal_widths(h, v, n, w);
	version = normal_has_version(h);
	if (version)
		fprintf(f, "%-*s %-*s %-*s %-*s VERSION\n", w[0], "PORT", w[1],
		    "STATE", w[2], "SERVICE", w[3], "REASON");
	else
		fprintf(f, "%-*s %-*s %-*s %s\n", w[0], "PORT", w[1], "STATE",
		    w[2], "SERVICE", "REASON");
	for (i = 0; i < n; i++) {
		p = &v[i];
		if (normal_folded(h, p->state))
			continue;
		normal_row(p, port, sizeof port, reason, sizeof reason);
		svc = normal_service(p);
		if (!version ||
		    (ver = output_service_version(p->service)) == NULL) {
			fprintf(f, "%-*s %-*s %-*s %s\n", w[0], port, w[1],
			    event_port_state_name(p->state), w[2], svc,
			    reason);
			free(svc);
			continue;
		}
		e = output_escape_text(ver, strlen(ver));
		fprintf(f, "%-*s %-*s %-*s %-*s %s\n", w[0], port, w[1],
		    event_port_state_name(p->state), w[2], svc, w[3], reason,
		    e);
		free(e);
		free(ver);
		free(svc);
	}
	fputc('\n', f);
	free(v);
}

static void
normal_end(FILE *f, const struct results *r)
{
	struct output_end		 e;
	size_t				 n = results_host_count(r), i;
	size_t				 up = results_hosts_up(r);
	char				 date[64];

	for (i = 0; i < results_warning_count(r); i++)
		fprintf(f, "Warning: %s\n", results_warning(r, i));
	output_end_read(r, &e);
	date_str(e.wall, date, sizeof date);
	fprintf(f, "# tact %s at %s -- %zu IP address%s (%zu host%s up) "
	    "scanned in %.2f seconds\n", e.state, date, n, n == 1 ? "" : "es",
	    up, up == 1 ? "" : "s", e.secs);
}

const struct output_ops *
output_find(enum scan_opts_output type)
{
	const struct output_ops *const	*o;

	for (o = output_registry; *o != NULL; o++)
		if ((*o)->type == type)
			return (*o);
	return (NULL);
}

/* A port --open shows: open, or maybe open (open|filtered). */
static bool
output_port_open(uint8_t state)
{
	return (state == EVENT_PORT_OPEN || state == EVENT_PORT_OPEN_FILTERED);
}

/*
 * --open: h as a host with its open ports alone (the array allocated in
 * *ports), or false when it has none and is not shown.
 */
static bool
output_host_open(const struct results_host *h, struct results_host *v,
    struct results_port **ports)
{
	size_t	i;

	*v = *h;
	v->ports = *ports = xcalloc(h->nports + 1, sizeof **ports);
	v->nports = 0;
	/* Runs hold closed and filtered ports only. */
	v->runs = NULL;
	v->nruns = 0;
	memset(v->nstate, 0, sizeof v->nstate);
	for (i = 0; i < h->nports; i++) {
		if (!output_port_open(h->ports[i].state))
			continue;
		v->ports[v->nports++] = h->ports[i];
		v->nstate[h->ports[i].state]++;
	}
	v->aports = v->nports;
	return (v->nports != 0);
}

int
output_write(const struct output_ops *o, FILE *f, const struct results *r,
    char **cause)
{
	return (output_write_flags(o, f, r, 0, cause));
}

int
output_write_flags(const struct output_ops *o, FILE *f,
    const struct results *r, int flags, char **cause)
{
	struct results_host	 v;
	struct results_port	*ports;
	size_t			 i;

	o->begin(f, r);
	for (i = 0; i < results_host_count(r); i++) {
		if (!(flags & OUTPUT_OPEN))
			o->host(f, r, results_host(r, i));
		else {
			if (output_host_open(results_host(r, i), &v, &ports))
				o->host(f, r, &v);
			free(ports);
		}
	}
	o->end(f, r);
	if (fflush(f) != 0 || ferror(f)) {
		xasprintf(cause, "%s output: %s", o->name, strerror(errno));
		return (-1);
	}
	return (0);
}
