/*
 * The scan builder's live estimate: from the chosen profile and the text
 * of the fields, what the scan would cover and send, the least time the
 * profile's limits allow it, the most any one host would receive, the
 * scope verdict and the warnings. It runs on every key press, so it only
 * parses and counts; it sends nothing. Each field's error is kept apart,
 * so the builder can show it next to the field.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "port-spec.h"
#include "profile.h"
#include "scope.h"
#include "target.h"
#include "tui.h"
#include "xmalloc.h"

static int	tui_estimate_targets(struct tui_estimate *,
		    struct target_set *, const char *);
static int	tui_estimate_ports(struct tui_estimate *,
		    const struct profile *, const char *);
static uint64_t	tui_estimate_discovery(const struct profile *);
static void	tui_estimate_time(struct tui_estimate *,
		    const struct profile *);
static void	tui_estimate_scope(struct tui_estimate *, struct target_set *,
		    char *const *);
static void	tui_estimate_warn(struct tui_estimate *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

void
tui_estimate_clear(struct tui_estimate *e)
{
	size_t	i;

	free(e->verdict_text);
	for (i = 0; i < FIELD_MAX; i++)
		free(e->error[i]);
	for (i = 0; i < e->nwarn; i++)
		free(e->warn[i]);
	memset(e, 0, sizeof *e);
}

static void
tui_estimate_warn(struct tui_estimate *e, const char *fmt, ...)
{
	va_list	ap;
	char	text[256];

	if (e->nwarn == TUI_ESTIMATE_WARN)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	e->warn[e->nwarn++] = xstrdup(text);
}

/* Whitespace separates specifications, as on a command line. */
static int
tui_estimate_targets(struct tui_estimate *e, struct target_set *set,
    const char *text)
{
	char	*copy, *p, *spec, *cause;
	int	 n = 0;

	copy = p = xstrdup(text);
	while ((spec = strsep(&p, " \t")) != NULL) {
		if (*spec == '\0')
			continue;
		n++;
		if (target_set_add(set, spec, NULL, &cause) != 0) {
			e->error[FIELD_TARGETS] = cause;
			free(copy);
			return (-1);
		}
	}
	free(copy);
	if (n == 0) {
		e->error[FIELD_TARGETS] = xstrdup("no targets");
		return (-1);
	}
	if (target_set_finish(set, &cause) != 0) {
		e->error[FIELD_TARGETS] = cause;
		return (-1);
	}
	e->hosts = target_set_count(set);
	return (0);
}

/* The field's ports, else the profile's default list or top ports. */
static int
tui_estimate_ports(struct tui_estimate *e, const struct profile *p,
    const char *text)
{
	struct port_list	 l = { NULL, 0 };
	unsigned		 protos;
	char			*cause;
	int			 rc;

	if (p->scan_type == PROFILE_SCAN_PING) {
		e->ports = 0;
		return (0);
	}
	protos = p->scan_type == PROFILE_SCAN_UDP ? PORT_UDP : PORT_TCP;
	if (*text != '\0')
		rc = port_spec_parse(&l, text, protos, &cause);
	else if (p->ports != NULL)
		rc = port_spec_parse(&l, p->ports, protos, &cause);
	else
		rc = port_spec_top(&l, p->top_ports != 0 ? p->top_ports :
		    1000, protos, NULL, &cause);
	if (rc != 0) {
		e->error[FIELD_PORTS] = cause;
		return (-1);
	}
	e->ports = l.n;
	port_list_free(&l);
	return (0);
}

/* Discovery probes sent to each host before its ports. */
static uint64_t
tui_estimate_discovery(const struct profile *p)
{
	struct port_list	 l = { NULL, 0 };
	uint64_t		 n = 0;
	char			*cause;

	if (p->discovery & PROFILE_DISCOVER_ICMP_ECHO)
		n++;
	if (p->discovery & PROFILE_DISCOVER_ICMP_TSTAMP)
		n++;
	if (p->discovery & PROFILE_DISCOVER_ARP)
		n++;
	if ((p->discovery & (PROFILE_DISCOVER_TCP_SYN |
	    PROFILE_DISCOVER_TCP_ACK)) && p->discovery_ports != NULL) {
		if (port_spec_parse(&l, p->discovery_ports, PORT_TCP,
		    &cause) == 0) {
			if (p->discovery & PROFILE_DISCOVER_TCP_SYN)
				n += l.n;
			if (p->discovery & PROFILE_DISCOVER_TCP_ACK)
				n += l.n;
			port_list_free(&l);
		} else
			free(cause);
	}
	return (n);
}

/*
 * The least time the limits allow: the global rate over every probe,
 * and each host's rate and scan delay over its own probes, times the
 * number of groups of hosts that may run in parallel.
 */
