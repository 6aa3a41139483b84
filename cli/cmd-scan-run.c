/*
 * Run a scan from `tact scan` or `tact resume`, as its plan says: pass
 * the gate, open the outputs and the engine while privileged, drop
 * privileges, run, then write the outputs from the results store: the
 * normal report on stdout, unless an output goes there (-oX - and the
 * like), which is then all stdout gets. A one-line status goes to
 * stderr while it runs, when stderr is a terminal.
 */
#include <sys/signalfd.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "event.h"
#include "output-escape.h"
#include "output.h"
#include "privs.h"
#include "profile.h"
#include "results.h"
#include "scan-control.h"
#include "scan-def.h"
#include "scan-dir.h"
#include "scan-opts.h"
#include "scan-plan.h"
#include "scan.h"
#include "tact.h"
#include "xmalloc.h"

/*
 * The scan-start strings: the command line, args, profile, technique,
 * purpose, the plan's and its three caps.
 */
#define RUN_STRINGS_MAX	(8 + SCAN_PLAN_STRINGS_MAX)
/* What an argument may hold to be shown without quotes. */
#define RUN_ARGS_PLAIN	"ABCDEFGHIJKLMNOPQRSTUVWXYZ" \
			"abcdefghijklmnopqrstuvwxyz0123456789@%+=:,./_-"
/* The most characters of a warning -v shows. */
#define RUN_WARNING_MAX	400

struct run {
	struct scan_def		*def;
	struct cmd_plan		*c;
	struct results		*results;
	struct event_stream	*es;
	struct scan		*scan;
	struct scan_control	 ctl;		/* the control socket's */
	struct output_files	*out;
	int			 out_flags;	/* OUTPUT_OPEN, OUTPUT_APPEND */
	bool			 out_stdout;	/* an output is "-" */
	char			*strings[RUN_STRINGS_MAX];
	size_t			 nstrings;
	int			 sigfd;
	bool			 status;	/* a live line on stderr */
	int			 verbose;	/* -v given this often */
	uint64_t		 start_ns;	/* of the scan-start record */
	uint64_t		 stats_ns;	/* --stats-every; 0: never */
	uint64_t		 stats_last;	/* mono_ns of the last one */

	/* The scan's directory: journal, ring, control socket. */
	struct scan_dir_base	 base;
	struct scan_dir		*dir;
	bool			 resumed;
	bool			 started;	/* scan_run reached */
	bool			 parent;	/* of a detached engine */
	char			**more;		/* arg=, targets= */
	size_t			 nmore;
	const char		**all;		/* every string recorded */
	int			 ready;		/* detached: the parent */
	int			 err;		/* detached: stderr, till ready */
};

static int	run_outputs(struct run *, const struct scan_opts *, char **);
static char	*run_args(void);
static char	*run_quote(const char *);
static void	run_status(void *, const struct event_header *, const void *);
static void	run_verbose(void *, const struct event_header *, const void *);
static void	run_trace(void *, const struct scan_trace *);
static int	run_write(struct run *, char **);
static void	run_free(struct run *);
static int	run_gate(struct run *, char **);
static void	run_more(struct run *, char *);
static int	run_strings(struct run *, const struct scan_opts *,
		    struct scan_config *, char **);
static int	run_detach(struct run *, const struct scan_opts *, int *,
		    char **);
static int	run_dir(struct run *, const struct scan_opts *,
		    struct scan_config *, int *, char **);
static int	run_privs(struct run *, char **);
static void	run_ready(struct run *, const struct scan_opts *);
static int	run_finish(struct run *, int *, char **);
static void	run_dir_free(struct run *);

/* Open the output files now, while we may still write anywhere. */
static int
run_outputs(struct run *r, const struct scan_opts *o, char **cause)
{
	int	i;

	r->out_flags = (o->open_only ? OUTPUT_OPEN : 0) |
	    (o->append ? OUTPUT_APPEND : 0);
	for (i = 0; i < SCAN_OUTPUT_MAX; i++) {
		if (o->output[i] != NULL && strcmp(o->output[i], "-") == 0)
			r->out_stdout = true;
	}
	if ((r->out = output_files_open(o->output, cause)) == NULL)
		return (-1);
	output_files_flags(r->out, r->out_flags);
	return (0);
}

