/*
 * What every command shares. The environment is read here, so that
 * libtact never does: the profile search path ($XDG_CONFIG_HOME/tact/
 * profiles or ~/.config, $TACT_DATADIR/profiles when set, then the
 * installed profiles), the scope file ($XDG_CONFIG_HOME/tact/scope.yaml)
 * and the ledger ($XDG_STATE_HOME/tact/ledger, or ~/.local/state), the
 * scan directories (or --state-dir's), the shard index of --shard auto/n
 * (from the job engine); --datadir DIR puts DIR/profiles first and takes
 * DIR/nmap-services for -F and --top-ports. Also the one-line error, the
 * plan of a scan (its
 * profile and scope file each loaded once, whatever the command does
 * with it) and the gate before its first packet, with the exit status
 * of each verdict.
 */
#include <sys/stat.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "estimate.h"
#include "output-escape.h"
#include "profile.h"
#include "scan-dir.h"
#include "scan-opts.h"
#include "privs.h"
#include "scope.h"
#include "strnum.h"
#include "tact.h"
#include "xmalloc.h"

/* The exit status of each verdict. */
static const int cmd_verdict_exits[] = {
	[SCOPE_OK] = TACT_EXIT_OK,
	[SCOPE_REFUSED] = TACT_EXIT_POLICY,
	[SCOPE_NEED_PERMISSION] = TACT_EXIT_POLICY,
	[SCOPE_BAD_INPUT] = TACT_EXIT_INPUT,
	[SCOPE_FAILED] = TACT_EXIT_RUNTIME,
};

static char	*cmd_xdg(const char *, const char *, const char *);
static struct profile *cmd_profile_load_in(const char *, const char *,
		    char **);

/*
 * Where --shard auto/n finds its index: a Kubernetes Indexed Job's
 * (0-based), else a Slurm job array's, counted from the array's first.
 */
static const struct {
	const char	*var;
	const char	*base;		/* the first index's variable, or NULL */
} cmd_shard_vars[] = {
	{ "JOB_COMPLETION_INDEX", NULL },
	{ "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN" },
};

/* The most characters of a message cmd_error() prints. */
#define CMD_ERROR_MAX	400

/*
 * Print "tact: command: message" as one line on stderr. A message quotes
 * what came from a file, an argument, a journal or the network, so it is
 * escaped as text (no control character reaches the terminal, and no
 * newline splits the line) and cut to its first and last
 * CMD_ERROR_MAX / 2 characters, which keep the file, line and field at
 * its start and the reason at its end.
 */
void
cmd_error(const char *cmd, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg, *e;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	e = output_escape_cut(msg, strlen(msg), CMD_ERROR_MAX);
	fprintf(stderr, "tact: ");
	if (cmd != NULL)
		fprintf(stderr, "%s: ", cmd);
	fprintf(stderr, "%s\n", e);
	free(e);
	free(msg);
}

/*
 * $var/tail, or $HOME/dflt/tail; NULL when neither is set (or $HOME is
 * not a directory: nothing is made in a home that is not there).
 */
static char *
cmd_xdg(const char *var, const char *dflt, const char *tail)
{
	struct stat	 sb;
	const char	*v, *home;
	char		*path;

	if ((v = getenv(var)) != NULL && v[0] == '/')
		xasprintf(&path, "%s/%s", v, tail);
	else if ((home = getenv("HOME")) != NULL && home[0] == '/' &&
	    stat(home, &sb) == 0 && S_ISDIR(sb.st_mode))
		xasprintf(&path, "%s/%s/%s", home, dflt, tail);
	else
		path = NULL;
	return (path);
}

char **
cmd_profile_dirs(void)
{
	char		**dirs;
	const char	 *data;
	size_t		  n = 0;

	dirs = xcalloc(4, sizeof *dirs);
	if ((dirs[n] = cmd_xdg("XDG_CONFIG_HOME", ".config",
	    "tact/profiles")) != NULL)
		n++;
	if ((data = getenv("TACT_DATADIR")) != NULL && data[0] != '\0')
		xasprintf(&dirs[n++], "%s/profiles", data);
	dirs[n++] = xstrdup(TACT_PKGDATADIR "/profiles");
	return (dirs);
}

void
cmd_profile_dirs_free(char **dirs)
{
	size_t	i;

	for (i = 0; dirs[i] != NULL; i++)
		free(dirs[i]);
	free(dirs);
}

struct profile *
cmd_profile_load(const char *spec, char **cause)
{
	return (cmd_profile_load_in(spec, NULL, cause));
}

/* Load a profile, looking in datadir/profiles first (--datadir). */
static struct profile *
cmd_profile_load_in(const char *spec, const char *datadir, char **cause)
{
	struct profile	*p;
	char		**dirs;
	size_t		  n;

	dirs = cmd_profile_dirs();
	if (datadir != NULL) {
		for (n = 0; dirs[n] != NULL; n++)
			;
		dirs = xreallocarray(dirs, n + 2, sizeof *dirs);
		memmove(dirs + 1, dirs, (n + 1) * sizeof *dirs);
		xasprintf(&dirs[0], "%s/profiles", datadir);
	}
	p = profile_load(spec != NULL ? spec : PROFILE_DEFAULT,
	    (const char *const *)dirs, cause);
	cmd_profile_dirs_free(dirs);
	return (p);
}

