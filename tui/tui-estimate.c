/*
 * The scan builder's estimate. The fields become the arguments of the
 * `tact scan` that Start runs (tui_estimate_argv()), and those go
 * through the same option parser, definition and plan (scan-plan.c) as
 * on the command line; libtact's estimate_compute() does the counting,
 * the time bounds, the profile's limits, the scope and the warnings, as
 * for `tact estimate`. What is left here is the builder's view of it:
 * which field each problem belongs to and the verdict in the builder's
 * terms. It runs on every key press, so while the user types no
 * hostname is looked up (they are left out and counted, and looked up
 * when the scan is started) and no ledger is read.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "profile.h"
#include "scan-def.h"
#include "scan-opts.h"
#include "scan-plan.h"
#include "scope.h"
#include "tui.h"
#include "xmalloc.h"

/* Which field a problem of the definition or plan belongs to. */
static const struct {
	const char	*prefix;
	enum tui_field	 field;
	bool		 strip;		/* the field names it already */
} tui_estimate_fields[] = {
	{ "ports: ", FIELD_PORTS, true },
	{ "targets: ", FIELD_TARGETS, true },
	{ "profile ", FIELD_PROFILE, false },
};

static bool	tui_estimate_is_name(const char *);
static void	tui_estimate_error(struct tui_estimate *, char *);
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

char **
tui_estimate_argv(const char *profile, char *const *f, int flags,
    bool permission, size_t *names, char **copy)
{
	char	**argv, *p, *spec;
	int	  n = 0;

	argv = xcalloc(strlen(f[FIELD_TARGETS]) + 16, sizeof *argv);
	argv[n++] = (char *)"scan";
	argv[n++] = (char *)"--detach";
	if (profile != NULL) {
		argv[n++] = (char *)"--profile";
		argv[n++] = (char *)profile;
	}
	if (*f[FIELD_PORTS] != '\0') {
		argv[n++] = (char *)"-p";
		argv[n++] = f[FIELD_PORTS];
	}
	if (*f[FIELD_SCOPE] != '\0') {
		argv[n++] = (char *)"--scope";
		argv[n++] = f[FIELD_SCOPE];
	}
	if (*f[FIELD_PURPOSE] != '\0') {
		argv[n++] = (char *)"--purpose";
		argv[n++] = f[FIELD_PURPOSE];
	}
	if (permission)
		argv[n++] = (char *)"--i-have-permission";
	argv[n++] = (char *)"--";
	*names = 0;
	*copy = p = xstrdup(f[FIELD_TARGETS]);
	while ((spec = strsep(&p, " \t")) != NULL) {
		if (*spec == '\0')
			continue;
		if (!(flags & TUI_ESTIMATE_RESOLVE) &&
		    tui_estimate_is_name(spec))
			(*names)++;
		else
			argv[n++] = spec;
	}
	argv[n] = NULL;
	return (argv);
}

/* Put a problem (taken) beside its field. */
static void
tui_estimate_error(struct tui_estimate *e, char *cause)
{
	enum tui_field	 field = FIELD_TARGETS;
	size_t		 i, len;
	char		*text = cause;

	for (i = 0; i < sizeof tui_estimate_fields /
	    sizeof tui_estimate_fields[0]; i++) {
		len = strlen(tui_estimate_fields[i].prefix);
		if (strncmp(cause, tui_estimate_fields[i].prefix, len) != 0)
			continue;
		field = tui_estimate_fields[i].field;
		if (tui_estimate_fields[i].strip)
			text = xstrdup(cause + len);
		break;
	}
	if (text != cause)
		free(cause);
	e->error[field] = text;
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
 * Estimate the scan the fields describe with the profile spec names, p
 * (loaded by the caller). flags: TUI_ESTIMATE_RAW when raw sockets are
 * allowed (privs_raw_allowed(), asked once by the caller),
 * TUI_ESTIMATE_RESOLVE to look hostnames up.
 */
void
tui_estimate(struct tui_estimate *e, const char *spec,
    const struct profile *p, char *const *f, int flags)
{
	struct scan_opts	 o;
	struct scan_def		*def = NULL;
	struct scan_plan_input	 in;
	struct scan_plan	 plan;
	struct scope		*scope;
	char			**argv, *copy, *cause;
	int			  argc;
	bool			  parsed = false, planned = false;

	tui_estimate_clear(e);
	if (p == NULL) {
		e->error[FIELD_PROFILE] = xstrdup("no profile");
		return;
	}
	argv = tui_estimate_argv(spec, f, flags, false, &e->names, &copy);
	for (argc = 0; argv[argc] != NULL; argc++)
		;
	scope = tui_estimate_scope(e, f[FIELD_SCOPE]);
	if (e->error[FIELD_SCOPE] != NULL)
		goto refused;
	if (strcmp(argv[argc - 1], "--") == 0 && e->names != 0) {
		/* Only hostnames: nothing to count until Start. */
		e->verdict = VERDICT_OK;
		xasprintf(&e->verdict_text, "checked at Start, when %zu "
		    "hostname%s %s looked up", e->names, e->names == 1 ? "" :
		    "s", e->names == 1 ? "is" : "are");
		goto out;
	}
	if (scan_opts_parse(&o, argc, argv, &cause) != 0) {
		tui_estimate_error(e, cause);
		goto refused;
	}
	parsed = true;
	o.no_dns = !(flags & TUI_ESTIMATE_RESOLVE);
	if ((def = scan_def_create(&o, &cause)) == NULL) {
		tui_estimate_error(e, cause);
		goto refused;
	}

	memset(&in, 0, sizeof in);
	in.opts = &o;
	in.def = def;
	in.profile = p;
	in.scope = scope;
	in.raw_allowed = (flags & TUI_ESTIMATE_RAW) != 0;
	in.now = time(NULL);
	if (scan_plan_create(&plan, &in, &cause) != 0) {
		tui_estimate_error(e, cause);
		goto refused;
	}
	planned = true;
	estimate_compute(&e->est, &plan);
	e->valid = true;
	tui_estimate_verdict(e, scope, f[FIELD_PURPOSE]);
	goto out;

refused:
	e->verdict = VERDICT_REFUSED;
	e->verdict_text = xstrdup("fix the marked field");
out:
	if (planned)
		scan_plan_free(&plan);
	scan_def_free(def);
	if (parsed)
		scan_opts_free(&o);
	scope_free(scope);
	free(argv);
	free(copy);
}