/*
 * The command line, as the outputs' first line shows it: the program's
 * name and every argument whole, as a shell would take it back (one
 * that is empty or holds a space or a quote in single quotes).
 */
static char *
run_args(void)
{
	FILE	*f;
	char	*line = NULL, *arg = NULL, *s, *q;
	size_t	 size = 0, len = 0, i;
	ssize_t	 n;

	if ((f = fopen("/proc/self/cmdline", "re")) == NULL)
		return (xstrdup("tact scan"));
	while ((n = getdelim(&arg, &size, '\0', f)) > 0) {
		if (line == NULL) {
			s = strrchr(arg, '/');
			xasprintf(&line, "%s", s != NULL ? s + 1 : arg);
			continue;
		}
		len = strlen(arg);
		for (i = 0; i < len; i++)
			if (strchr(RUN_ARGS_PLAIN, arg[i]) == NULL)
				break;
		if (len != 0 && i == len)
			xasprintf(&s, "%s %s", line, arg);
		else {
			q = run_quote(arg);
			xasprintf(&s, "%s %s", line, q);
			free(q);
		}
		free(line);
		line = s;
	}
	free(arg);
	fclose(f);
	return (line != NULL ? line : xstrdup("tact scan"));
}

/* s in single quotes, each quote in it as '\''. */
static char *
run_quote(const char *s)
{
	char	*q, *p;

	p = q = xmalloc(strlen(s) * 4 + 3);
	*p++ = '\'';
	for (; *s != '\0'; s++) {
		if (*s == '\'') {
			memcpy(p, "'\\''", 4);
			p += 4;
		} else
			*p++ = *s;
	}
	*p++ = '\'';
	*p = '\0';
	return (q);
}

/* The live line on stderr, from the progress records. */
static void
run_status(void *arg, const struct event_header *h, const void *payload)
{
	const struct event_progress	*p = payload;
	char				 eta[32];

	if (h->type != EVENT_PROGRESS || h->len < sizeof *p)
		return;
	if (p->eta_ms == UINT32_MAX)
		snprintf(eta, sizeof eta, "?");
	else
		snprintf(eta, sizeof eta, "%us", (p->eta_ms + 999) / 1000);
	fprintf(stderr, "\r\033[K%llu%% %llu/%llu pairs, %llu probes, "
	    "%llu open, %.1f/s, eta %s",
	    (unsigned long long)(p->pairs_total == 0 ? 100 :
	    p->pairs_done * 100 / p->pairs_total),
	    (unsigned long long)p->pairs_done,
	    (unsigned long long)p->pairs_total,
	    (unsigned long long)p->probes_sent,
	    (unsigned long long)p->open_ports, p->rate_milli / 1000.0, eta);
}

/* --packet-trace: a line on stderr for each probe and each answer. */
static void
run_trace(void *arg, const struct scan_trace *t)
{
	struct run	*r = arg;
	char		 addr[64];
	const char	*clear = r->status ? "\r\033[K" : "";

	target_addr_str(&t->addr, addr, sizeof addr);
	if (t->sent)
		fprintf(stderr, "%stact: trace: SENT %s to %s", clear,
		    t->probe, addr);
	else
		fprintf(stderr, "%stact: trace: RCVD %s from %s", clear,
		    t->probe, addr);
	if (t->port != 0)
		fprintf(stderr, " port %u/%s", t->port,
		    t->proto == PORT_UDP ? "udp" : "tcp");
	fprintf(stderr, " try %u", t->try + 1);
	if (!t->sent)
		fprintf(stderr, ": %s%s(%s)", t->state != 0 ?
		    event_port_state_name(t->state) : t->host_up ? "host up" :
		    "no answer", " ", event_reason_name(t->reason));
	fprintf(stderr, "\n");
}

/*
 * -v: hosts up, down or silent, open ports and warnings as they come;
 * -vv: a progress line each second too, and --stats-every one at that
 * interval.
 */
