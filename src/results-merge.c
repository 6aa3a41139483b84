/*
 * `tact merge`: the shards of one scan, each rebuilt from its journal,
 * put together into one results store. The store changes only by
 * records, so the merge applies the records that would have built it:
 * one scan-start for the whole scan, each host's name, state, ports
 * (one by one, and the runs of closed and filtered ones as port-run
 * records), banners, -sV's findings and end in address order (so the store only appends), the
 * shards' warnings, one progress record adding theirs up and a
 * scan-end when every shard ended.
 *
 * First the shards must be of one scan (the same seed, targets, ports,
 * profile, technique, split and count), each shard at most once, and
 * no host (whole-host shards) or port of a host in two of them: any of
 * these is an error, never a guess. Each shard's monotonic times are
 * moved onto one clock by its wall-clock start, so that a host's times
 * and the scan's length read as they would have in one scan.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "port-spec.h"
#include "results-merge.h"
#include "results.h"
#include "xmalloc.h"

/* The merged scan's start on its one clock (0 means none). */
#define MERGE_BASE_NS	1000000000ULL

/* The scan-start strings that must be the same in every shard. */
static const char *const merge_same[] = {
	"targets", "ports", "profile", "technique", "split"
};

/* The scan-start strings the merged scan does not keep. */
static const char *const merge_drop[] = { "shard", "split" };

struct merge_shard {
	const struct results	*r;
	const char		*name;
	uint32_t		 index;		/* from 1 */
	uint32_t		 count;
	uint64_t		 hosts_all;
	int64_t			 shift;		/* onto the merged clock */
};

/* A host of a shard, to be applied in address order. */
struct merge_host {
	const struct results_host	*h;
	const struct merge_shard	*s;
};

static int	merge_identity(struct merge_shard *, char **);
static int	merge_check(const struct merge_shard *,
		    const struct merge_shard *, char **);
static void	merge_add(char **, const char *);
static uint64_t	merge_ports(const struct results *);
static int	merge_host_cmp(const void *, const void *);
static int	merge_run(struct results *, const struct merge_host *,
		    const struct results_host *, const struct results_run *,
		    char **);
static uint64_t	merge_ns(const struct merge_shard *, uint64_t);
static void	merge_emit(struct results *, enum event_type, const void *,
		    size_t, uint64_t);
static void	merge_start(struct results *, const struct merge_shard *,
		    const struct results_merge *, uint64_t);
static int	merge_host(struct results *, const struct merge_host *,
		    bool, char **);
static void	merge_text(struct results *, enum event_type,
		    const struct target_addr *, const char *, size_t,
		    uint64_t);
static void	merge_service(struct results *, const struct results_host *,
		    const struct results_port *, uint64_t);
static void	merge_string(char **, size_t *, uint32_t *,
		    enum event_service_key, const char *);

/* The shard's number and count from its shard= string; 1/1 without. */
static int
merge_identity(struct merge_shard *s, char **cause)
{
	const struct results_scan	*rs = results_scan(s->r);
	const char			*v;
	char				*end;
	uint64_t			 hosts;
	int				 n = 0;

	s->index = s->count = 1;
	if ((v = results_scan_string(s->r, "shard")) != NULL &&
	    (sscanf(v, "%u/%u%n", &s->index, &s->count, &n) != 2 ||
	    v[n] != '\0' || s->index < 1 || s->index > s->count)) {
		xasprintf(cause, "%s: shard=\"%s\": not i/n", s->name, v);
		return (-1);
	}
	s->hosts_all = rs->hosts;
	if ((v = results_scan_string(s->r, "hosts-all")) != NULL) {
		hosts = strtoull(v, &end, 10);
		if (*v < '0' || *v > '9' || *end != '\0') {
			xasprintf(cause, "%s: hosts-all=\"%s\": not a number",
			    s->name, v);
			return (-1);
		}
		s->hosts_all = hosts;
	}
	return (0);
}

