/*
 * Where the dashboard's records come from: the scan's journal up to its
 * end, then the shared-memory ring from that sequence number on. When
 * the ring is ahead of what was applied (the reader opened it late, or
 * was lapped) the journal fills the gap, and the ring is taken up again
 * once its next record follows on. A finished scan has no ring: its
 * journal is all there is. The dashboard never talks to the engine but
 * through this file: records in, control commands out.
 */
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control.h"
#include "journal.h"
#include "ring.h"
#include "scan-dir.h"
#include "tui.h"
#include "xmalloc.h"

/* How long `tact scan --detach` may take to hand the scan over. */
#define TUI_SOURCE_START_MS	15000

struct tui_source {
	struct journal_reader	*journal;
	struct ring_reader	*ring;		/* NULL: journal only */
	bool			 on_ring;	/* caught up: follow the ring */
	char			*control;	/* the control socket's path */
};

static int	tui_source_journal(struct tui_source *, struct tui_scan *,
		    char **);
static int	tui_source_ring(struct tui_source *, struct tui_scan *,
		    char **);
static bool	tui_source_id(const char *, char *);
static int	tui_source_spawn(char **, int *, int *, char **);

/*
 * Open the ring before reading the journal, so that nothing written in
 * between is missed: whatever the ring holds past the journal's end, the
 * journal will hold too by the time it is needed.
 */
struct tui_source *
tui_source_open(const char *journal, const char *ring, const char *control,
    char **cause)
{
	struct tui_source	*src;
	char			*ignore;

	src = xcalloc(1, sizeof *src);
	if (ring != NULL && (src->ring = ring_reader_open(ring,
	    &ignore)) == NULL)
		free(ignore);
	if ((src->journal = journal_reader_open(journal, cause)) == NULL) {
		tui_source_free(src);
		return (NULL);
	}
	if (control != NULL)
		src->control = xstrdup(control);
	return (src);
}

void
tui_source_free(struct tui_source *src)
{
	if (src == NULL)
		return;
	if (src->journal != NULL)
		journal_reader_free(src->journal);
	if (src->ring != NULL)
		ring_reader_free(src->ring);
	free(src->control);
	free(src);
}

/* Every record the journal has now that the scan has not seen. */
static int
tui_source_journal(struct tui_source *src, struct tui_scan *scan,
    char **cause)
{
	const struct event_header	*h;
	const void			*payload;
	int				 rc;

	while ((rc = journal_reader_next(src->journal, &h, &payload,
	    cause)) == 1) {
		if (h->seq <= scan->seq)
			continue;
		if (tui_scan_apply(scan, h, payload, cause) != 0)
			return (-1);
	}
	return (rc);
}

/* The ring's new records; back to the journal on a gap or a lap. */
static int
tui_source_ring(struct tui_source *src, struct tui_scan *scan,
    char **cause)
{
	const struct event_header	*h;
	const void			*payload;
	enum ring_next			 next;

	while ((next = ring_reader_next(src->ring, &h, &payload)) ==
	    RING_RECORD) {
		if (h->seq <= scan->seq)
			continue;
		if (h->seq != scan->seq + 1) {
			/* Ahead of what was applied: the journal has it. */
			src->on_ring = false;
			continue;
		}
		if (!src->on_ring)
			src->on_ring = true;
		if (tui_scan_apply(scan, h, payload, cause) != 0)
			return (-1);
	}
	if (next == RING_LAPPED)
		src->on_ring = false;
	else if (next == RING_CLOSED) {
		ring_reader_free(src->ring);
		src->ring = NULL;
		src->on_ring = false;
	}
	return (0);
}

/* Apply whatever is new; returns -1 and *cause for a damaged record. */
int
tui_source_read(struct tui_source *src, struct tui_scan *scan,
    char **cause)
{
	if (!src->on_ring && tui_source_journal(src, scan, cause) == -1)
		return (-1);
	if (src->ring == NULL)
		return (0);
	if (tui_source_ring(src, scan, cause) == -1)
		return (-1);
	/* The ring closed: the journal has the last records. */
	if (src->ring == NULL && tui_source_journal(src, scan, cause) == -1)
		return (-1);
	return (0);
}

/* The scan with this ID, from its directories. */
struct tui_source *
tui_source_attach(const struct scan_dir_base *base, const char *id,
    char **cause)
{
	struct scan_dir		*d;
	struct tui_source	*src;

	if ((d = scan_dir_open(base, id, cause)) == NULL)
		return (NULL);
	src = tui_source_open(d->journal, d->ring, d->control, cause);
	scan_dir_free(d);
	return (src);
}