static void
tui_estimate_time(struct tui_estimate *e, const struct profile *p)
{
	uint64_t	per_host = e->probes / (e->hosts != 0 ? e->hosts : 1);
	uint64_t	groups = 1;
	double		t;

	if (p->max_parallel_hosts != 0)
		groups = (e->hosts + p->max_parallel_hosts - 1) /
		    p->max_parallel_hosts;
	e->seconds = 0;
	if (p->max_rate > 0)
		e->seconds = (double)e->probes / p->max_rate;
	if (p->host_max_rate > 0) {
		t = (double)per_host / p->host_max_rate * (double)groups;
		if (t > e->seconds)
			e->seconds = t;
	}
	t = (double)per_host * p->scan_delay / 1000.0 * (double)groups;
	if (t > e->seconds)
		e->seconds = t;
	e->host_rate = p->host_max_rate;
	if (e->host_rate == 0 || (p->max_rate > 0 && p->max_rate <
	    e->host_rate))
		e->host_rate = p->max_rate;
	e->outstanding = p->host_max_outstanding;
}

/*
 * The scope verdict, as `tact scan` will reach it: loopback is always in
 * scope; other targets need a scope file that covers them or, with none,
 * a purpose and a confirmation.
 */
static void
tui_estimate_scope(struct tui_estimate *e, struct target_set *set,
    char *const *f)
{
	struct scope	*scope = NULL;
	char		*cause = NULL;

	if (*f[FIELD_SCOPE] != '\0' &&
	    (scope = scope_load(f[FIELD_SCOPE], &cause)) == NULL) {
		e->verdict = VERDICT_REFUSED;
		e->error[FIELD_SCOPE] = cause;
		e->verdict_text = xstrdup("refused: the scope file is bad");
		return;
	}
	switch (scope_check(scope, set, time(NULL), &cause)) {
	case SCOPE_OK:
		e->verdict = VERDICT_OK;
		if (scope != NULL)
			xasprintf(&e->verdict_text, "in scope %s",
			    scope->reference != NULL ? scope->reference :
			    scope->path);
		else
			e->verdict_text = xstrdup("loopback: always in scope");
		break;
	case SCOPE_NEED_PERMISSION:
		if (*f[FIELD_PURPOSE] == '\0') {
			e->verdict = VERDICT_REFUSED;
			e->error[FIELD_PURPOSE] = xstrdup("needed: targets "
			    "are not loopback and there is no scope file");
			e->verdict_text = xstrdup("refused: no scope file and "
			    "no purpose");
		} else {
			e->verdict = VERDICT_CONFIRM;
			e->verdict_text = xstrdup("no scope file: you will be "
			    "asked to confirm your permission");
		}
		break;
	default:
		e->verdict = VERDICT_REFUSED;
		xasprintf(&e->verdict_text, "refused: %s", cause != NULL ?
		    cause : "cannot check the scope");
		break;
	}
	free(cause);
	scope_free(scope);
}

void
tui_estimate(struct tui_estimate *e, const struct profile *p,
    char *const *f)
{
	struct target_set	*set;
	uint64_t		 disc;

	tui_estimate_clear(e);
	if (p == NULL) {
		e->error[FIELD_PROFILE] = xstrdup("no profile");
		return;
	}
	set = target_set_create(0);
	if (tui_estimate_targets(e, set, f[FIELD_TARGETS]) != 0 ||
	    tui_estimate_ports(e, p, f[FIELD_PORTS]) != 0) {
		target_set_free(set);
		e->verdict = VERDICT_REFUSED;
		e->verdict_text = xstrdup("fix the marked field");
		return;
	}
	disc = tui_estimate_discovery(p);
	e->probes = e->hosts * (e->ports + disc);
	e->probes_worst = e->probes * (1 + (uint64_t)p->max_retries);
	tui_estimate_time(e, p);
	tui_estimate_scope(e, set, f);
	target_set_free(set);
	e->valid = true;

	if (p->max_hosts != 0 && e->hosts > p->max_hosts) {
		free(e->error[FIELD_TARGETS]);
		xasprintf(&e->error[FIELD_TARGETS], "%llu hosts: profile %s "
		    "allows %llu", (unsigned long long)e->hosts, p->name,
		    (unsigned long long)p->max_hosts);
	}
	if (p->max_ports_per_host != 0 && e->ports > p->max_ports_per_host) {
		free(e->error[FIELD_PORTS]);
		xasprintf(&e->error[FIELD_PORTS], "%llu ports: profile %s "
		    "allows %u", (unsigned long long)e->ports, p->name,
		    p->max_ports_per_host);
	}
	if (e->error[FIELD_TARGETS] != NULL || e->error[FIELD_PORTS] != NULL) {
		e->verdict = VERDICT_REFUSED;
		free(e->verdict_text);
		e->verdict_text = xstrdup("refused: over the profile's limits");
	}
	if (e->ports >= 10000)
		tui_estimate_warn(e, "%llu ports a host: would --top-ports "
		    "do?", (unsigned long long)e->ports);
	if (p->scan_type == PROFILE_SCAN_CONNECT && geteuid() == 0)
		tui_estimate_warn(e, "connect scan where SYN is possible "
		    "(more load on the targets' applications)");
	if (e->seconds > 86400)
		tui_estimate_warn(e, "takes more than a day at this "
		    "profile's limits");
	if (e->hosts >= 65536)
		tui_estimate_warn(e, "%llu hosts: is every one of them yours "
		    "to scan?", (unsigned long long)e->hosts);
}