/* Are a and b shards of one scan? If not, say what differs. */
static int
merge_check(const struct merge_shard *a, const struct merge_shard *b,
    char **cause)
{
	const char	*va, *vb;
	char		*what = NULL, *t;
	size_t		 i;

	if (results_scan(a->r)->seed != results_scan(b->r)->seed)
		merge_add(&what, "seed");
	if (a->count != b->count)
		merge_add(&what, "shard count");
	for (i = 0; i < sizeof merge_same / sizeof merge_same[0]; i++) {
		va = results_scan_string(a->r, merge_same[i]);
		vb = results_scan_string(b->r, merge_same[i]);
		if (va == vb || (va != NULL && vb != NULL &&
		    strcmp(va, vb) == 0))
			continue;
		merge_add(&what, merge_same[i]);
	}
	if (what == NULL)
		return (0);
	t = strrchr(what, ',');
	xasprintf(cause, "%s and %s are not shards of one scan: their %s "
	    "differ%s", a->name, b->name, what, t != NULL ? "" : "s");
	free(what);
	return (-1);
}

/* Add a word to a list, "a, b". */
static void
merge_add(char **list, const char *word)
{
	char	*t;

	if (*list == NULL) {
		*list = xstrdup(word);
		return;
	}
	xasprintf(&t, "%s, %s", *list, word);
	free(*list);
	*list = t;
}

/* How many ports a host is scanned on, from the ports= string. */
static uint64_t
merge_ports(const struct results *r)
{
	const struct results_scan	*rs = results_scan(r);
	struct port_list		 l;
	const char			*v = results_scan_string(r, "ports");
	char				*why = NULL;
	uint64_t			 n;

	if (v == NULL)		/* a scan from before shards said */
		return (rs->hosts == 0 ? 0 : rs->pairs / rs->hosts);
	if (*v == '\0')
		return (0);
	if (port_spec_parse(&l, v, PORT_TCP | PORT_UDP, &why) != 0) {
		free(why);
		return (0);
	}
	n = l.n;
	port_list_free(&l);
	return (n);
}

static int
merge_host_cmp(const void *a0, const void *b0)
{
	const struct merge_host	*a = a0, *b = b0;
	int			 c;

	if ((c = target_addr_cmp(&a->h->addr, &b->h->addr)) != 0)
		return (c);
	return (a->s->index < b->s->index ? -1 : a->s->index > b->s->index);
}

/* A shard's monotonic time on the merged clock; 0 stays none. */
static uint64_t
merge_ns(const struct merge_shard *s, uint64_t ns)
{
	return (ns == 0 ? MERGE_BASE_NS : (uint64_t)((int64_t)ns + s->shift));
}

static void
merge_emit(struct results *out, enum event_type type, const void *payload,
    size_t len, uint64_t ns)
{
	struct event_header	h;

	memset(&h, 0, sizeof h);
	h.version = EVENT_VERSION;
	h.type = type;
	h.len = (uint32_t)len;
	h.mono_ns = ns;
	results_apply(out, &h, payload);
}

/* A record of a struct and bytes after it (a name, a warning). */
static void
merge_text(struct results *out, enum event_type type,
    const struct target_addr *addr, const char *text, size_t len,
    uint64_t ns)
{
	struct event_host_name	*e;
	struct event_warning	*w;
	size_t			 head = type == EVENT_WARNING ? sizeof *w :
				    sizeof *e;
	char			*buf;

	buf = xcalloc(1, head + len);
	memcpy(buf + head, text, len);
	if (type == EVENT_WARNING) {
		w = (struct event_warning *)buf;
		if (addr != NULL)
			w->addr = *addr;
		w->len = (uint32_t)len;
	} else {
		e = (struct event_host_name *)buf;
		e->addr = *addr;
		e->type = EVENT_NAME_USER;
		e->len = (uint32_t)len;
	}
	merge_emit(out, type, buf, head + len, ns);
	free(buf);
}