int
tui_source_control(struct tui_source *src, enum event_control_action a,
    char **cause)
{
	char	*reply;

	if (src->control == NULL || src->ring == NULL) {
		xasprintf(cause, "%s: the scan is not running",
		    control_action_name(a));
		return (-1);
	}
	if (control_send(src->control, a, &reply, cause) != 0)
		return (-1);
	free(reply);
	return (0);
}

/* Find a scan ID ("20261129-001500-3fa9") among the words of text. */
static bool
tui_source_id(const char *text, char *id)
{
	const char	*p;
	size_t		 i;

	for (p = text; *p != '\0'; p++) {
		if (p != text && !isspace((unsigned char)p[-1]))
			continue;
		for (i = 0; i < SCAN_ID_LEN; i++) {
			if (i == 8 || i == 15) {
				if (p[i] != '-')
					break;
			} else if (!isxdigit((unsigned char)p[i]))
				break;
		}
		if (i == SCAN_ID_LEN && (p[i] == '\0' ||
		    isspace((unsigned char)p[i]) || p[i] == ':' ||
		    p[i] == ',' || p[i] == '.')) {
			memcpy(id, p, SCAN_ID_LEN);
			id[SCAN_ID_LEN] = '\0';
			return (true);
		}
	}
	return (false);
}

/* Run argv with its stdout and stderr on pipes and stdin on /dev/null. */
static int
tui_source_spawn(char **argv, int *out, int *err, char **cause)
{
	int	po[2], pe[2], null;
	pid_t	pid;

	if (pipe2(po, O_CLOEXEC) == -1) {
		xasprintf(cause, "pipe: %s", strerror(errno));
		return (-1);
	}
	if (pipe2(pe, O_CLOEXEC) == -1) {
		xasprintf(cause, "pipe: %s", strerror(errno));
		close(po[0]);
		close(po[1]);
		return (-1);
	}
	if ((pid = fork()) == -1) {
		xasprintf(cause, "fork: %s", strerror(errno));
		close(po[0]);
		close(po[1]);
		close(pe[0]);
		close(pe[1]);
		return (-1);
	}
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		if ((null = open("/dev/null", O_RDONLY)) != -1)
			dup2(null, STDIN_FILENO);
		dup2(po[1], STDOUT_FILENO);
		dup2(pe[1], STDERR_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	*out = po[0];
	*err = pe[0];
	return (pid);
}

/*
 * Start a scan as a process of its own (`tact scan --detach ...`) and
 * attach to it. The engine says its scan ID on stdout; an error is the
 * one line it writes on stderr.
 */
int
tui_start(struct tui *t, char **argv, char **cause)
{
	struct pollfd	 pfd[2];
	char		 out[4096], err[1024], id[SCAN_ID_LEN + 1], *nl;
	size_t		 nout = 0, nerr = 0;
	ssize_t		 n;
	int		 status, open_fds = 2, i;
	pid_t		 pid;

	if ((pid = tui_source_spawn(argv, &pfd[0].fd, &pfd[1].fd,
	    cause)) == -1)
		return (-1);
	pfd[0].events = pfd[1].events = POLLIN;
	while (open_fds > 0) {
		if (poll(pfd, 2, TUI_SOURCE_START_MS) <= 0)
			break;
		for (i = 0; i < 2; i++) {
			if (pfd[i].fd == -1 || pfd[i].revents == 0)
				continue;
			if (i == 0)
				n = read(pfd[i].fd, out + nout, sizeof out -
				    1 - nout);
			else
				n = read(pfd[i].fd, err + nerr, sizeof err -
				    1 - nerr);
			if (n <= 0) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
				open_fds--;
			} else if (i == 0)
				nout += (size_t)n;
			else
				nerr += (size_t)n;
		}
	}
	for (i = 0; i < 2; i++) {
		if (pfd[i].fd != -1)
			close(pfd[i].fd);
	}
	out[nout] = err[nerr] = '\0';
	if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		if ((nl = strchr(err, '\n')) != NULL)
			*nl = '\0';
		xasprintf(cause, "%s", nerr != 0 ? err :
		    "the scan did not start");
		return (-1);
	}
	if (!tui_source_id(out, id)) {
		xasprintf(cause, "the scan started but gave no scan ID");
		return (-1);
	}
	return (tui_attach(t, id, cause));
}
