/*
 * `tact attach [ID]`: on a terminal, the dashboard on that scan (the same
 * code path as `tact`); otherwise follow it as text through the event
 * follower (src/event-follow.c): what the journal holds first, then the
 * live records from the ring, each once. Without an ID, the most recent
 * running scan. Ctrl-C detaches from it (exit 0): the scan goes on, and
 * 130 would say it had been interrupted: as it does for a scan that ends
 * without a scan-end because its engine is gone (killed, crashed), which
 * is asked whenever nothing came for ATTACH_WAIT_MS.
 */
#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "control.h"
#include "event-follow.h"
#include "journal.h"
#include "port-spec.h"
#include "scan-dir.h"
#include "tact.h"
#include "xmalloc.h"

/* How long to wait for a record before asking whether the engine lives. */
#define ATTACH_WAIT_MS		1000

struct attach {
	struct scan_dir		*d;
	uint64_t		 hosts_up;
	uint64_t		 open_ports;
	int			 ended;
};

static struct scan_dir *attach_find(const struct scan_dir_base *,
		    const char *, char **);
static void	attach_text(const char *, size_t);
static void	attach_show(struct attach *, const struct event_header *,
		    const void *);
static int	attach_follow(struct attach *, char **);
static int	attach_check(const char *, char **);
static void	attach_interrupt(int);

/* Set by Ctrl-C (SIGINT): stop following, detached. */
static volatile sig_atomic_t attach_interrupted;

static void
attach_interrupt(int sig)
{
	(void)sig;
	attach_interrupted = 1;
}

/* The scan named, or the most recent running one. */
static struct scan_dir *
attach_find(const struct scan_dir_base *b, const char *id, char **cause)
{
	struct scan_dir	 *d = NULL;
	char		**ids;
	size_t		  n, i;

	if (id != NULL)
		return (scan_dir_open(b, id, cause));
	if (scan_dir_list(b, &ids, &n, cause) != 0)
		return (NULL);
	for (i = n; i > 0 && d == NULL; i--) {
		if ((d = scan_dir_open(b, ids[i - 1], cause)) == NULL)
			break;
		if (!scan_dir_running(d)) {
			scan_dir_free(d);
			d = NULL;
		}
	}
	scan_dir_list_free(ids, n);
	if (d == NULL && *cause == NULL)
		xasprintf(cause, "no running scan");
	return (d);
}

/* Read the journal through once, so that damage shows before output. */
static int
attach_check(const char *path, char **cause)
{
	struct journal_reader		*r;
	const struct event_header	*h;
	const void			*p;
	int				 rc;

	if ((r = journal_reader_open(path, cause)) == NULL)
		return (-1);
	while ((rc = journal_reader_next(r, &h, &p, cause)) == 1)
		continue;
	journal_reader_free(r);
	return (rc);
}

/* Text from the network or the engine, with anything odd escaped. */
static void
attach_text(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len && s[i] != '\0'; i++) {
		if (isprint((unsigned char)s[i]) && s[i] != '\\')
			putchar(s[i]);
		else
			printf("\\x%02x", (unsigned char)s[i]);
	}
}