/* A "key=value" string after a service-info record's struct. */
static void
merge_string(char **rec, size_t *len, uint32_t *n, enum event_service_key k,
    const char *v)
{
	size_t	kl = strlen(event_service_key(k)), vl;

	if (v == NULL)
		return;
	vl = strlen(v);
	*rec = xreallocarray(*rec, 1, *len + kl + vl + 2);
	memcpy(*rec + *len, event_service_key(k), kl);
	(*rec)[*len + kl] = '=';
	memcpy(*rec + *len + kl + 1, v, vl + 1);
	*len += kl + vl + 2;
	(*n)++;
}

/* A port's -sV findings, as the service-info record that made them. */
static void
merge_service(struct results *out, const struct results_host *h,
    const struct results_port *p, uint64_t ns)
{
	const struct results_service	*sv = p->service;
	struct event_service_info	*e;
	char				*rec;
	size_t				 len = sizeof *e, k;
	uint32_t			 n = 0;

	rec = xcalloc(1, len);
	e = (struct event_service_info *)rec;
	e->addr = h->addr;
	e->port = p->port;
	e->proto = p->proto;
	e->method = sv->method;
	e->conf = sv->conf;
	e->tunnel = sv->tunnel ? 1 : 0;
	e->cert_not_before = sv->cert_not_before;
	e->cert_not_after = sv->cert_not_after;
	memcpy(e->cert_sha256, sv->cert_sha256, sizeof e->cert_sha256);
	/* Each string may move rec: e is not used after this. */
	merge_string(&rec, &len, &n, EVENT_SKEY_SERVICE, sv->name);
	for (k = 0; k < EVENT_SKEY_CPE - EVENT_SKEY_PRODUCT; k++)
		merge_string(&rec, &len, &n,
		    (enum event_service_key)(EVENT_SKEY_PRODUCT + k),
		    sv->field[k]);
	for (k = 0; k < sv->ncpe; k++)
		merge_string(&rec, &len, &n, EVENT_SKEY_CPE, sv->cpe[k]);
	merge_string(&rec, &len, &n, EVENT_SKEY_CERT_SUBJECT,
	    sv->cert_subject);
	merge_string(&rec, &len, &n, EVENT_SKEY_CERT_ISSUER, sv->cert_issuer);
	for (k = 0; k < sv->ncert_san; k++)
		merge_string(&rec, &len, &n, EVENT_SKEY_CERT_SAN,
		    sv->cert_san[k]);
	((struct event_service_info *)rec)->nstrings = n;
	merge_emit(out, EVENT_SERVICE_INFO, rec, len, ns);
	free(rec);
}

/* One scan-start for the whole scan: the first shard's, less shard=. */
static void
merge_start(struct results *out, const struct merge_shard *sh,
    const struct results_merge *m, uint64_t wall)
{
	const struct results_scan	*rs = results_scan(sh[0].r);
	struct event_scan_start		*e;
	size_t				 len = sizeof *e, i, j, off;
	bool				*keep;

	keep = xcalloc(rs->nstrings + 1, sizeof *keep);
	for (i = 0; i < rs->nstrings; i++) {
		keep[i] = true;
		for (j = 0; j < sizeof merge_drop / sizeof merge_drop[0]; j++) {
			if (strncmp(rs->strings[i], merge_drop[j],
			    strlen(merge_drop[j])) == 0 &&
			    rs->strings[i][strlen(merge_drop[j])] == '=')
				keep[i] = false;
		}
		if (keep[i])
			len += strlen(rs->strings[i]) + 1;
	}
	e = xcalloc(1, len);
	e->seed = rs->seed;
	e->hosts = sh[0].hosts_all;
	e->pairs = m->total;
	e->wall_start = wall;
	e->shard_count = 1;
	off = sizeof *e;
	for (i = 0; i < rs->nstrings; i++) {
		if (!keep[i])
			continue;
		memcpy((char *)e + off, rs->strings[i],
		    strlen(rs->strings[i]) + 1);
		off += strlen(rs->strings[i]) + 1;
		e->nstrings++;
	}
	merge_emit(out, EVENT_SCAN_START, e, len, MERGE_BASE_NS);
	free(e);
	free(keep);
}

