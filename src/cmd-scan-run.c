/*
 * Run a scan from `tact scan`: build the definition, load the profile,
 * choose the technique (a connect scan when raw sockets are not allowed),
 * open the outputs and the engine while privileged, drop privileges, run,
 * then write the outputs from the results store. A one-line status goes
 * to stderr while it runs, when stderr is a terminal.
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
#include "output.h"
#include "port-spec.h"
#include "privs.h"
#include "profile.h"
#include "results.h"
#include "scan-def.h"
#include "scan-opts.h"
#include "scan.h"
#include "tact.h"
#include "xmalloc.h"

#define RUN_STRINGS_MAX	8

struct run {
	struct scan_def		*def;
	struct profile		*profile;
	struct port_list	 ports;
	struct results		*results;
	struct event_stream	*es;
	struct scan		*scan;
	struct output_files	*out;
	char			*strings[RUN_STRINGS_MAX];
	size_t			 nstrings;
	int			 sigfd;
	bool			 status;	/* a live line on stderr */
};

static int	run_ports(struct run *, char **);
static int	run_outputs(struct run *, const struct scan_opts *, char **);
static char	*run_args(void);
static void	run_status(void *, const struct event_header *, const void *);
static int	run_write(struct run *, char **);
static void	run_free(struct run *);

/* The ports: -p, -F, --top-ports, else the profile's default. */
static int
run_ports(struct run *r, char **cause)
{
	const struct profile	*p = r->profile;
	char			*c;

	if (r->def->ports_given) {
		r->ports = r->def->ports;
		memset(&r->def->ports, 0, sizeof r->def->ports);
		return (0);
	}
	if (p->ports != NULL && *p->ports != '\0') {
		if (port_spec_parse(&r->ports, p->ports, PORT_TCP, &c) != 0)
			goto fail;
		return (0);
	}
	if (port_spec_top(&r->ports, p->top_ports != 0 ? p->top_ports : 1000,
	    PORT_TCP, NULL, &c) != 0)
		goto fail;
	return (0);
fail:
	xasprintf(cause, "profile %s: ports: %s", p->name, c);
	free(c);
	return (-1);
}

/* Open the output files now, while we may still write anywhere. */
static int
run_outputs(struct run *r, const struct scan_opts *o, char **cause)
{
	r->out = output_files_open(o->output, cause);
	return (r->out == NULL ? -1 : 0);
}

/* The command line, as the outputs' first line shows it. */
static char *
run_args(void)
{
	char	buf[4096], *s;
	ssize_t	n;
	int	fd, i;

	if ((fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC)) == -1)
		return (xstrdup("tact scan"));
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return (xstrdup("tact scan"));
	for (i = 0; i < n - 1; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[n] = '\0';
	s = strrchr(buf, '/');
	if (s != NULL && s < strchr(buf, ' '))
		return (xstrdup(s + 1));
	return (xstrdup(buf));
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

static int
run_write(struct run *r, char **cause)
{
	if (output_write(&output_normal, stdout, r->results, cause) != 0)
		return (-1);
	return (output_files_write(r->out, r->results, cause));
}

static void
run_free(struct run *r)
{
	size_t	i;

	scan_free(r->scan);
	event_stream_free(r->es);
	results_free(r->results);
	output_files_free(r->out);
	for (i = 0; i < r->nstrings; i++)
		free(r->strings[i]);
	port_list_free(&r->ports);
	if (r->profile != NULL)
		profile_free(r->profile);
	if (r->def != NULL)
		scan_def_free(r->def);
	if (r->sigfd != -1)
		close(r->sigfd);
}

int
cmd_scan_run(struct scan_opts *o)
{
	struct run		 r;
	struct scan_config	 cfg;
	sigset_t		 set;
	char			*cause = NULL;
	const char		*kind;
	int			 rc = TACT_EXIT_INPUT;

	memset(&r, 0, sizeof r);
	r.sigfd = -1;
	if ((r.def = scan_def_create(o, &cause)) == NULL)
		goto out;
	if ((r.profile = cmd_profile_load(o->profile, &cause)) == NULL)
		goto out;
	if (r.def->techniques & SCAN_OPTS_UDP) {
		xasprintf(&cause, "-sU: UDP scans are not built yet in this "
		    "version");
		goto out;
	}
	if (!r.def->ping_only && r.profile->scan_type != PROFILE_SCAN_PING &&
	    run_ports(&r, &cause) != 0)
		goto out;
	if ((rc = cmd_estimate_gate(o, r.def, r.profile, &r.ports,
	    &cause)) != TACT_EXIT_OK)
		goto out;
	rc = TACT_EXIT_INPUT;
	if (run_outputs(&r, o, &cause) != 0)
		goto out;

	memset(&cfg, 0, sizeof cfg);
	cfg.profile = r.profile;
	cfg.targets = r.def->targets;
	cfg.ports = &r.ports;
	cfg.ping_only = r.def->ping_only ||
	    (r.def->techniques == 0 && r.profile->scan_type == PROFILE_SCAN_PING);
	cfg.no_ping = o->no_ping;
	if (r.def->techniques != 0)
		cfg.connect = (r.def->techniques & SCAN_OPTS_SYN) == 0;
	else
		cfg.connect = r.profile->scan_type == PROFILE_SCAN_CONNECT;
	if (!cfg.connect && !scan_raw_allowed()) {
		fprintf(stderr, "tact: scan: no raw socket access "
		    "(CAP_NET_RAW): doing a connect scan (-sT) instead\n");
		cfg.connect = true;
	}
	cfg.seed = r.def->seed;
	cfg.shard_index = r.def->shard_index;
	cfg.shard_count = r.def->shard_count;
	cfg.max_rate = o->max_rate;

	kind = cfg.ping_only ? "ping" : cfg.connect ? "connect" : "syn";
	r.strings[r.nstrings++] = run_args();
	xasprintf(&r.strings[r.nstrings++], "args=%s", r.strings[0]);
	xasprintf(&r.strings[r.nstrings++], "profile=%s", r.profile->name);
	xasprintf(&r.strings[r.nstrings++], "technique=%s", kind);
	if (o->purpose != NULL)
		xasprintf(&r.strings[r.nstrings++], "purpose=%s", o->purpose);
	cfg.strings = (const char *const *)r.strings + 1;
	cfg.nstrings = r.nstrings - 1;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	r.sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	cfg.stop_fd = r.sigfd;

	r.results = results_create();
	r.es = event_stream_create();
	event_stream_add_sink(r.es, results_sink, r.results);
	if (isatty(STDERR_FILENO)) {
		r.status = true;
		event_stream_add_sink(r.es, run_status, NULL);
	}

	rc = TACT_EXIT_RUNTIME;
	if ((r.scan = scan_create(&cfg, r.es, &cause)) == NULL)
		goto out;
	if (privs_drop(getenv("TACT_USER"), &cause) != 0)
		goto out;
	if (scan_run(r.scan, &cause) != 0)
		goto out;
	if (r.status)
		fprintf(stderr, "\r\033[K");
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