static void
run_verbose(void *arg, const struct event_header *h, const void *payload)
{
	const struct event_host		*eh = payload;
	const struct event_port		*ep = payload;
	const struct event_warning	*ew = payload;
	const struct event_progress	*pr = payload;
	struct run			*r = arg;
	char				 addr[64], *text;
	const char			*clear = r->status ? "\r\033[K" : "";

	switch (h->type) {
	case EVENT_SCAN_START:
		r->start_ns = r->stats_last = h->mono_ns;
		break;
	case EVENT_HOST_STATE:
		if (h->len < sizeof *eh || eh->state == EVENT_HOST_DONE ||
		    r->verbose == 0)
			break;
		fprintf(stderr, "%stact: scan: %s is %s (%s)\n", clear,
		    target_addr_str(&eh->addr, addr, sizeof addr),
		    event_host_state_name(eh->state),
		    event_reason_name(eh->reason));
		break;
	case EVENT_PORT_STATE:
		if (h->len < sizeof *ep || ep->state != EVENT_PORT_OPEN ||
		    r->verbose == 0)
			break;
		fprintf(stderr, "%stact: scan: open port %u/%s on %s\n",
		    clear, ep->port, ep->proto == PORT_UDP ? "udp" : "tcp",
		    target_addr_str(&ep->addr, addr, sizeof addr));
		break;
	case EVENT_PROGRESS:
		if (h->len < sizeof *pr || (r->verbose < 2 &&
		    (r->stats_ns == 0 || h->mono_ns - r->stats_last <
		    r->stats_ns)))
			break;
		r->stats_last = h->mono_ns;
		fprintf(stderr, "%stact: scan: at %.1fs: %llu/%llu pairs, "
		    "%llu probes, eta ", clear,
		    (double)(h->mono_ns - r->start_ns) / 1e9,
		    (unsigned long long)pr->pairs_done,
		    (unsigned long long)pr->pairs_total,
		    (unsigned long long)pr->probes_sent);
		if (pr->eta_ms == UINT32_MAX)
			fprintf(stderr, "unknown\n");
		else
			fprintf(stderr, "%.1fs\n", pr->eta_ms / 1000.0);
		break;
	case EVENT_WARNING:
		if (h->len < sizeof *ew || ew->len > h->len - sizeof *ew ||
		    r->verbose == 0)
			break;
		text = output_escape_cut(ew + 1, ew->len, RUN_WARNING_MAX);
		fprintf(stderr, "%stact: scan: warning: %s\n", clear, text);
		free(text);
		break;
	}
}

static int
run_write(struct run *r, char **cause)
{
	if (!r->out_stdout && output_write_flags(&output_normal, stdout,
	    r->results, r->out_flags & OUTPUT_OPEN, cause) != 0)
		return (-1);
	return (output_files_write(r->out, r->results, cause));
}

static void
run_free(struct run *r)
{
	size_t	i;

	scan_free(r->scan);
	run_dir_free(r);
	event_stream_free(r->es);
	results_free(r->results);
	output_files_free(r->out);
	for (i = 0; i < r->nstrings; i++)
		free(r->strings[i]);
	cmd_plan_free(r->c);
	scan_def_free(r->def);
	if (r->sigfd != -1)
		close(r->sigfd);
}

/*
 * The gate before the first packet. A resumed scan passed it when it
 * started: the policy (scope, permission, profile) is checked again, the
 * ledger is not charged again.
 */
static int
run_gate(struct run *r, char **cause)
{
	return (cmd_plan_gate(r->c, !r->resumed, cause));
}

/* Add a string (allocated, taken over) to the scan-start record. */
static void
run_more(struct run *r, char *s)
{
	r->more = xreallocarray(r->more, r->nmore + 1, sizeof *r->more);
	r->more[r->nmore++] = s;
}

/*
 * The scan-start record's strings: those above, the targets as given
 * (for `tact list`), and what `tact resume` needs to build the same scan
 * again: every argument (arg=, one each), exactly but for a relative
 * path an option names, which is made absolute, since a resumed scan
 * takes no directory from its journal.
 */