/*
 * One host of one shard: its name, state, ports and banners, silence
 * and end. A host already there came from another shard: an overlap
 * unless the shards split pairs, and then a port already there is one.
 */
static int
merge_host(struct results *out, const struct merge_host *mh, bool pairs,
    char **cause)
{
	const struct results_host	*h = mh->h, *had;
	const struct results_port	*p;
	struct results_port		 buf;
	struct event_host		 eh;
	struct event_port		 ep;
	struct event_service		*es;
	char				 a[64];
	size_t				 i;

	had = results_host_find(out, &h->addr);
	if (had != NULL && !pairs) {
		xasprintf(cause, "%s: host %s is in another shard too",
		    mh->s->name, target_addr_str(&h->addr, a, sizeof a));
		return (-1);
	}
	if (h->name != NULL && (had == NULL || had->name == NULL))
		merge_text(out, EVENT_HOST_NAME, &h->addr, h->name,
		    strlen(h->name), merge_ns(mh->s, h->up_ns));
	memset(&eh, 0, sizeof eh);
	eh.addr = h->addr;
	eh.reason = h->reason;
	eh.ttl = h->ttl;
	eh.rtt_us = h->rtt_us;
	eh.probes = h->probes + (had != NULL ? had->probes : 0);
	if (h->state != 0 && (had == NULL || had->state != EVENT_HOST_UP)) {
		eh.state = h->state;
		merge_emit(out, EVENT_HOST_STATE, &eh, sizeof eh,
		    merge_ns(mh->s, h->up_ns));
	}
	for (i = 0; i < h->nports; i++) {
		p = &h->ports[i];
		if (had != NULL && results_port_find(had, p->port,
		    p->proto, &buf) != NULL) {
			xasprintf(cause, "%s: port %u/%s of %s is in another "
			    "shard too", mh->s->name, p->port,
			    p->proto == PORT_UDP ? "udp" : "tcp",
			    target_addr_str(&h->addr, a, sizeof a));
			return (-1);
		}
		memset(&ep, 0, sizeof ep);
		ep.addr = h->addr;
		ep.port = p->port;
		ep.proto = p->proto;
		ep.state = p->state;
		ep.reason = p->reason;
		ep.ttl = p->ttl;
		ep.tries = p->tries;
		ep.rtt_us = p->rtt_us;
		merge_emit(out, EVENT_PORT_STATE, &ep, sizeof ep,
		    merge_ns(mh->s, h->up_ns));
		if (p->service != NULL)
			merge_service(out, h, p, merge_ns(mh->s, h->up_ns));
		if (p->banner == NULL)
			continue;
		es = xcalloc(1, sizeof *es + p->banner_len);
		es->addr = h->addr;
		es->port = p->port;
		es->proto = p->proto;
		es->len = p->banner_len;
		memcpy(es + 1, p->banner, p->banner_len);
		merge_emit(out, EVENT_SERVICE, es, sizeof *es + p->banner_len,
		    merge_ns(mh->s, h->up_ns));
		free(es);
	}
	for (i = 0; i < h->nruns; i++) {
		if (merge_run(out, mh, had, &h->runs[i], cause) != 0)
			return (-1);
	}
	if (h->silent) {
		eh.state = EVENT_HOST_SILENT;
		merge_emit(out, EVENT_HOST_STATE, &eh, sizeof eh,
		    merge_ns(mh->s, h->silent_ns));
	}
	if (h->done) {
		eh.state = h->timedout ? EVENT_HOST_TIMEOUT : EVENT_HOST_DONE;
		merge_emit(out, EVENT_HOST_STATE, &eh, sizeof eh,
		    merge_ns(mh->s, h->done_ns));
	}
	return (0);
}

/*
 * A run of a host of one shard, as one port-run record; a port of it
 * already there (had: the host from another shard) is an overlap.
 */
