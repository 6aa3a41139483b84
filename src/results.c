/*
 * The results store. It changes only in results_apply(), one event
 * record at a time (and results_set_running(), for the one fact no
 * record holds), and checks each record's length before it reads a
 * field: a journal read back from disk is input like any other. Hosts
 * and each host's ports are kept sorted, found by binary search. A
 * port-run record's ports are kept as ranges in a run of the host (one
 * for each state, reason and TTL), so a host of 65535 closed ports costs
 * a few bytes, not a results_port a port. A later record about a port
 * replaces what an earlier one said, whether run or port-state.
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
	uint16_t		 *scratch;	/* a port-run's new ports */
	size_t			  ascratch;
	uint16_t		(*rscratch)[2];	/* and the ranges they make */
	size_t			  arscratch;
};

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
static void	apply_run(struct results *, const struct event_header *,
		    const void *);
static size_t	run_search(const struct results_run *, uint16_t, bool *);
static bool	run_remove(struct results_host *, uint16_t, uint8_t);
static void	run_merge(struct results *, struct results_run *,
		    const uint16_t *, size_t);
static void	run_trim(struct results_run *);
static bool	port_take(struct results_host *, const struct event_port_run *,
		    size_t);
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

/* A host's ports and runs, and what they held: none are left. */
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
	for (i = 0; i < h->nruns; i++)
		free(h->runs[i].ranges);
	free(h->runs);
	h->runs = NULL;
	h->nruns = 0;
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
	free(r->scratch);
	free(r->rscratch);
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
	size_t			 i;

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
		/* No more ports come: give back what the arrays have spare. */
		if (h->aports > h->nports && h->nports > 0) {
			h->ports = xreallocarray(h->ports, h->nports,
			    sizeof *h->ports);
			h->aports = h->nports;
		}
		for (i = 0; i < h->nruns; i++)
			run_trim(&h->runs[i]);
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
	run_remove(h, e->port, e->proto);
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

/* The range of a run that holds port, or where it would go. */
static size_t
run_search(const struct results_run *run, uint16_t port, bool *found)
{
	size_t	lo = 0, hi = run->nranges, mid;

	*found = false;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (port < run->ranges[mid][0])
			hi = mid;
		else if (port > run->ranges[mid][1])
			lo = mid + 1;
		else {
			*found = true;
			return (mid);
		}
	}
	return (lo);
}

/* Take a port out of the host's run that holds it, if one does. */
static bool
run_remove(struct results_host *h, uint16_t port, uint8_t proto)
{
	struct results_run	*run;
	uint16_t		*rg;
	size_t			 i, j;
	bool			 found;

	for (i = 0; i < h->nruns; i++) {
		run = &h->runs[i];
		if (run->proto != proto)
			continue;
		j = run_search(run, port, &found);
		if (!found)
			continue;
		rg = run->ranges[j];
		if (rg[0] == rg[1]) {
			memmove(&run->ranges[j], &run->ranges[j + 1],
			    (run->nranges - j - 1) * sizeof *run->ranges);
			run->nranges--;
		} else if (port == rg[0])
			rg[0]++;
		else if (port == rg[1])
			rg[1]--;
		else {
			if (run->nranges == run->aranges) {
				run->aranges *= 2;
				run->ranges = xreallocarray(run->ranges,
				    run->aranges, sizeof *run->ranges);
			}
			memmove(&run->ranges[j + 1], &run->ranges[j],
			    (run->nranges - j) * sizeof *run->ranges);
			run->nranges++;
			run->ranges[j][1] = (uint16_t)(port - 1);
			run->ranges[j + 1][0] = (uint16_t)(port + 1);
		}
		run->count--;
		if (run->state < EVENT_PORT_STATE_MAX)
			h->nstate[run->state]--;
		return (true);
	}
	return (false);
}

/*
 * A port of a run that the host holds one by one (ports[i]): it leaves,
 * unless a
 * banner or -sV's findings are on it, which a run cannot hold; then it
 * stays, in the run's state as a port-state record would put it, and
 * true.
 */