static int
run_strings(struct run *r, const struct scan_opts *o, struct scan_config *cfg,
    char **cause)
{
	FILE		 *f;
	char		 *arg = NULL, *cwd, *t, *s, **args = NULL, **abs;
	const char	 *why;
	size_t		  size = 0, i;
	int		  n;

	t = xstrdup("targets=");
	for (n = 0; n < o->ntargets; n++) {
		xasprintf(&s, "%s%s%s", t, n == 0 ? "" : " ", o->targets[n]);
		free(t);
		t = s;
	}
	if (o->input_file != NULL) {
		xasprintf(&s, "%s%s-iL %s", t, o->ntargets == 0 ? "" : " ",
		    o->input_file);
		free(t);
		t = s;
	}
	if (o->random_targets != 0) {
		xasprintf(&s, "%s%s-iR %llu", t, strlen(t) == 8 ? "" : " ",
		    (unsigned long long)o->random_targets);
		free(t);
		t = s;
	}
	run_more(r, t);

	if ((f = fopen("/proc/self/cmdline", "re")) == NULL) {
		xasprintf(cause, "/proc/self/cmdline: %s", strerror(errno));
		return (-1);
	}
	for (n = 0; getdelim(&arg, &size, '\0', f) > 0; n++) {
		if (n < 1)	/* "tact" */
			continue;
		args = xreallocarray(args, (size_t)n + 1, sizeof *args);
		args[n - 1] = xstrdup(arg);
		args[n] = NULL;
	}
	free(arg);
	fclose(f);
	cwd = getcwd(NULL, 0);
	why = cwd == NULL ? strerror(errno) : NULL;
	abs = scan_opts_absolute(n > 0 ? n - 1 : 0, args, cwd, &s);
	free(cwd);
	for (i = 0; args != NULL && args[i] != NULL; i++)
		free(args[i]);
	free(args);
	if (abs == NULL) {
		xasprintf(cause, "%s, and the working directory: %s", s, why);
		free(s);
		return (-1);
	}
	for (i = 1; abs[0] != NULL && abs[i] != NULL; i++) {
		xasprintf(&s, "arg=%s", abs[i]);
		run_more(r, s);
	}
	scan_opts_absolute_free(abs);

	r->all = xreallocarray(NULL, r->nstrings - 1 + r->nmore,
	    sizeof *r->all);
	for (i = 1; i < r->nstrings; i++)
		r->all[i - 1] = r->strings[i];
	for (i = 0; i < r->nmore; i++)
		r->all[r->nstrings - 1 + i] = r->more[i];
	cfg->strings = r->all;
	cfg->nstrings = r->nstrings - 1 + r->nmore;
	return (0);
}

/*
 * --detach: the outputs are opened again by the engine, after the fork,
 * so that the parent's leaving does not discard them. Until the engine
 * runs, it keeps the terminal as stderr to say why it could not start.
 * 0 in the engine, 1 in the parent with *rc its exit status.
 */
static int
run_detach(struct run *r, const struct scan_opts *o, int *rc, char **cause)
{
	int	ret, null;

	output_files_free(r->out);
	r->out = NULL;
	if ((r->err = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3)) == -1) {
		xasprintf(cause, "stderr: %s", strerror(errno));
		return (-1);
	}
	if ((ret = cmd_detach(r->dir->id, &r->ready, cause)) == -1)
		return (-1);
	if (ret >= 0) {
		r->parent = true;
		*rc = ret;
		return (1);
	}
	if ((null = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3)) == -1 ||
	    dup2(r->err, STDERR_FILENO) == -1) {
		xasprintf(cause, "stderr: %s", strerror(errno));
		return (-1);
	}
	close(r->err);
	r->err = null;
	return (run_outputs(r, o, cause));
}

/*
 * The scan's directory: a new one (or the resumed scan's), detaching if
 * asked, then the engine's side of it: lock, journal, ring and control
 * socket, made while still privileged. 0 to go on; 1 in the parent of a
 * detached scan, with *rc its exit status; -1 and cause.
 */
