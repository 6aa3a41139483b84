/*
 * `tact estimate [scan options] target ...` and `tact scan --dry-run`:
 * what a scan would cover and send, the least time its profile allows,
 * the verdict and the warnings, as a small table, from the scan's plan
 * (cmd_plan_create(), which `tact scan` gates and runs alike). Nothing is
 * sent and no quota is charged.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "estimate.h"
#include "privs.h"
#include "profile.h"
#include "scan-def.h"
#include "scan-opts.h"
#include "scope.h"
#include "tact.h"
#include "target-iter.h"
#include "target.h"
#include "xmalloc.h"

/* The techniques by name, for the table. */
static const struct {
	unsigned	 technique;
	const char	*name;
} cmd_estimate_names[] = {
	{ SCAN_OPTS_SYN, "SYN (-sS)" },
	{ SCAN_OPTS_CONNECT, "connect (-sT)" },
	{ SCAN_OPTS_UDP, "UDP (-sU)" },
};

static int	cmd_estimate_refusal(const char *, enum scope_verdict,
		    const char *);
static const char *cmd_estimate_time(double, char *, size_t);
static void	cmd_estimate_row(const char *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	cmd_estimate_state(const struct estimate *);
static void	cmd_estimate_print(const struct cmd_plan *,
		    const struct estimate *);

/* Print why a scan is not allowed; the exit status for it. */
static int
cmd_estimate_refusal(const char *cmd, enum scope_verdict v,
    const char *reason)
{
	char	*why;

	why = cmd_verdict_why(v, reason);
	cmd_error(cmd, "%s", why);
	free(why);
	return (cmd_verdict_exit(v));
}

/* Seconds as "0.4s", "12m05s", "3h20m" or "2d04h". */
static const char *
cmd_estimate_time(double s, char *buf, size_t len)
{
	double	m = floor(s / 60), h = floor(s / 3600), d = floor(s / 86400);

	if (s < 60)
		snprintf(buf, len, "%.1fs", s);
	else if (s < 3600)
		snprintf(buf, len, "%.0fm%02.0fs", m, floor(s - m * 60));
	else if (s < 86400)
		snprintf(buf, len, "%.0fh%02.0fm", h, floor(s / 60 - h * 60));
	else
		snprintf(buf, len, "%.0fd%02.0fh", d, floor(s / 3600 - d * 24));
	return (buf);
}

static void
cmd_estimate_row(const char *name, const char *fmt, ...)
{
	va_list	ap;

	printf("%-16s ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/*
 * The state entries in NAT and firewalls at their peak, at best and at
 * worst; with a cap, what it holds them to and the time it adds.
 */
static void
cmd_estimate_state(const struct estimate *e)
{
	char		a[32], b[32];
	uint64_t	cap = e->state_max;

	if (cap == 0) {
		cmd_estimate_row("state entries", "%llu at best, %llu at worst "
		    "(no cap)", (unsigned long long)e->state_peak,
		    (unsigned long long)e->state_peak_worst);
		return;
	}
	cmd_estimate_row("state entries", "%llu at best, %llu at worst "
	    "(cap %llu)",
	    (unsigned long long)(e->state_peak < cap ? e->state_peak : cap),
	    (unsigned long long)(e->state_peak_worst < cap ?
	    e->state_peak_worst : cap), (unsigned long long)cap);
	if (e->state_peak_worst > cap)
		cmd_estimate_row("", "the cap adds %s at best, %s at worst "
		    "(%llu at worst without it)",
		    cmd_estimate_time(e->state_wait, a, sizeof a),
		    cmd_estimate_time(e->state_wait_worst, b, sizeof b),
		    (unsigned long long)e->state_peak_worst);
}

static void
cmd_estimate_print(const struct cmd_plan *c, const struct estimate *e)
{
	const struct scan_plan	*pl = &c->plan;
	const struct profile	*p = pl->profile;
	const struct scope	*s = c->scope;
	struct target_iter	 it;
	char			 a[32], b[32], tech[64] = "";
	uint64_t		 pairs;
	size_t			 i, n;

	pairs = e->ports != 0 && e->hosts > UINT64_MAX / e->ports ?
	    UINT64_MAX : e->hosts * e->ports;
	printf("pairs: %llu (%llu host%s x %llu port%s)\n",
	    (unsigned long long)pairs, (unsigned long long)e->hosts,
	    e->hosts == 1 ? "" : "s", (unsigned long long)e->ports,
	    e->ports == 1 ? "" : "s");
	if (pl->pair_count > 1) {
		target_iter_init(&it, pairs, pl->seed, pl->pair_index,
		    pl->pair_count);
		printf("shard %u/%u: %llu pairs\n", pl->shard_index + 1,
		    pl->shard_count,
		    (unsigned long long)target_iter_total(&it));
	} else if (pl->shard_count > 1)
		printf("shard %u/%u: %llu of %llu hosts\n",
		    pl->shard_index + 1, pl->shard_count,
		    (unsigned long long)e->hosts,
		    (unsigned long long)pl->all_hosts);
	for (i = 0; i < sizeof cmd_estimate_names /
	    sizeof cmd_estimate_names[0]; i++) {
		if ((e->techniques & cmd_estimate_names[i].technique) == 0)
			continue;
		n = strlen(tech);
		snprintf(tech + n, sizeof tech - n, "%s%s", n != 0 ? ", " : "",
		    cmd_estimate_names[i].name);
	}
	cmd_estimate_row("profile", "%s", p->name);
	cmd_estimate_row("technique", "%s", e->techniques == 0 ?
	    "ping scan (-sn): hosts only" : tech);
	cmd_estimate_row("hosts", "%llu (%llu loopback)",
	    (unsigned long long)e->hosts, (unsigned long long)e->loopback);
	cmd_estimate_row("ports a host", "%llu", (unsigned long long)e->ports);
	if (e->remote6 != 0 && e->discovery6 != e->discovery)
		snprintf(a, sizeof a, ", %llu an IPv6 host",
		    (unsigned long long)e->discovery6);
	else
		*a = '\0';
	cmd_estimate_row("discovery", "%llu probes a host%s%s",
	    (unsigned long long)e->discovery, a, pl->no_ping ? " (-Pn)" :
	    e->loopback != 0 ? ", none for loopback" : "");
	cmd_estimate_row("probes", "%llu at best, %llu at worst "
	    "(%u retries)", (unsigned long long)e->probes,
	    (unsigned long long)e->probes_worst, p->max_retries);
	cmd_estimate_row("least time", "%s at best, %s at worst",
	    cmd_estimate_time(e->seconds, a, sizeof a),
	    cmd_estimate_time(e->seconds_worst, b, sizeof b));
	if (e->host_rate > 0)
		snprintf(a, sizeof a, "%g probes/s", e->host_rate);
	else
		snprintf(a, sizeof a, "no rate cap");
	if (e->outstanding > 0)
		snprintf(b, sizeof b, "%u outstanding", e->outstanding);
	else
		snprintf(b, sizeof b, "no cap on outstanding");
	cmd_estimate_row("peak a host", "%s, %s", a, b);
	cmd_estimate_state(e);
	if (s != NULL)
		cmd_estimate_row("scope", "%s (%s), valid until %s",
		    s->reference, s->path, s->valid_until_text);
	else
		cmd_estimate_row("scope", "none");
	if (pl->policy.purpose != NULL)
		cmd_estimate_row("purpose", "%s", pl->policy.purpose);
	if (e->quota_targets == 0)
		cmd_estimate_row("daily quota", "none");
	else
		cmd_estimate_row("daily quota", "%llu targets",
		    (unsigned long long)e->quota_targets);
	if (e->verdict == SCOPE_OK)
		cmd_estimate_row("verdict", "allowed");
	else
		cmd_estimate_row("verdict", "refused: %s", e->reason);
	for (i = 0; i < e->nwarn; i++)
		printf("warning: %s\n", e->warn[i].text);
}

int
cmd_estimate_show(const char *cmd, const struct cmd_plan *c)
{
	struct estimate		 e;
	int			 rc;

	estimate_compute(&e, &c->plan);
	if (e.verdict == SCOPE_BAD_INPUT || e.verdict == SCOPE_FAILED)
		rc = cmd_estimate_refusal(NULL, e.verdict, e.reason);
	else {
		cmd_estimate_print(c, &e);
		if (fflush(stdout) != 0 || ferror(stdout)) {
			cmd_error(cmd, "standard output: write error");
			rc = TACT_EXIT_RUNTIME;
		} else if (e.verdict != SCOPE_OK)
			rc = cmd_estimate_refusal(cmd, e.verdict, e.reason);
		else
			rc = TACT_EXIT_OK;
	}
	estimate_free(&e);
	return (rc);
}

int
cmd_estimate(int argc, char **argv)
{
	struct scan_opts	 o;
	struct scan_def		*def;
	struct cmd_plan		 c;
	char			*cause = NULL;
	int			 rc;

	if ((rc = cmd_scan_parse("estimate", argc, argv, &o, &def)) != 0)
		return (rc == CMD_DONE ? TACT_EXIT_OK : rc);
	if (o.list_only) {
		cmd_error("estimate", "-sL: a list scan sends nothing to "
		    "estimate");
		rc = TACT_EXIT_INPUT;
	} else if ((rc = cmd_plan_create(&c, &o, def, &cause)) != 0) {
		cmd_error(NULL, "%s", cause);
		free(cause);
		cmd_plan_free(&c);
	} else {
		rc = cmd_estimate_show("estimate", &c);
		cmd_plan_free(&c);
	}
	scan_def_free(def);
	scan_opts_free(&o);
	return (rc);
}
