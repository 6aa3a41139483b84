/*
 * Scan directories: give each scan an ID that sorts by start time, keep
 * its journal and lock in a private state directory and its ring and
 * control socket in a private runtime directory, and tell from them what
 * became of it (running, paused, finished, interrupted) for `tact list`.
 * Liveness is a flock the engine holds: it goes when the engine dies,
 * however it dies.
 */
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "control.h"
#include "journal.h"
#include "ring.h"
#include "safe-open.h"
#include "scan-dir.h"
#include "xmalloc.h"

#define SCAN_DIR_TRIES	16
/* Tries of a lock a sweep holds, 2 ms apart. */
#define SCAN_DIR_LOCK_TRIES	50

static const char *scan_dir_state_names[] = {
	[SCAN_DIR_RUNNING] = "running",
	[SCAN_DIR_PAUSED] = "paused",
	[SCAN_DIR_FINISHED] = "finished",
	[SCAN_DIR_STOPPED] = "stopped",
	[SCAN_DIR_INTERRUPTED] = "interrupted",
};

static bool	scan_dir_valid_id(const char *);
static struct scan_dir *scan_dir_new(const struct scan_dir_base *,
		    const char *);
static void	scan_dir_start_strings(struct scan_dir_summary *,
		    const char *, size_t, uint32_t);
static int	scan_dir_cmp(const void *, const void *);

int
scan_dir_base_init(struct scan_dir_base *b, const char *xdg_state,
    const char *xdg_runtime, const char *home, uid_t uid, char **cause)
{
	const char	*base = NULL;
	char		*top;

	memset(b, 0, sizeof *b);
	if (xdg_state != NULL && *xdg_state == '/')
		xasprintf(&top, "%s/tact", xdg_state);
	else if (home != NULL && *home == '/') {
		xasprintf(&top, "%s/.local/state/tact", home);
		base = home;
	} else {
		xasprintf(cause, "no state directory: set XDG_STATE_HOME or "
		    "HOME");
		return (-1);
	}
	xasprintf(&b->state, "%s/scans", top);
	if (xdg_runtime != NULL && *xdg_runtime == '/') {
		xasprintf(&b->runtime, "%s/tact", xdg_runtime);
		b->runtime_base = xstrdup(xdg_runtime);
	} else {
		xasprintf(&b->runtime, "%s/run", top);
		b->runtime_base = xstrdup(top);
	}
	free(top);
	if (safe_open_mkdirs(b->state, base, uid, false, cause) != 0) {
		scan_dir_base_free(b);
		return (-1);
	}
	return (0);
}

/*
 * The scans kept in dir itself (--state-dir: a shared volume where a
 * job's shards end up side by side), made if need be and trusted as the
 * default is; their runtime directories in $XDG_RUNTIME_DIR/tact, else
 * dir/run. A relative dir is taken from the working directory.
 */
int
scan_dir_base_at(struct scan_dir_base *b, const char *dir,
    const char *xdg_runtime, uid_t uid, char **cause)
{
	char	*cwd;

	memset(b, 0, sizeof *b);
	if (*dir == '\0') {
		xasprintf(cause, "--state-dir: an empty path");
		return (-1);
	}
	if (*dir == '/')
		b->state = xstrdup(dir);
	else {
		if ((cwd = getcwd(NULL, 0)) == NULL) {
			xasprintf(cause, "--state-dir: %s: %s", dir,
			    strerror(errno));
			return (-1);
		}
		xasprintf(&b->state, "%s/%s", cwd, dir);
		free(cwd);
	}
	if (xdg_runtime != NULL && *xdg_runtime == '/') {
		xasprintf(&b->runtime, "%s/tact", xdg_runtime);
		b->runtime_base = xstrdup(xdg_runtime);
	} else {
		xasprintf(&b->runtime, "%s/run", b->state);
		b->runtime_base = xstrdup(b->state);
	}
	if (safe_open_mkdirs(b->state, NULL, uid, false, cause) != 0) {
		scan_dir_base_free(b);
		return (-1);
	}
	return (0);
}

void
scan_dir_base_free(struct scan_dir_base *b)
{
	free(b->state);
	free(b->runtime);
	free(b->runtime_base);
	memset(b, 0, sizeof *b);
}

static bool
scan_dir_valid_id(const char *id)
{
	static const char	shape[] = "dddddddd-dddddd-xxxx";
	size_t			i;

	if (strlen(id) != SCAN_ID_LEN)
		return (false);
	for (i = 0; i < SCAN_ID_LEN; i++) {
		switch (shape[i]) {
		case 'd':
			if (id[i] < '0' || id[i] > '9')
				return (false);
			break;
		case 'x':
			if ((id[i] < '0' || id[i] > '9') &&
			    (id[i] < 'a' || id[i] > 'f'))
				return (false);
			break;
		default:
			if (id[i] != shape[i])
				return (false);
			break;
		}
	}
	return (true);
}

