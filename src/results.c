/*
 * The results store. It changes only in results_apply(), one event
 * record at a time (and results_set_running(), for the one fact no
 * record holds), and checks each record's length before it reads a
 * field: a journal read back from disk is input like any other. Hosts
 * and each host's ports are kept sorted, found by binary search. A
 * store may hold port records back (results_defer_ports) and merge them
 * in, sorted, a batch at a time.
 */
#include <stdlib.h>
#include <string.h>

#include "results.h"
#include "xmalloc.h"

struct results {
	struct results_scan	  scan;
	struct event_progress	  progress;
	struct results_host	**hosts;
	size_t			  nhosts;
	size_t			  ahosts;
	char			**warnings;
	size_t			  nwarnings;
	bool			  defer;	/* results_defer_ports() */
	struct results_held	 *held;
	size_t			  nheld;
};

/* A port record held back, and where it came. */
struct results_held {
	struct event_port	e;
	size_t			seq;
};

#define RESULTS_HELD_MAX	8192

static struct results_host *host_get(struct results *,
		    const struct target_addr *, bool);
static size_t	host_search(const struct results *, const struct target_addr *,
		    bool *);
static size_t	port_search(const struct results_host *, uint16_t, uint8_t,
		    bool *);
static void	apply_start(struct results *, const struct event_header *,
		    const void *);
static void	apply_host(struct results *, const struct event_header *,
		    const void *);
static void	apply_port(struct results *, const void *);
static void	port_set(struct results_host *, struct results_port *,
		    const struct event_port *);
static int	held_cmp(const void *, const void *);
static void	apply_service(struct results *, const struct event_header *,
		    const void *);
static void	apply_warning(struct results *, const struct event_header *,
		    const void *);
static void	apply_name(struct results *, const struct event_header *,
		    const void *);
static void	service_free(struct results_service *);
static void	host_ports_free(struct results_host *);
static void	apply_service_info(struct results *,
		    const struct event_header *, const void *);

struct results *
results_create(void)
{
	return (xcalloc(1, sizeof (struct results)));
}

/* A host's ports, and what they held: none are left. */
static void
host_ports_free(struct results_host *h)
{
	size_t	i;

	for (i = 0; i < h->nports; i++) {
		free(h->ports[i].banner);
		service_free(h->ports[i].service);
	}
	free(h->ports);
	h->ports = NULL;
	h->nports = h->aports = 0;
	memset(h->nstate, 0, sizeof h->nstate);
}

void
results_free(struct results *r)
{
	size_t	i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nhosts; i++) {
		host_ports_free(r->hosts[i]);
		free(r->hosts[i]->name);
		free(r->hosts[i]);
	}
	free(r->hosts);
	for (i = 0; i < r->scan.nstrings; i++)
		free(r->scan.strings[i]);
	free(r->scan.strings);
	for (i = 0; i < r->nwarnings; i++)
		free(r->warnings[i]);
	free(r->warnings);
	free(r->held);
	free(r);
}

static int
addr_cmp(const struct target_addr *a, const struct target_addr *b)
{
	if (a->family != b->family)
		return (a->family < b->family ? -1 : 1);
	return (memcmp(a->addr, b->addr, sizeof a->addr));
}