static void
attach_show(struct attach *a, const struct event_header *h, const void *p)
{
	const struct event_host		*host = p;
	const struct event_port		*port = p;
	const struct event_progress	*prog = p;
	const struct event_warning	*w = p;
	const struct event_control	*c = p;
	const struct event_scan_end	*e = p;
	char				 addr[64];

	switch (h->type) {
	case EVENT_SCAN_START:
		printf("scan %s started\n", a->d->id);
		break;
	case EVENT_HOST_STATE:
		if (host->state != EVENT_HOST_UP)
			break;
		printf("host %s up (%s)\n", target_addr_str(&host->addr, addr,
		    sizeof addr), event_reason_name(host->reason));
		break;
	case EVENT_PORT_STATE:
		if (port->state != EVENT_PORT_OPEN)
			break;
		printf("open %s %u/%s (%s)\n", target_addr_str(&port->addr,
		    addr, sizeof addr), port->port,
		    port->proto == PORT_UDP ? "udp" : "tcp",
		    event_reason_name(port->reason));
		break;
	case EVENT_PROGRESS:
		a->hosts_up = prog->hosts_up;
		a->open_ports = prog->open_ports;
		printf("progress %llu/%llu pairs, %llu host%s up, %llu open, "
		    "%.1f probes/s\n", (unsigned long long)prog->pairs_done,
		    (unsigned long long)prog->pairs_total,
		    (unsigned long long)prog->hosts_up,
		    prog->hosts_up == 1 ? "" : "s",
		    (unsigned long long)prog->open_ports,
		    prog->rate_milli / 1000.0);
		break;
	case EVENT_WARNING:
		printf("warning: ");
		attach_text((const char *)(w + 1), h->len - sizeof *w < w->len ?
		    h->len - sizeof *w : w->len);
		putchar('\n');
		break;
	case EVENT_CONTROL:
		printf("%s by uid %u, rate %.1f/s\n",
		    control_action_name(c->action), c->uid, c->rate);
		break;
	case EVENT_SCAN_END:
		a->ended = 1;
		printf("scan %s %s: %llu host%s up, %llu open port%s\n",
		    a->d->id, e->status == EVENT_END_DONE ? "finished" :
		    e->status == EVENT_END_STOPPED ? "stopped" : "failed",
		    (unsigned long long)a->hosts_up,
		    a->hosts_up == 1 ? "" : "s",
		    (unsigned long long)a->open_ports,
		    a->open_ports == 1 ? "" : "s");
		break;
	}
	fflush(stdout);
}

/*
 * Show every record, the journal's and then the ring's, to the end of the
 * scan or until its engine is gone.
 */
static int
attach_follow(struct attach *a, char **cause)
{
	struct event_follow		*f;
	const struct event_header	*h;
	const void			*p;
	enum event_follow_next		 next;

	if ((f = event_follow_open(a->d->journal, a->d->ring, cause)) == NULL)
		return (-1);
	if (!scan_dir_running(a->d))
		event_follow_writer_gone(f);
	while (!attach_interrupted && (next = event_follow_next(f, &h, &p,
	    ATTACH_WAIT_MS, cause)) != EVENT_FOLLOW_END) {
		if (next == EVENT_FOLLOW_ERROR) {
			event_follow_free(f);
			return (-1);
		}
		if (next == EVENT_FOLLOW_RECORD)
			attach_show(a, h, p);
		else if (!scan_dir_running(a->d))
			event_follow_writer_gone(f);
	}
	event_follow_free(f);
	return (0);
}

int
cmd_attach(int argc, char **argv)
{
	struct scan_dir_base	 b;
	struct attach		 a;
	struct sigaction	 sa;
	char			*cause = NULL;
	int			 rc = TACT_EXIT_INPUT;

	if (argc > 2) {
		cmd_error("attach", "usage: tact attach [id]");
		return (TACT_EXIT_INPUT);
	}
	if (cmd_scan_dir_base(&b, NULL, &cause) != 0) {
		cmd_error("attach", "%s", cause);
		free(cause);
		return (TACT_EXIT_INPUT);
	}
	memset(&a, 0, sizeof a);
	if ((a.d = attach_find(&b, argc == 2 ? argv[1] : NULL, &cause)) ==
	    NULL)
		goto out;
	/* On a terminal, the dashboard; elsewhere, the text view. */
	if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
		rc = cmd_ui_attach(a.d->id);
		goto out;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = attach_interrupt;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	/* Damage found while following is bad input too. */
	if (attach_check(a.d->journal, &cause) != 0 ||
	    attach_follow(&a, &cause) != 0)
		goto out;
	rc = TACT_EXIT_OK;
	if (attach_interrupted && !a.ended && scan_dir_running(a.d))
		printf("detached from scan %s, which goes on; watch it again "
		    "with: tact attach %s\n", a.d->id, a.d->id);
	else if (!a.ended) {
		printf("scan %s interrupted: %llu host%s up, %llu open "
		    "port%s; continue it with: tact resume %s\n", a.d->id,
		    (unsigned long long)a.hosts_up, a.hosts_up == 1 ? "" : "s",
		    (unsigned long long)a.open_ports,
		    a.open_ports == 1 ? "" : "s", a.d->id);
		rc = TACT_EXIT_INTERRUPTED;
	}
	if (fflush(stdout) != 0)
		rc = TACT_EXIT_RUNTIME;

out:
	if (cause != NULL) {
		cmd_error("attach", "%s", cause);
		free(cause);
	}
	scan_dir_free(a.d);
	scan_dir_base_free(&b);
	return (rc);
}