static struct scan_dir *
scan_dir_new(const struct scan_dir_base *b, const char *id)
{
	struct scan_dir	*d;

	d = xcalloc(1, sizeof *d);
	memcpy(d->id, id, SCAN_ID_LEN);
	d->id[SCAN_ID_LEN] = '\0';
	xasprintf(&d->state, "%s/%s", b->state, d->id);
	xasprintf(&d->runtime, "%s/%s", b->runtime, d->id);
	d->runtime_base = xstrdup(b->runtime_base);
	xasprintf(&d->journal, "%s/journal", d->state);
	xasprintf(&d->lock, "%s/lock", d->state);
	xasprintf(&d->ring, "%s/ring", d->runtime);
	xasprintf(&d->control, "%s/control", d->runtime);
	d->lock_fd = -1;
	d->control_fd = -1;
	d->runtime_fd = -1;
	d->control_uid = getuid();
	return (d);
}

struct scan_dir *
scan_dir_create(const struct scan_dir_base *b, char **cause)
{
	struct scan_dir	*d;
	struct tm	 tm;
	time_t		 now = time(NULL);
	uint16_t	 rnd;
	char		 id[64];
	int		 i;

	gmtime_r(&now, &tm);
	for (i = 0; i < SCAN_DIR_TRIES; i++) {
		if (getrandom(&rnd, sizeof rnd, 0) != sizeof rnd) {
			xasprintf(cause, "getrandom: %s", strerror(errno));
			return (NULL);
		}
		snprintf(id, sizeof id, "%04d%02d%02d-%02d%02d%02d-%04x",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, rnd);
		d = scan_dir_new(b, id);
		if (mkdir(d->state, 0700) == 0)
			break;
		if (errno != EEXIST) {
			xasprintf(cause, "%s: %s", d->state, strerror(errno));
			scan_dir_free(d);
			return (NULL);
		}
		scan_dir_free(d);
		d = NULL;
	}
	if (d == NULL) {
		xasprintf(cause, "%s: no free scan ID", b->state);
		return (NULL);
	}
	if (scan_dir_make_runtime(d, cause) != 0) {
		rmdir(d->state);
		scan_dir_free(d);
		return (NULL);
	}
	return (d);
}

struct scan_dir *
scan_dir_open(const struct scan_dir_base *b, const char *id, char **cause)
{
	struct scan_dir	*d;
	struct stat	 sb;

	if (!scan_dir_valid_id(id)) {
		xasprintf(cause, "\"%s\": not a scan ID", id);
		return (NULL);
	}
	d = scan_dir_new(b, id);
	if (lstat(d->state, &sb) == -1 && errno == ENOENT) {
		xasprintf(cause, "%s: no such scan", id);
		scan_dir_free(d);
		return (NULL);
	}
	if (safe_open_dir_check(d->state, getuid(), false, cause) != 0) {
		scan_dir_free(d);
		return (NULL);
	}
	return (d);
}

void
scan_dir_free(struct scan_dir *d)
{
	if (d == NULL)
		return;
	if (d->writer != NULL || d->ringw != NULL || d->control_fd != -1 ||
	    d->runtime_fd != -1)
		scan_dir_finish(d, NULL);
	if (d->lock_fd != -1)
		close(d->lock_fd);
	free(d->state);
	free(d->runtime);
	free(d->runtime_base);
	free(d->journal);
	free(d->lock);
	free(d->ring);
	free(d->control);
	free(d);
}

int
scan_dir_make_runtime(struct scan_dir *d, char **cause)
{
	char	*top;
	int	 rc;

	top = xstrdup(d->runtime);
	*strrchr(top, '/') = '\0';
	rc = safe_open_mkdirs(top, d->runtime_base, getuid(), true, cause);
	free(top);
	if (rc != 0)
		return (-1);
	return (safe_open_mkdirs(d->runtime, NULL, getuid(), true, cause));
}

void
scan_dir_remove_runtime(struct scan_dir *d)
{
	if (d->runtime_fd != -1) {
		unlinkat(d->runtime_fd, "ring", 0);
		unlinkat(d->runtime_fd, "control", 0);
		close(d->runtime_fd);
		d->runtime_fd = -1;
	} else {
		unlink(d->ring);
		unlink(d->control);
	}
	rmdir(d->runtime);
}

