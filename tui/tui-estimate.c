/*
 * The scan builder's estimate. The fields become what `tact scan` would
 * be given (a scan definition and a policy) and libtact's
 * estimate_compute() does the counting, the time bounds, the profile's
 * limits, the scope and the warnings, as for `tact estimate`. What is
 * left here is the builder's view of it: which field each problem
 * belongs to and the verdict in the builder's terms. It runs on every
 * key press, so while the user types no hostname is looked up (they are
 * counted, and looked up when the scan is started) and no ledger is
 * read.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "port-spec.h"
#include "profile.h"
#include "scan-def.h"
#include "scope.h"
#include "target.h"
#include "tui.h"
#include "xmalloc.h"

static bool	tui_estimate_is_name(const char *);
static void	tui_estimate_targets(struct tui_estimate *,
		    struct target_set *, const char *, int);
static void	tui_estimate_ports(struct tui_estimate *, struct scan_def *,
		    const char *);
static struct scope *tui_estimate_scope(struct tui_estimate *, const char *);
static void	tui_estimate_verdict(struct tui_estimate *,
		    const struct scope *, const char *);

void
tui_estimate_clear(struct tui_estimate *e)
{
	size_t	i;

	if (e->valid)
		estimate_free(&e->est);
	free(e->verdict_text);
	for (i = 0; i < FIELD_MAX; i++)
		free(e->error[i]);
	memset(e, 0, sizeof *e);
}

/* Whether target-parse.c would take a word for a hostname. */
static bool
tui_estimate_is_name(const char *word)
{
	return (strchr(word, ':') == NULL && strpbrk(word,
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") != NULL);
}

/* Whitespace separates specifications, as on a command line. */
static void
tui_estimate_targets(struct tui_estimate *e, struct target_set *set,
    const char *text, int flags)
{
	char	*copy, *p, *spec, *cause;
	int	 n = 0;

	copy = p = xstrdup(text);
	while ((spec = strsep(&p, " \t")) != NULL) {
		if (*spec == '\0')
			continue;
		n++;
		if (target_set_add(set, spec, NULL, &cause) == 0)
			continue;
		if (!(flags & TUI_ESTIMATE_RESOLVE) &&
		    tui_estimate_is_name(spec)) {
			free(cause);
			e->names++;
			continue;
		}
		e->error[FIELD_TARGETS] = cause;
		free(copy);
		return;
	}
	free(copy);
	if (n == 0)
		e->error[FIELD_TARGETS] = xstrdup("no targets");
	else if (target_set_finish(set, &cause) != 0)
		e->error[FIELD_TARGETS] = cause;
}

/* The field's ports, as -p; empty: the profile's, chosen by libtact. */
static void
tui_estimate_ports(struct tui_estimate *e, struct scan_def *def,
    const char *text)
{
	if (*text == '\0')
		return;
	if (port_spec_parse(&def->ports, text, def->protos,
	    &e->error[FIELD_PORTS]) == 0)
		def->ports_given = true;
}

static struct scope *
tui_estimate_scope(struct tui_estimate *e, const char *path)
{
	if (*path == '\0')
		return (NULL);
	return (scope_load(path, &e->error[FIELD_SCOPE]));
}

/* The estimate's verdict in the builder's terms, and the fields' errors. */
static void
tui_estimate_verdict(struct tui_estimate *e, const struct scope *scope,
    const char *purpose)
{
	const struct estimate	*est = &e->est;
	size_t			 i;

	for (i = 0; i < est->nwarn; i++) {
		if (est->warn[i].code == ESTIMATE_WARN_HOSTS &&
		    e->error[FIELD_TARGETS] == NULL)
			e->error[FIELD_TARGETS] = xstrdup(est->warn[i].text);
		if (est->warn[i].code == ESTIMATE_WARN_PORTS &&
		    e->error[FIELD_PORTS] == NULL)
			e->error[FIELD_PORTS] = xstrdup(est->warn[i].text);
	}
	switch (est->verdict) {
	case SCOPE_OK:
		e->verdict = VERDICT_OK;
		if (e->names != 0)
			xasprintf(&e->verdict_text, "checked at Start, when "
			    "%zu hostname%s %s looked up", e->names,
			    e->names == 1 ? "" : "s",
			    e->names == 1 ? "is" : "are");
		else if (scope != NULL)
			xasprintf(&e->verdict_text, "in scope %s",
			    scope->reference != NULL ? scope->reference :
			    scope->path);
		else
			e->verdict_text = xstrdup("loopback: always in scope");
		break;
	case SCOPE_NEED_PERMISSION:
		if (*purpose == '\0') {
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
		xasprintf(&e->verdict_text, "refused: %s", est->reason);
		break;
	}
}

/*
 * Estimate the scan the fields describe with profile p. flags:
 * TUI_ESTIMATE_RAW when raw sockets are allowed (privs_raw_allowed(),
 * asked once by the caller), TUI_ESTIMATE_RESOLVE to look hostnames up.
 */
void
tui_estimate(struct tui_estimate *e, const struct profile *p,
    char *const *f, int flags)
{
	struct scan_def		 def;
	struct scope_policy	 pol;
	struct estimate_input	 in;
	struct scope		*scope;
	char			*cause;
	size_t			 i;

	tui_estimate_clear(e);
	if (p == NULL) {
		e->error[FIELD_PROFILE] = xstrdup("no profile");
		return;
	}
	memset(&def, 0, sizeof def);
	def.protos = PORT_TCP;
	def.shard_count = 1;
	def.targets = target_set_create((flags & TUI_ESTIMATE_RESOLVE) ? 0 :
	    TARGET_NO_DNS);
	tui_estimate_targets(e, def.targets, f[FIELD_TARGETS], flags);
	tui_estimate_ports(e, &def, f[FIELD_PORTS]);
	scope = tui_estimate_scope(e, f[FIELD_SCOPE]);
	for (i = 0; i < FIELD_MAX; i++) {
		if (e->error[i] != NULL)
			break;
	}
	if (i != FIELD_MAX) {
		e->verdict = VERDICT_REFUSED;
		e->verdict_text = xstrdup("fix the marked field");
		goto out;
	}

	memset(&pol, 0, sizeof pol);
	pol.profile = p;
	pol.scope = scope;
	pol.purpose = *f[FIELD_PURPOSE] != '\0' ? f[FIELD_PURPOSE] : NULL;
	pol.now = time(NULL);
	memset(&in, 0, sizeof in);
	in.def = &def;
	in.policy = &pol;
	in.raw_allowed = (flags & TUI_ESTIMATE_RAW) != 0;
	if (estimate_compute(&e->est, &in, &cause) != 0) {
		e->error[FIELD_PROFILE] = cause;
		e->verdict = VERDICT_REFUSED;
		e->verdict_text = xstrdup("fix the marked field");
		goto out;
	}
	e->valid = true;
	tui_estimate_verdict(e, scope, f[FIELD_PURPOSE]);
out:
	scope_free(scope);
	target_set_free(def.targets);
	port_list_free(&def.ports);
}