char *
cmd_scope_path(const char *given)
{
	char	*path;

	if (given != NULL)
		return (xstrdup(given));
	path = cmd_xdg("XDG_CONFIG_HOME", ".config", "tact/scope.yaml");
	if (path != NULL && access(path, F_OK) != 0) {
		free(path);
		path = NULL;
	}
	return (path);
}

char *
cmd_ledger_path(void)
{
	return (cmd_xdg("XDG_STATE_HOME", ".local/state", "tact/ledger"));
}

int
cmd_scan_dir_base(struct scan_dir_base *b, const char *dir, char **cause)
{
	if (dir != NULL)
		return (scan_dir_base_at(b, dir, getenv("XDG_RUNTIME_DIR"),
		    getuid(), cause));
	return (scan_dir_base_init(b, getenv("XDG_STATE_HOME"),
	    getenv("XDG_RUNTIME_DIR"), getenv("HOME"), getuid(), cause));
}

int
cmd_shard_auto(struct scan_opts *o, char **cause)
{
	const char	*v, *b, *name;
	char		*why;
	uint64_t	 i, base = 0;
	size_t		 k;

	for (k = 0; k < sizeof cmd_shard_vars / sizeof cmd_shard_vars[0];
	    k++) {
		if ((v = getenv(cmd_shard_vars[k].var)) == NULL)
			continue;
		name = cmd_shard_vars[k].base;
		if (name != NULL && (b = getenv(name)) != NULL &&
		    strnum_u64(b, 0, UINT32_MAX, &base, &why) != 0)
			goto bad;
		name = cmd_shard_vars[k].var;
		if (strnum_u64(v, base, base + o->shard_count - 1, &i,
		    &why) != 0)
			goto bad;
		o->shard_index = (uint32_t)(i - base + 1);
		return (0);

	bad:
		xasprintf(cause, "--shard auto/%u: %s: %s", o->shard_count,
		    name, why);
		free(why);
		return (-1);
	}
	xasprintf(cause, "--shard auto/%u: neither JOB_COMPLETION_INDEX "
	    "(Kubernetes) nor SLURM_ARRAY_TASK_ID (Slurm) is set",
	    o->shard_count);
	return (-1);
}

int
cmd_verdict_exit(enum scope_verdict v)
{
	return (cmd_verdict_exits[v]);
}

char *
cmd_verdict_why(enum scope_verdict v, const char *reason)
{
	char	*why;

	if (v == SCOPE_NEED_PERMISSION)
		xasprintf(&why, "%s (give --scope file, or --purpose text and "
		    "--i-have-permission)", reason);
	else
		why = xstrdup(reason);
	return (why);
}

int
cmd_plan_create(struct cmd_plan *c, const struct scan_opts *o,
    const struct scan_def *def, char **cause)
{
	struct scan_plan_input	 in;
	char			*path, *services = NULL;
	int			 rc;

	memset(c, 0, sizeof *c);
	if ((c->profile = cmd_profile_load_in(o->profile, o->datadir,
	    cause)) == NULL)
		return (TACT_EXIT_INPUT);
	if ((path = cmd_scope_path(o->scope)) != NULL) {
		c->scope = scope_load(path, cause);
		free(path);
		if (c->scope == NULL)
			return (TACT_EXIT_INPUT);
	}
	c->ledger = cmd_ledger_path();

	memset(&in, 0, sizeof in);
	in.opts = o;
	in.def = def;
	in.profile = c->profile;
	in.scope = c->scope;
	in.ledger = c->ledger;
	in.raw_allowed = privs_raw_allowed();
	in.now = time(NULL);
	if (o->datadir != NULL) {
		xasprintf(&services, "%s/nmap-services", o->datadir);
		in.services = services;
	}
	rc = scan_plan_create(&c->plan, &in, cause);
	free(services);
	if (rc != 0)
		return (TACT_EXIT_INPUT);
	c->made = true;
	return (TACT_EXIT_OK);
}

void
cmd_plan_free(struct cmd_plan *c)
{
	if (c->made)
		scan_plan_free(&c->plan);
	if (c->profile != NULL)
		profile_free(c->profile);
	scope_free(c->scope);
	free(c->ledger);
	memset(c, 0, sizeof *c);
}

int
cmd_plan_gate(const struct cmd_plan *c, bool charge, char **cause)
{
	enum scope_verdict	 v;
	char			*why = NULL;

	v = estimate_enforce(&c->plan, charge, &why);
	if (v == SCOPE_OK)
		return (TACT_EXIT_OK);
	*cause = cmd_verdict_why(v, why);
	free(why);
	return (cmd_verdict_exit(v));
}
