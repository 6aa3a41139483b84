/*
 * Resuming (scan_config.resume, the results rebuilt from the journal):
 * what the journal holds is not done again. A group whose every host was
 * settled (down, or done) is skipped; in the others, a host keeps the
 * state it had, with no discovery, and a pair with a state (one by one or
 * in a run) counts as done without a probe. The counters go on from the
 * journal's. With -sV, the open ports (and open|filtered UDP ports) the
 * journal has no service record for are probed again in the group's
 * service phase.
 */
#include <stdlib.h>

#include "event.h"
#include "results.h"
#include "scan-engine.h"
#include "xmalloc.h"

/* The journal holds the scan these options and targets make? */
int
scan_resume_check(const struct scan *s, char **cause)
{
	const struct results_scan	*rs = results_scan(s->cfg.resume);

	if (rs->hosts == s->ntargets && rs->pairs == s->pairs_total)
		return (0);
	xasprintf(cause, "the targets or ports are not those the scan started "
	    "with (%llu hosts, %llu pairs)", (unsigned long long)rs->hosts,
	    (unsigned long long)rs->pairs);
	return (-1);
}

void
scan_resume_counts(struct scan *s)
{
	const struct results_host	*rh;
	size_t				 i;

	for (i = 0; i < results_host_count(s->cfg.resume); i++) {
		rh = results_host(s->cfg.resume, i);
		if (rh->state == EVENT_HOST_UP)
			s->hosts_up++;
		else if (rh->state == EVENT_HOST_DOWN)
			s->hosts_down++;
		s->open_ports += results_port_count(rh, EVENT_PORT_OPEN);
	}
}

bool
scan_resume_group_done(struct scan *s, uint64_t g)
{
	const struct results_host	*rh;
	struct target_addr		 a;
	struct target_iter		 it;
	uint64_t			 first = g * s->group_size, n, i;

	n = s->ntargets - first < s->group_size ? s->ntargets - first :
	    s->group_size;
	for (i = 0; i < n; i++) {
		target_set_get(s->plan->targets, first + i, &a);
		rh = results_host_find(s->cfg.resume, &a);
		if (rh == NULL || (rh->state != EVENT_HOST_DOWN && !rh->done))
			return (false);
	}
	target_iter_init(&it, n * s->nports, s->plan->seed, s->plan->pair_index,
	    s->plan->pair_count);
	s->pairs_done += target_iter_total(&it);
	s->iter_base += n * s->nports;
	return (true);
}

/* The ports of host h the journal decided but whose services it lacks. */
static void
scan_resume_services(struct scan *s, struct scan_host *h,
    const struct results_host *rh)
{
	const struct results_port	*p;
	size_t				 i;

	for (i = 0; i < rh->nports; i++) {
		p = &rh->ports[i];
		if (p->service == NULL && (p->state == EVENT_PORT_OPEN ||
		    (p->state == EVENT_PORT_OPEN_FILTERED &&
		    p->proto == PORT_UDP)))
			scan_service_add(s, h, p->port, p->proto,
			    p->state == EVENT_PORT_OPEN);
	}
}

bool
scan_resume_host(struct scan *s, struct scan_host *h)
{
	const struct results_host	*rh;

	if (s->cfg.resume == NULL ||
	    (rh = results_host_find(s->cfg.resume, &h->addr)) == NULL ||
	    (rh->state != EVENT_HOST_UP && rh->state != EVENT_HOST_DOWN))
		return (false);
	h->reason = rh->reason;
	h->ttl = rh->ttl;
	h->rtt_us = rh->rtt_us;
	h->disc_left = 0;
	if (rh->state == EVENT_HOST_DOWN)
		h->phase = PHASE_DOWN;
	else
		h->phase = rh->timedout ? PHASE_TIMEOUT : rh->silent ?
		    PHASE_SILENT : PHASE_UP;
	if (h->phase == PHASE_UP || h->phase == PHASE_SILENT)
		scan_resume_services(s, h, rh);
	return (true);
}

bool
scan_resume_decided(const struct scan *s, const struct scan_host *h,
    uint64_t idx)
{
	const struct results_host	*rh;
	struct results_port		 buf;

	if (s->cfg.resume == NULL ||
	    (rh = results_host_find(s->cfg.resume, &h->addr)) == NULL)
		return (false);
	return (results_port_find(rh, s->plan->ports.v[idx].port,
	    s->plan->ports.v[idx].proto, &buf) != NULL);
}