int
scan_dir_lock(struct scan_dir *d, char **cause)
{
	struct timespec	pause = { 0, 2000000 };
	char		pid[32];
	int		fd, n;

	if ((fd = safe_open(d->lock, O_RDWR|O_CREAT, 0600, getuid(),
	    cause)) == -1)
		return (-1);
	/* Another scan's sweep may hold it for a moment: wait that out. */
	for (n = 0; flock(fd, LOCK_EX|LOCK_NB) == -1; n++) {
		if (errno != EWOULDBLOCK || n == SCAN_DIR_LOCK_TRIES) {
			if (errno == EWOULDBLOCK)
				xasprintf(cause, "scan %s is running", d->id);
			else
				xasprintf(cause, "%s: %s", d->lock,
				    strerror(errno));
			close(fd);
			return (-1);
		}
		nanosleep(&pause, NULL);
	}
	n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == -1 || write(fd, pid, (size_t)n) != n) {
		xasprintf(cause, "%s: %s", d->lock, strerror(errno));
		close(fd);
		return (-1);
	}
	if (d->lock_fd != -1)
		close(d->lock_fd);
	d->lock_fd = fd;
	return (0);
}

bool
scan_dir_running(const struct scan_dir *d)
{
	bool	 held;
	char	*cause = NULL;
	int	 fd;

	if (d->lock_fd != -1)
		return (true);
	fd = safe_open(d->lock, O_RDONLY, 0, getuid(), &cause);
	free(cause);
	if (fd == -1)
		return (false);
	held = flock(fd, LOCK_SH|LOCK_NB) == -1 && errno == EWOULDBLOCK;
	close(fd);
	return (held);
}