static int
merge_run(struct results *out, const struct merge_host *mh,
    const struct results_host *had, const struct results_run *run,
    char **cause)
{
	struct event_port_run	*e;
	struct results_port	 buf;
	uint16_t		*v;
	uint32_t		 port;
	size_t			 i, n = 0, len;
	char			 a[64];
	int			 rc = 0;

	if (run->count == 0)
		return (0);
	v = xreallocarray(NULL, run->count, sizeof *v);
	for (i = 0; i < run->nranges && rc == 0; i++) {
		for (port = run->ranges[i][0]; port <= run->ranges[i][1];
		    port++) {
			if (had != NULL && results_port_find(had,
			    (uint16_t)port, run->proto, &buf) != NULL) {
				xasprintf(cause, "%s: port %u/%s of %s is in "
				    "another shard too", mh->s->name, port,
				    run->proto == PORT_UDP ? "udp" : "tcp",
				    target_addr_str(&mh->h->addr, a,
				    sizeof a));
				rc = -1;
				break;
			}
			v[n++] = (uint16_t)port;
		}
	}
	if (rc == 0) {
		e = xmalloc(EVENT_PORT_RUN_MAX(n));
		memset(e, 0, sizeof *e);
		e->addr = mh->h->addr;
		e->proto = run->proto;
		e->state = run->state;
		e->reason = run->reason;
		e->ttl = run->ttl;
		len = event_port_run_encode(e, v, n);
		merge_emit(out, EVENT_PORT_RUN, e, len,
		    merge_ns(mh->s, mh->h->up_ns));
		free(e);
	}
	free(v);
	return (rc);
}