static bool
port_take(struct results_host *h, const struct event_port_run *e, size_t i)
{
	struct results_port	*p = &h->ports[i];

	if (p->state < EVENT_PORT_STATE_MAX)
		h->nstate[p->state]--;
	if (p->banner != NULL || p->service != NULL) {
		h->nstate[e->state]++;
		p->state = e->state;
		p->reason = e->reason;
		p->ttl = e->ttl;
		p->tries = 0;
		p->rtt_us = 0;
		return (true);
	}
	memmove(&h->ports[i], &h->ports[i + 1],
	    (h->nports - i - 1) * sizeof *h->ports);
	h->nports--;
	return (false);
}

/*
 * Add n ascending ports, none of them in the run yet, to its ranges: one
 * pass over both, joining neighbours, into the store's scratch ranges,
 * then copied back into the run's array, grown by doubling when it must
 * (from what the merge needs, not from n: a record of 4096 ports spread
 * among ranges of a host's open ones makes about as many ranges as
 * there are open ports).
 */
static void
run_merge(struct results *r, struct results_run *run, const uint16_t *v,
    size_t n)
{
	uint16_t	(*out)[2], lo, hi;
	size_t		  i = 0, j = 0, k = 0;

	if (r->arscratch < run->nranges + n) {
		r->arscratch = run->nranges + n;
		r->rscratch = xreallocarray(r->rscratch, r->arscratch,
		    sizeof *r->rscratch);
	}
	out = r->rscratch;
	while (i < run->nranges || j < n) {
		if (j == n || (i < run->nranges && run->ranges[i][0] < v[j])) {
			lo = run->ranges[i][0];
			hi = run->ranges[i++][1];
		} else
			lo = hi = v[j++];
		if (k > 0 && (uint32_t)out[k - 1][1] + 1 >= lo) {
			if (hi > out[k - 1][1])
				out[k - 1][1] = hi;
		} else {
			out[k][0] = lo;
			out[k++][1] = hi;
		}
	}
	if (k > run->aranges) {
		run->aranges = k > 2 * run->aranges ? k : 2 * run->aranges;
		run->ranges = xreallocarray(run->ranges, run->aranges,
		    sizeof *run->ranges);
	}
	memcpy(run->ranges, out, k * sizeof *out);
	run->nranges = k;
	run->count += (uint32_t)n;
}

/* A run's ranges without the room to grow. */
static void
run_trim(struct results_run *run)
{
	if (run->aranges > run->nranges && run->nranges > 0) {
		run->ranges = xreallocarray(run->ranges, run->nranges,
		    sizeof *run->ranges);
		run->aranges = run->nranges;
	}
}

/*
 * A port-run record: its ports leave wherever the host had them and join
 * the run of the record's state, reason and TTL.
 */