/* Where addr is, or would go; *found says which. */
static size_t
host_search(const struct results *r, const struct target_addr *addr,
    bool *found)
{
	size_t	lo = 0, hi = r->nhosts, mid;
	int	c;

	*found = false;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = addr_cmp(addr, &r->hosts[mid]->addr);
		if (c == 0) {
			*found = true;
			return (mid);
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (lo);
}

static struct results_host *
host_get(struct results *r, const struct target_addr *addr, bool create)
{
	struct results_host	*h;
	size_t			 i;
	bool			 found;

	i = host_search(r, addr, &found);
	if (found)
		return (r->hosts[i]);
	if (!create)
		return (NULL);
	if (r->nhosts == r->ahosts) {
		r->ahosts = r->ahosts == 0 ? 16 : r->ahosts * 2;
		r->hosts = xreallocarray(r->hosts, r->ahosts,
		    sizeof *r->hosts);
	}
	memmove(&r->hosts[i + 1], &r->hosts[i],
	    (r->nhosts - i) * sizeof *r->hosts);
	h = xcalloc(1, sizeof *h);
	h->addr = *addr;
	r->hosts[i] = h;
	r->nhosts++;
	return (h);
}

static void
apply_start(struct results *r, const struct event_header *h,
    const void *payload)
{
	const struct event_scan_start	*s = payload;
	const char			*p, *end;
	size_t				 n;

	r->scan.started = true;
	r->scan.seed = s->seed;
	r->scan.hosts = s->hosts;
	r->scan.pairs = s->pairs;
	r->scan.wall_start = s->wall_start;
	r->scan.start_ns = h->mono_ns;
	p = (const char *)payload + sizeof *s;
	end = (const char *)payload + h->len;
	for (n = 0; n < s->nstrings && p < end; n++) {
		size_t	len = strnlen(p, (size_t)(end - p));

		if (len == (size_t)(end - p))
			break;
		r->scan.strings = xreallocarray(r->scan.strings,
		    r->scan.nstrings + 1, sizeof *r->scan.strings);
		r->scan.strings[r->scan.nstrings++] = xstrndup(p, len);
		p += len + 1;
	}
}

static void
apply_host(struct results *r, const struct event_header *hdr,
    const void *payload)
{
	const struct event_host	*e = payload;
	struct results_host	*h;

	h = host_get(r, &e->addr, true);
	switch (e->state) {
	case EVENT_HOST_UP:
	case EVENT_HOST_DOWN:
		h->state = e->state;
		h->reason = e->reason;
		h->ttl = e->ttl;
		h->rtt_us = e->rtt_us;
		if (e->state == EVENT_HOST_UP && h->up_ns == 0)
			h->up_ns = hdr->mono_ns;
		break;
	case EVENT_HOST_SILENT:
		h->silent = true;
		if (h->silent_ns == 0)
			h->silent_ns = hdr->mono_ns;
		break;
	case EVENT_HOST_TIMEOUT:
		/* Abandoned: what it had found so far is not a result. */
		h->timedout = true;
		host_ports_free(h);
		/* FALLTHROUGH */
	case EVENT_HOST_DONE:
		h->done = true;
		if (h->done_ns == 0)
			h->done_ns = hdr->mono_ns;
		if (e->rtt_us != 0)
			h->rtt_us = e->rtt_us;
		break;
	}
	h->probes = e->probes;
}

static int
port_cmp(uint8_t pa, uint16_t a, uint8_t pb, uint16_t b)
{
	if (pa != pb)
		return (pa < pb ? -1 : 1);
	return (a < b ? -1 : a > b);
}

/* Where a port is in h->ports, or would go; *found says which. */
static size_t
port_search(const struct results_host *h, uint16_t port, uint8_t proto,
    bool *found)
{
	size_t	lo = 0, hi = h->nports, mid;
	int	c;

	*found = false;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = port_cmp(proto, port, h->ports[mid].proto,
		    h->ports[mid].port);
		if (c == 0) {
			*found = true;
			return (mid);
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (lo);
}

static void
apply_port(struct results *r, const void *payload)
{
	const struct event_port	*e = payload;
	struct results_host	*h;
	size_t			 i;
	bool			 found;

	h = host_get(r, &e->addr, true);
	i = port_search(h, e->port, e->proto, &found);
	if (found) {
		if (h->ports[i].state < EVENT_PORT_STATE_MAX)
			h->nstate[h->ports[i].state]--;
		port_set(h, &h->ports[i], e);
		return;
	}
	if (h->nports == h->aports) {
		h->aports = h->aports == 0 ? 16 : h->aports * 2;
		h->ports = xreallocarray(h->ports, h->aports,
		    sizeof *h->ports);
	}
	memmove(&h->ports[i + 1], &h->ports[i],
	    (h->nports - i) * sizeof *h->ports);
	memset(&h->ports[i], 0, sizeof h->ports[i]);
	h->nports++;
	port_set(h, &h->ports[i], e);
}

/* Port p of host h as record e says (its banner and service stay). */
static void
port_set(struct results_host *h, struct results_port *p,
    const struct event_port *e)
{
	if (e->state < EVENT_PORT_STATE_MAX)
		h->nstate[e->state]++;
	p->port = e->port;
	p->proto = e->proto;
	p->state = e->state;
	p->reason = e->reason;
	p->ttl = e->ttl;
	p->tries = e->tries;
	p->rtt_us = e->rtt_us;
}

/* Held records by host, protocol and port; of one port, in order. */
static int
held_cmp(const void *va, const void *vb)
{
	const struct results_held	*a = va, *b = vb;
	int				 c;

	if ((c = addr_cmp(&a->e.addr, &b->e.addr)) != 0)
		return (c);
	if ((c = port_cmp(a->e.proto, a->e.port, b->e.proto, b->e.port)) != 0)
		return (c);
	return (a->seq < b->seq ? -1 : 1);
}

void
results_defer_ports(struct results *r)
{
	r->defer = true;
	if (r->held == NULL)
		r->held = xreallocarray(NULL, RESULTS_HELD_MAX,
		    sizeof *r->held);
}

/*
 * Apply the held records: sorted, each host's run merged with its ports
 * into a new array; of a port's records the last is the one that counts
 * (as applying them in turn would leave it).
 */
void
results_flush(struct results *r)
{
	const struct results_held	*held = r->held;
	const struct event_port		*e;
	struct results_host		*h;
	struct results_port		*np, *old;
	size_t				 j, end, i, m, n, k;

	if (r->nheld == 0)
		return;
	qsort(r->held, r->nheld, sizeof *r->held, held_cmp);
	for (j = 0; j < r->nheld; j = end) {
		h = host_get(r, &held[j].e.addr, true);
		for (end = j + 1; end < r->nheld &&
		    addr_cmp(&held[end].e.addr, &h->addr) == 0; end++)
			;
		old = h->ports;
		n = h->nports;
		k = end - j;
		np = xreallocarray(NULL, n + k, sizeof *np);
		for (i = m = 0; i < n || j < end; m++) {
			if (j == end || (i < n && port_cmp(old[i].proto,
			    old[i].port, held[j].e.proto, held[j].e.port) < 0)) {
				np[m] = old[i++];
				continue;
			}
			e = &held[j].e;
			while (++j < end && port_cmp(e->proto, e->port,
			    held[j].e.proto, held[j].e.port) == 0)
				e = &held[j].e;
			if (i < n && port_cmp(old[i].proto, old[i].port,
			    e->proto, e->port) == 0) {
				if (old[i].state < EVENT_PORT_STATE_MAX)
					h->nstate[old[i].state]--;
				np[m] = old[i++];
			} else
				memset(&np[m], 0, sizeof np[m]);
			port_set(h, &np[m], e);
		}
		free(old);
		h->ports = np;
		h->nports = m;
		h->aports = n + k;
	}
	r->nheld = 0;
}

/* A banner for a port already in the store; the last one is kept. */
static void
apply_service(struct results *r, const struct event_header *h,
    const void *payload)
{
	const struct event_service	*e = payload;
	struct results_host		*host;
	struct results_port		*p;
	size_t				 i, len = e->len;
	bool				 found;

	if ((host = host_get(r, &e->addr, false)) == NULL)
		return;
	i = port_search(host, e->port, e->proto, &found);
	if (!found)
		return;
	if (len > h->len - sizeof *e)
		len = h->len - sizeof *e;
	p = &host->ports[i];
	free(p->banner);
	p->banner = xmalloc(len + 1);
	memcpy(p->banner, e + 1, len);
	p->banner[len] = '\0';
	p->banner_len = (uint32_t)len;
}

static void
service_free(struct results_service *sv)
{
	size_t	i;

	if (sv == NULL)
		return;
	free(sv->name);
	for (i = 0; i < sizeof sv->field / sizeof sv->field[0]; i++)
		free(sv->field[i]);
	for (i = 0; i < sv->ncpe; i++)
		free(sv->cpe[i]);
	free(sv->cpe);
	free(sv->cert_subject);
	free(sv->cert_issuer);
	for (i = 0; i < sv->ncert_san; i++)
		free(sv->cert_san[i]);
	free(sv->cert_san);
	free(sv);
}

/*
 * What -sV found on a port already in the store; the last one is kept.
 * Strings are "key=value\0" up to the record's end; an unknown key or
 * one without '=' is skipped, a string cut by the end is dropped.
 */
static void
apply_service_info(struct results *r, const struct event_header *h,
    const void *payload)
{
	const struct event_service_info	*e = payload;
	struct results_host		*host;
	struct results_service		*sv;
	const char			*p, *end, *nul, *eq;
	char				*v, ***list;
	size_t				 i, k, *n;
	bool				 found;

	if ((host = host_get(r, &e->addr, false)) == NULL)
		return;
	i = port_search(host, e->port, e->proto, &found);
	if (!found)
		return;
	sv = xcalloc(1, sizeof *sv);
	sv->method = e->method;
	sv->conf = e->conf;
	sv->tunnel = e->tunnel != 0;
	sv->cert_not_before = e->cert_not_before;
	sv->cert_not_after = e->cert_not_after;
	memcpy(sv->cert_sha256, e->cert_sha256, sizeof sv->cert_sha256);
	p = (const char *)(e + 1);
	end = (const char *)payload + h->len;
	while (p < end && (nul = memchr(p, '\0', (size_t)(end - p))) != NULL) {
		eq = memchr(p, '=', (size_t)(nul - p));
		for (k = 0; eq != NULL && k < EVENT_SKEY_MAX; k++)
			if (strlen(event_service_key(k)) == (size_t)(eq - p) &&
			    memcmp(p, event_service_key(k), (size_t)(eq - p)) == 0)
				break;
		v = eq != NULL && k < EVENT_SKEY_MAX ? xstrdup(eq + 1) : NULL;
		p = nul + 1;
		if (v == NULL)
			continue;
		list = NULL;
		n = NULL;
		if (k == EVENT_SKEY_SERVICE) {
			free(sv->name);
			sv->name = v;
		} else if (k < EVENT_SKEY_CPE) {
			free(sv->field[k - EVENT_SKEY_PRODUCT]);
			sv->field[k - EVENT_SKEY_PRODUCT] = v;
		} else if (k == EVENT_SKEY_CPE) {
			list = &sv->cpe;
			n = &sv->ncpe;
		} else if (k == EVENT_SKEY_CERT_SUBJECT) {
			free(sv->cert_subject);
			sv->cert_subject = v;
		} else if (k == EVENT_SKEY_CERT_ISSUER) {
			free(sv->cert_issuer);
			sv->cert_issuer = v;
		} else {
			list = &sv->cert_san;
			n = &sv->ncert_san;
		}
		if (list != NULL) {
			*list = xreallocarray(*list, *n + 1, sizeof **list);
			(*list)[(*n)++] = v;
		}
	}
	sv->cert = sv->cert_subject != NULL || e->cert_not_after != 0;
	if (sv->name == NULL)
		sv->name = xstrdup("unknown");
	service_free(host->ports[i].service);
	host->ports[i].service = sv;
}

static void
apply_warning(struct results *r, const struct event_header *h,
    const void *payload)
{
	const struct event_warning	*w = payload;
	size_t				 len = w->len;

	if (len > h->len - sizeof *w)
		len = h->len - sizeof *w;
	r->warnings = xreallocarray(r->warnings, r->nwarnings + 1,
	    sizeof *r->warnings);
	r->warnings[r->nwarnings++] = xstrndup((const char *)(w + 1), len);
}

/* The name a host was given as; the last one is kept. */
static void
apply_name(struct results *r, const struct event_header *h,
    const void *payload)
{
	const struct event_host_name	*e = payload;
	struct results_host		*host;
	size_t				 len = e->len;

	if (len > h->len - sizeof *e)
		len = h->len - sizeof *e;
	host = host_get(r, &e->addr, true);
	free(host->name);
	host->name = xstrndup((const char *)(e + 1), len);
	host->name_type = e->type;
}

/* Apply one record. Records too short for their type are ignored. */
void
results_apply(struct results *r, const struct event_header *h,
    const void *payload)
{
	const struct event_scan_end	*end;

	if (h->type == 0 || h->type >= EVENT_TYPE_MAX ||
	    h->len < event_min_len(h->type))
		return;
	r->scan.last_ns = h->mono_ns;
	if (r->defer && h->type == EVENT_PORT_STATE) {
		memcpy(&r->held[r->nheld].e, payload, sizeof r->held->e);
		r->held[r->nheld].seq = r->nheld;
		if (++r->nheld == RESULTS_HELD_MAX)
			results_flush(r);
		return;
	}
	results_flush(r);
	switch (h->type) {
	case EVENT_SCAN_START:
		apply_start(r, h, payload);
		break;
	case EVENT_HOST_STATE:
		apply_host(r, h, payload);
		break;
	case EVENT_PORT_STATE:
		apply_port(r, payload);
		break;
	case EVENT_PROGRESS:
		memcpy(&r->progress, payload, sizeof r->progress);
		break;
	case EVENT_SERVICE:
		apply_service(r, h, payload);
		break;
	case EVENT_WARNING:
		apply_warning(r, h, payload);
		break;
	case EVENT_HOST_NAME:
		apply_name(r, h, payload);
		break;
	case EVENT_SERVICE_INFO:
		apply_service_info(r, h, payload);
		break;
	case EVENT_SCAN_END:
		end = payload;
		r->scan.ended = true;
		r->scan.status = end->status;
		r->scan.wall_end = end->wall_end;
		r->scan.end_ns = h->mono_ns;
		break;
	}
}

void
results_sink(void *arg, const struct event_header *h, const void *payload)
{
	results_apply(arg, h, payload);
}

void
results_set_running(struct results *r)
{
	r->scan.running = true;
}

const struct results_scan *
results_scan(const struct results *r)
{
	return (&r->scan);
}

/* The value of "key=value" from the scan-start record, or NULL. */
const char *
results_scan_string(const struct results *r, const char *key)
{
	size_t	i, len = strlen(key);

	for (i = 0; i < r->scan.nstrings; i++) {
		if (strncmp(r->scan.strings[i], key, len) == 0 &&
		    r->scan.strings[i][len] == '=')
			return (r->scan.strings[i] + len + 1);
	}
	return (NULL);
}

const struct event_progress *
results_progress(const struct results *r)
{
	return (&r->progress);
}

size_t
results_warning_count(const struct results *r)
{
	return (r->nwarnings);
}

const char *
results_warning(const struct results *r, size_t i)
{
	return (i < r->nwarnings ? r->warnings[i] : NULL);
}

size_t
results_host_count(const struct results *r)
{
	return (r->nhosts);
}

const struct results_host *
results_host(const struct results *r, size_t i)
{
	return (i < r->nhosts ? r->hosts[i] : NULL);
}

const struct results_host *
results_host_find(const struct results *r, const struct target_addr *addr)
{
	return (host_get((struct results *)r, addr, false));
}

size_t
results_hosts_up(const struct results *r)
{
	size_t	i, n = 0;

	for (i = 0; i < r->nhosts; i++)
		if (r->hosts[i]->state == EVENT_HOST_UP)
			n++;
	return (n);
}

/* Ports of a host in a state; 0 counts them all. */
size_t
results_port_count(const struct results_host *h, uint8_t state)
{
	if (state == 0)
		return (h->nports);
	return (state < EVENT_PORT_STATE_MAX ? h->nstate[state] : 0);
}

const struct results_port *
results_port_find(const struct results_host *h, uint16_t port, uint8_t proto)
{
	size_t	i;
	bool	found;

	i = port_search(h, port, proto, &found);
	return (found ? &h->ports[i] : NULL);
}