int
results_merge(struct results *out, struct results *const *in,
    const char *const *names, size_t n, struct results_merge *m,
    char **cause)
{
	struct merge_shard		*sh;
	struct merge_host		*hosts = NULL;
	const struct merge_shard	**seen = NULL;
	const struct results_scan	*rs;
	const struct event_progress	*pr;
	struct event_progress		 prog;
	struct event_scan_end		 end;
	const char			*w;
	char				*text = NULL, *t;
	uint64_t			 wall = UINT64_MAX, wall_end = 0;
	uint64_t			 last = MERGE_BASE_NS, nports;
	size_t				 i, j, nhosts = 0, k;
	uint32_t			 status = EVENT_END_DONE;
	bool				 ended = true, pairs;
	int				 rc = -1;

	memset(m, 0, sizeof *m);
	if (n == 0) {
		xasprintf(cause, "no shards to merge");
		return (-1);
	}
	sh = xcalloc(n, sizeof *sh);
	for (i = 0; i < n; i++) {
		sh[i].r = in[i];
		sh[i].name = names[i];
		if (merge_identity(&sh[i], cause) != 0 ||
		    (i > 0 && merge_check(&sh[0], &sh[i], cause) != 0))
			goto out;
	}
	m->count = sh[0].count;
	seen = xcalloc(m->count, sizeof *seen);
	for (i = 0; i < n; i++) {
		if (seen[sh[i].index - 1] != NULL) {
			xasprintf(cause, "%s and %s are both shard %u/%u",
			    seen[sh[i].index - 1]->name, sh[i].name,
			    sh[i].index, sh[i].count);
			goto out;
		}
		seen[sh[i].index - 1] = &sh[i];
	}
	for (i = 0; i < m->count; i++) {
		if (seen[i] != NULL)
			continue;
		m->missing = xreallocarray(m->missing, m->nmissing + 1,
		    sizeof *m->missing);
		m->missing[m->nmissing++] = (uint32_t)i + 1;
	}

	/* The coverage, the one clock and how the scan ended. */
	nports = merge_ports(sh[0].r);
	pairs = (w = results_scan_string(sh[0].r, "split")) != NULL &&
	    strcmp(w, "pairs") == 0;
	m->total = nports == 0 ? sh[0].hosts_all : sh[0].hosts_all * nports;
	for (i = 0; i < n; i++) {
		rs = results_scan(sh[i].r);
		if (rs->wall_start < wall)
			wall = rs->wall_start;
	}
	for (i = 0; i < n; i++) {
		rs = results_scan(sh[i].r);
		sh[i].shift = (int64_t)MERGE_BASE_NS - (int64_t)rs->start_ns +
		    (int64_t)(rs->wall_start - wall) * 1000000000;
		if (nports != 0)
			m->done += results_progress(sh[i].r)->pairs_done;
		else {
			for (j = 0; j < results_host_count(sh[i].r); j++)
				m->done += results_host(sh[i].r, j)->state != 0;
		}
		if (merge_ns(&sh[i], rs->last_ns) > last)
			last = merge_ns(&sh[i], rs->last_ns);
		if (!rs->ended)
			ended = false;
		else if (rs->status > status)
			status = rs->status;
		if (rs->wall_end > wall_end)
			wall_end = rs->wall_end;
		if ((!rs->ended || rs->status != EVENT_END_DONE) &&
		    m->unfinished == NULL)
			m->unfinished = sh[i].name;
	}

	merge_start(out, sh, m, wall);
	for (i = 0; i < n; i++)
		nhosts += results_host_count(sh[i].r);
	hosts = xreallocarray(NULL, nhosts + 1, sizeof *hosts);
	for (i = k = 0; i < n; i++) {
		for (j = 0; j < results_host_count(sh[i].r); j++) {
			hosts[k].h = results_host(sh[i].r, j);
			hosts[k++].s = &sh[i];
		}
	}
	qsort(hosts, nhosts, sizeof *hosts, merge_host_cmp);
	for (i = 0; i < nhosts; i++) {
		if (merge_host(out, &hosts[i], pairs, cause) != 0)
			goto out;
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < results_warning_count(sh[i].r); j++) {
			w = results_warning(sh[i].r, j);
			merge_text(out, EVENT_WARNING, NULL, w, strlen(w),
			    last);
		}
	}
	if (m->nmissing != 0) {
		xasprintf(&text, "merged %zu of %u shards; missing", n,
		    m->count);
		for (i = 0; i < m->nmissing; i++) {
			xasprintf(&t, "%s%s %u/%u", text, i == 0 ? "" : ",",
			    m->missing[i], m->count);
			free(text);
			text = t;
		}
		merge_text(out, EVENT_WARNING, NULL, text, strlen(text), last);
	}

	memset(&prog, 0, sizeof prog);
	for (i = 0; i < n; i++) {
		pr = results_progress(sh[i].r);
		prog.probes_sent += pr->probes_sent;
		prog.replies += pr->replies;
		prog.drops += pr->drops;
		prog.retransmits += pr->retransmits;
	}
	prog.pairs_done = nports == 0 ? 0 : m->done;
	prog.pairs_total = nports == 0 ? 0 : m->total;
	for (i = 0; i < results_host_count(out); i++) {
		prog.hosts_up += results_host(out, i)->state == EVENT_HOST_UP;
		prog.hosts_down += results_host(out, i)->state ==
		    EVENT_HOST_DOWN;
		prog.open_ports += results_host(out, i)->nstate[EVENT_PORT_OPEN];
	}
	prog.eta_ms = m->done >= m->total ? 0 : UINT32_MAX;
	merge_emit(out, EVENT_PROGRESS, &prog, sizeof prog, last);
	if (ended) {
		memset(&end, 0, sizeof end);
		end.status = m->nmissing != 0 && status == EVENT_END_DONE ?
		    EVENT_END_STOPPED : status;
		end.wall_end = wall_end;
		merge_emit(out, EVENT_SCAN_END, &end, sizeof end, last);
	}
	rc = 0;

out:
	free(text);
	free(hosts);
	free(seen);
	free(sh);
	return (rc);
}

void
results_merge_free(struct results_merge *m)
{
	free(m->missing);
	memset(m, 0, sizeof *m);
}