static void
apply_run(struct results *r, const struct event_header *hdr,
    const void *payload)
{
	const struct event_port_run	*e = payload;
	struct results_host		*h;
	struct results_run		*run = NULL;
	uint16_t			*v, port = 0;
	struct event_port_run_pos	 pos;
	size_t				 i, j = 0, k = 0, n = 0, max;

	if (e->state != EVENT_PORT_CLOSED && e->state != EVENT_PORT_FILTERED)
		return;
	h = host_get(r, &e->addr, true);
	for (i = 0; i < h->nruns; i++) {
		if (h->runs[i].proto == e->proto &&
		    h->runs[i].state == e->state &&
		    h->runs[i].reason == e->reason && h->runs[i].ttl == e->ttl)
			run = &h->runs[i];
	}
	if (run == NULL) {
		h->runs = xreallocarray(h->runs, h->nruns + 1,
		    sizeof *h->runs);
		run = &h->runs[h->nruns++];
		memset(run, 0, sizeof *run);
		run->proto = e->proto;
		run->state = e->state;
		run->reason = e->reason;
		run->ttl = e->ttl;
	}
	/* The record check saw count ports; no more are taken. */
	max = e->count > 65536 ? 65536 : e->count;
	if (r->ascratch < max) {
		r->ascratch = max;
		r->scratch = xreallocarray(r->scratch, max, sizeof *r->scratch);
	}
	v = r->scratch;
	/*
	 * The ports ascend: walk the run's ranges (j) and the ports held one
	 * by one (k) beside them.
	 */
	memset(&pos, 0, sizeof pos);
	while (n < max && event_port_run_next(e, hdr->len, &pos, &port) == 1) {
		while (j < run->nranges && run->ranges[j][1] < port)
			j++;
		if (j < run->nranges && run->ranges[j][0] <= port)
			continue;
		while (k < h->nports && port_cmp(h->ports[k].proto,
		    h->ports[k].port, e->proto, port) < 0)
			k++;
		if (k < h->nports && h->ports[k].proto == e->proto &&
		    h->ports[k].port == port && port_take(h, e, k)) {
			k++;	/* kept there */
			continue;
		}
		if (h->nruns > 1)
			run_remove(h, port, e->proto);
		v[n++] = port;
	}
	if (n > 0) {
		run_merge(r, run, v, n);
		h->nstate[run->state] += (uint32_t)n;
	}
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
	case EVENT_PORT_RUN:
		apply_run(r, h, payload);
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

size_t
results_port_count(const struct results_host *h, uint8_t state)
{
	size_t	i, n;

	if (state != 0)
		return (state < EVENT_PORT_STATE_MAX ? h->nstate[state] : 0);
	n = h->nports;
	for (i = 0; i < h->nruns; i++)
		n += h->runs[i].count;
	return (n);
}

const struct results_port *
results_port_find(const struct results_host *h, uint16_t port, uint8_t proto,
    struct results_port *buf)
{
	const struct results_run	*run;
	size_t				 i;
	bool				 found;

	i = port_search(h, port, proto, &found);
	if (found)
		return (&h->ports[i]);
	for (i = 0; i < h->nruns; i++) {
		run = &h->runs[i];
		if (run->proto != proto)
			continue;
		run_search(run, port, &found);
		if (!found)
			continue;
		memset(buf, 0, sizeof *buf);
		buf->port = port;
		buf->proto = proto;
		buf->state = run->state;
		buf->reason = run->reason;
		buf->ttl = run->ttl;
		return (buf);
	}
	return (NULL);
}

/*
 * Merge the ports held one by one with every run's, walking each run's
 * ranges: the smallest (protocol, port) of all goes next.
 */
size_t
results_host_ports(const struct results_host *h, struct results_port **v,
    size_t *alloc)
{
	const struct results_run	*run;
	struct results_port		*p;
	size_t				 n, k = 0, i = 0, j, *rg, best;
	uint32_t			*next, key, bkey;

	n = results_port_count(h, 0);
	if (n > *alloc) {
		*v = xreallocarray(*v, n, sizeof **v);
		*alloc = n;
	}
	rg = xcalloc(h->nruns + 1, sizeof *rg);
	next = xcalloc(h->nruns + 1, sizeof *next);
	for (j = 0; j < h->nruns; j++)
		if (h->runs[j].nranges > 0)
			next[j] = h->runs[j].ranges[0][0];
	while (k < n) {
		best = h->nruns;
		bkey = UINT32_MAX;
		if (i < h->nports)
			bkey = (uint32_t)h->ports[i].proto << 16 |
			    h->ports[i].port;
		for (j = 0; j < h->nruns; j++) {
			run = &h->runs[j];
			if (rg[j] == run->nranges)
				continue;
			key = (uint32_t)run->proto << 16 | next[j];
			if (key < bkey) {
				bkey = key;
				best = j;
			}
		}
		p = &(*v)[k++];
		if (best == h->nruns) {
			*p = h->ports[i++];
			continue;
		}
		run = &h->runs[best];
		memset(p, 0, sizeof *p);
		p->port = (uint16_t)next[best];
		p->proto = run->proto;
		p->state = run->state;
		p->reason = run->reason;
		p->ttl = run->ttl;
		if (next[best] < run->ranges[rg[best]][1])
			next[best]++;
		else if (++rg[best] < run->nranges)
			next[best] = run->ranges[rg[best]][0];
	}
	free(next);
	free(rg);
	return (n);
}