static int
run_dir(struct run *r, const struct scan_opts *o, struct scan_config *cfg,
    int *rc, char **cause)
{
	uint64_t	seq;
	int		ret;

	if (cmd_scan_dir_base(&r->base, o->state_dir, cause) != 0) {
		*rc = TACT_EXIT_INPUT;
		return (-1);
	}
	scan_dir_sweep(&r->base);
	if (r->dir == NULL && (r->dir = scan_dir_create(&r->base,
	    cause)) == NULL)
		return (-1);
	if (o->detach && (ret = run_detach(r, o, rc, cause)) != 0)
		return (ret);
	if (scan_dir_start(r->dir, r->es, r->resumed, &seq, cause) != 0)
		return (-1);
	if (r->resumed)
		event_stream_set_seq(r->es, seq);
	cfg->dir = r->dir;
	if (r->dir->control_fd != -1) {
		cfg->watch_fd = r->dir->control_fd;
		r->ctl.es = r->es;
		r->ctl.owner = r->dir->control_uid;
		cfg->watch = scan_control_accept;
		cfg->watch_arg = &r->ctl;
	}
	cfg->resume = r->resumed ? r->results : NULL;
	return (0);
}

/*
 * Everything is open: the control socket hears the user who ran the scan,
 * what the engine must remove when it ends goes to the user it becomes
 * (the output files root made, unless that user is the nobody others
 * share, and its runtime directory), privileges go, and the system call
 * filter comes on for good.
 */
static int
run_privs(struct run *r, char **cause)
{
	uid_t	uid;
	gid_t	gid;
	bool	nobody = false;
	int	ret;

	r->dir->control_uid = privs_invoker(getenv("SUDO_UID"));
	if (getuid() == 0 || geteuid() == 0) {
		if (privs_user(getenv("TACT_USER"), getenv("SUDO_UID"),
		    getenv("SUDO_GID"), &uid, &gid, &nobody, cause) != 0 ||
		    scan_dir_give(r->dir, uid, gid, cause) != 0 ||
		    (!nobody && output_files_give(r->out, uid, gid,
		    cause) != 0))
			return (-1);
	}
	if ((ret = privs_drop(getenv("TACT_USER"), getenv("SUDO_UID"),
	    getenv("SUDO_GID"), cause)) == -1)
		return (-1);
	if (ret == 1)
		fprintf(stderr, "tact: scan: no user \"tact\": running as "
		    "nobody (see tact(1), SECURITY CONSIDERATIONS)\n");
	return (privs_seccomp_enter(cause));
}

/* The engine runs: a detached one lets go of the terminal. */
static void
run_ready(struct run *r, const struct scan_opts *o)
{
	r->started = true;
	if (r->ready != -1) {
		dup2(r->err, STDERR_FILENO);
		close(r->err);
		r->err = -1;
		cmd_detach_ready(r->ready);
		r->ready = -1;
	} else if (isatty(STDERR_FILENO) || o->verbose > 0) {
		fprintf(stderr, "tact: scan %s %s; watch it with: tact attach "
		    "%s\n", r->dir->id, r->resumed ? "resumed" : "started",
		    r->dir->id);
	}
}

/*
 * Close the journal (synced) and the ring. An interrupted scan (Ctrl-C,
 * SIGTERM) has no scan-end record: say how to resume it, return 1 with
 * *rc. 0 to go on, -1 and cause.
 */
static int
run_finish(struct run *r, int *rc, char **cause)
{
	if (scan_dir_finish(r->dir, cause) != 0)
		return (-1);
	if (!scan_interrupted(r->scan))
		return (0);
	cmd_error(NULL, "scan %s interrupted; continue it with: tact resume "
	    "%s", r->dir->id, r->dir->id);
	*rc = TACT_EXIT_INTERRUPTED;
	return (1);
}

/*
 * The directory of a new scan that never reached its first packet holds
 * nothing to keep: remove it (the engine's, not its detached parent's).
 * Other scans keep theirs.
 */
static void
run_dir_free(struct run *r)
{
	size_t	i;

	if (r->dir != NULL && !r->started && !r->resumed && !r->parent)
		scan_dir_remove(r->dir);
	scan_dir_free(r->dir);
	scan_dir_base_free(&r->base);
	for (i = 0; i < r->nmore; i++)
		free(r->more[i]);
	free(r->more);
	free(r->all);
	if (r->ready != -1)
		close(r->ready);
	if (r->err != -1)
		close(r->err);
}