int
scan_dir_start(struct scan_dir *d, struct event_stream *es, bool resume,
    uint64_t *last_seq, char **cause)
{
	*last_seq = 0;
	if (scan_dir_lock(d, cause) != 0)
		return (-1);
	if (resume)
		d->writer = journal_open_append(d->journal, last_seq, cause);
	else
		d->writer = journal_create(d->journal, cause);
	if (d->writer == NULL)
		return (-1);
	if (scan_dir_make_runtime(d, cause) != 0)
		goto fail;
	if ((d->runtime_fd = open(d->runtime, O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) == -1) {
		xasprintf(cause, "%s: %s", d->runtime, strerror(errno));
		goto fail;
	}
	unlinkat(d->runtime_fd, "ring", 0);
	unlinkat(d->runtime_fd, "control", 0);
	if ((d->ringw = ring_create(d->ring, RING_SIZE_DEFAULT, cause)) == NULL)
		goto fail;
	if ((d->control_fd = control_listen(d->control, cause)) == -1)
		goto fail;
	event_stream_add_sink(es, journal_sink, d->writer);
	event_stream_add_sink(es, ring_sink, d->ringw);
	return (0);

fail:
	scan_dir_finish(d, NULL);
	return (-1);
}

int
scan_dir_give(struct scan_dir *d, uid_t uid, gid_t gid, char **cause)
{
	if (d->runtime_fd != -1 && fchown(d->runtime_fd, uid, gid) == -1) {
		xasprintf(cause, "%s: %s", d->runtime, strerror(errno));
		return (-1);
	}
	return (0);
}

int
scan_dir_tick(struct scan_dir *d, char **cause)
{
	if (d->ringw != NULL)
		ring_flush(d->ringw);
	if (d->writer == NULL)
		return (0);
	return (journal_tick(d->writer, clock_now_ns(), cause));
}

int
scan_dir_finish(struct scan_dir *d, char **cause)
{
	int	rc = 0;

	if (d->control_fd != -1)
		close(d->control_fd);
	d->control_fd = -1;
	/*
	 * The journal before the ring is marked closed: a reader that sees
	 * it closed finds every record in the journal.
	 */
	if (d->ringw != NULL)
		ring_flush(d->ringw);
	if (d->writer != NULL)
		rc = journal_close(d->writer, cause);
	d->writer = NULL;
	ring_close(d->ringw);
	d->ringw = NULL;
	scan_dir_remove_runtime(d);
	return (rc);
}

void
scan_dir_remove(struct scan_dir *d)
{
	scan_dir_finish(d, NULL);
	unlink(d->journal);
	unlink(d->lock);
	rmdir(d->state);
}

static int
scan_dir_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

int
scan_dir_list(const struct scan_dir_base *b, char ***ids, size_t *n,
    char **cause)
{
	DIR		*dir;
	struct dirent	*de;
	size_t		 size = 0;

	*ids = NULL;
	*n = 0;
	if ((dir = opendir(b->state)) == NULL) {
		xasprintf(cause, "%s: %s", b->state, strerror(errno));
		return (-1);
	}
	while ((de = readdir(dir)) != NULL) {
		if (!scan_dir_valid_id(de->d_name))
			continue;
		if (*n == size) {
			size = size == 0 ? 16 : size * 2;
			*ids = xreallocarray(*ids, size, sizeof **ids);
		}
		(*ids)[(*n)++] = xstrdup(de->d_name);
	}
	closedir(dir);
	if (*n > 0)
		qsort(*ids, *n, sizeof **ids, scan_dir_cmp);
	return (0);
}

void
scan_dir_list_free(char **ids, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

/*
 * A scan whose lock nobody holds has no engine; holding the lock while
 * removing its runtime directory keeps one from starting meanwhile.
 */
void
scan_dir_sweep(const struct scan_dir_base *b)
{
	struct scan_dir	 *d;
	struct stat	  sb;
	char		**ids, *cause = NULL;
	size_t		  n, i;
	int		  fd;

	if (scan_dir_list(b, &ids, &n, &cause) != 0) {
		free(cause);
		return;
	}
	for (i = 0; i < n; i++) {
		if ((d = scan_dir_open(b, ids[i], &cause)) == NULL) {
			free(cause);
			cause = NULL;
			continue;
		}
		if (lstat(d->runtime, &sb) == 0 && (fd = safe_open(d->lock,
		    O_RDONLY, 0, getuid(), &cause)) != -1) {
			if (flock(fd, LOCK_EX | LOCK_NB) == 0)
				scan_dir_remove_runtime(d);
			close(fd);
		}
		free(cause);
		cause = NULL;
		scan_dir_free(d);
	}
	scan_dir_list_free(ids, n);
}

/* Take args=, targets= and profile= from the scan-start's strings. */
static void
scan_dir_start_strings(struct scan_dir_summary *s, const char *p,
    size_t len, uint32_t nstrings)
{
	static const struct {
		const char	*key;
		size_t		 off;
	} keys[] = {
		{ "args=", offsetof(struct scan_dir_summary, args) },
		{ "targets=", offsetof(struct scan_dir_summary, targets) },
		{ "profile=", offsetof(struct scan_dir_summary, profile) },
	};
	const char	*end = p + len, *nul;
	char		**field;
	size_t		 i;

	for (; nstrings > 0 && p < end; nstrings--, p = nul + 1) {
		if ((nul = memchr(p, '\0', (size_t)(end - p))) == NULL)
			break;
		for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
			field = (char **)((char *)s + keys[i].off);
			if (*field == NULL &&
			    strncmp(p, keys[i].key, strlen(keys[i].key)) == 0)
				*field = xstrdup(p + strlen(keys[i].key));
		}
	}
	if (s->targets == NULL && s->args != NULL)
		s->targets = xstrdup(s->args);
}

int
scan_dir_summary(const struct scan_dir *d, struct scan_dir_summary *s,
    char **cause)
{
	struct journal_reader		*r;
	const struct event_header	*h;
	const void			*p;
	const struct event_scan_start	*start;
	const struct event_progress	*prog;
	const struct event_control	*ctl;
	bool				 paused = false, ended = false;
	uint32_t			 status = 0;
	int				 rc;

	memset(s, 0, sizeof *s);
	if ((r = journal_reader_open(d->journal, cause)) == NULL)
		return (-1);
	while ((rc = journal_reader_next(r, &h, &p, cause)) == 1) {
		switch (h->type) {
		case EVENT_SCAN_START:
			start = p;
			s->wall_start = start->wall_start;
			s->pairs_total = start->pairs;
			scan_dir_start_strings(s, (const char *)(start + 1),
			    h->len - sizeof *start, start->nstrings);
			break;
		case EVENT_PROGRESS:
			prog = p;
			s->pairs_done = prog->pairs_done;
			s->pairs_total = prog->pairs_total;
			s->hosts_up = prog->hosts_up;
			s->open_ports = prog->open_ports;
			break;
		case EVENT_CONTROL:
			ctl = p;
			if (ctl->action == EVENT_CONTROL_PAUSE)
				paused = true;
			else if (ctl->action == EVENT_CONTROL_RESUME)
				paused = false;
			break;
		case EVENT_SCAN_END:
			ended = true;
			status = ((const struct event_scan_end *)p)->status;
			break;
		}
	}
	s->last_seq = journal_reader_seq(r);
	journal_reader_free(r);
	if (rc == -1) {
		scan_dir_summary_free(s);
		return (-1);
	}
	if (ended)
		s->state = status == EVENT_END_DONE ? SCAN_DIR_FINISHED :
		    SCAN_DIR_STOPPED;
	else if (scan_dir_running(d))
		s->state = paused ? SCAN_DIR_PAUSED : SCAN_DIR_RUNNING;
	else
		s->state = SCAN_DIR_INTERRUPTED;
	return (0);
}

void
scan_dir_summary_free(struct scan_dir_summary *s)
{
	free(s->args);
	free(s->targets);
	free(s->profile);
	s->args = s->targets = s->profile = NULL;
}

const char *
scan_dir_state_name(enum scan_dir_state st)
{
	return (scan_dir_state_names[st]);
}