/*
 * A new scan, or (d and resumed given) the rest of an interrupted one.
 * def is o's definition, built once by the caller: reading -iL - twice
 * would find standard input empty the second time.
 */
int
cmd_scan_run(struct scan_opts *o, struct scan_def *def, struct cmd_plan *c,
    struct scan_dir *d, struct results *resumed)
{
	struct run		 r;
	struct scan_config	 cfg;
	const struct scan_plan	*pl = &c->plan;
	sigset_t		 set;
	char			*cause = NULL;
	int			 rc = TACT_EXIT_RUNTIME;

	memset(&r, 0, sizeof r);
	r.sigfd = -1;
	r.ready = r.err = -1;
	r.def = def;
	r.c = c;
	r.dir = d;
	r.results = resumed;
	r.resumed = resumed != NULL;
	if (pl->blocked != NULL) {
		cause = xstrdup(pl->blocked);
		goto out;
	}
	if ((rc = run_gate(&r, &cause)) != TACT_EXIT_OK)
		goto out;
	rc = TACT_EXIT_INPUT;
	if (run_outputs(&r, o, &cause) != 0)
		goto out;
	if (pl->fallback)
		fprintf(stderr, "tact: scan: no raw socket access "
		    "(CAP_NET_RAW): doing a connect scan (-sT) instead\n");

	memset(&cfg, 0, sizeof cfg);
	cfg.plan = pl;
	r.strings[r.nstrings++] = run_args();
	xasprintf(&r.strings[r.nstrings++], "args=%s", r.strings[0]);
	xasprintf(&r.strings[r.nstrings++], "profile=%s", pl->profile->name);
	xasprintf(&r.strings[r.nstrings++], "technique=%s",
	    scan_plan_technique(pl));
	if (o->purpose != NULL)
		xasprintf(&r.strings[r.nstrings++], "purpose=%s", o->purpose);
	r.nstrings += scan_plan_strings(pl, r.strings + r.nstrings);
	/* The caps, for a view to show the rate against (0: none). */
	xasprintf(&r.strings[r.nstrings++], "max_rate=%g", pl->max_rate);
	xasprintf(&r.strings[r.nstrings++], "host_max_rate=%g",
	    pl->host_max_rate);
	xasprintf(&r.strings[r.nstrings++], "group_size=%u", pl->group_size);
	if (run_strings(&r, o, &cfg, &cause) != 0)
		goto out;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	/* -sV writes to services that may hang up first, through TLS too. */
	signal(SIGPIPE, SIG_IGN);
	r.sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	cfg.stop_fd = r.sigfd;

	if (r.results == NULL)
		r.results = results_create();
	r.es = event_stream_create();
	event_stream_add_sink(r.es, results_sink, r.results);
	if (!o->detach && isatty(STDERR_FILENO)) {
		r.status = true;
		event_stream_add_sink(r.es, run_status, NULL);
	}
	r.verbose = o->verbose;
	r.stats_ns = o->stats_every * 1000000;
	if (o->verbose > 0 || o->stats_every > 0)
		event_stream_add_sink(r.es, run_verbose, &r);
	if (o->packet_trace) {
		cfg.trace = run_trace;
		cfg.trace_arg = &r;
	}

	rc = TACT_EXIT_RUNTIME;
	if (run_dir(&r, o, &cfg, &rc, &cause) != 0)
		goto out;
	if ((r.scan = scan_create(&cfg, r.es, &cause)) == NULL)
		goto out;
	if (run_privs(&r, &cause) != 0)
		goto out;
	run_ready(&r, o);
	if (scan_run(r.scan, &cause) != 0)
		goto out;
	if (r.status)
		fprintf(stderr, "\r\033[K");
	if (run_finish(&r, &rc, &cause) != 0)
		goto out;
	if (results_scan(r.results)->status == EVENT_END_STOPPED) {
		xasprintf(&cause, "stopped before the end");
		goto out;
	}
	if (run_write(&r, &cause) != 0)
		goto out;
	rc = TACT_EXIT_OK;

out:
	if (cause != NULL) {
		if (r.status)
			fprintf(stderr, "\r\033[K");
		cmd_error("scan", "%s", cause);
		free(cause);
	}
	run_free(&r);
	return (rc);
}
