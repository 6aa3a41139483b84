/*
 * Where a scan keeps its files. Each scan has an ID and two directories,
 * both 0700:
 *
 *	state	$XDG_STATE_HOME/tact/scans/ID: the journal and the lock
 *		file the running engine holds (flock), which outlive it;
 *	runtime	$XDG_RUNTIME_DIR/tact/ID (else the state's tact/run/ID):
 *		the ring and the control socket, which live as long as the
 *		engine.
 *
 * The front end passes the environment's values in; libtact reads none.
 */
#ifndef SCAN_DIR_H
#define SCAN_DIR_H

#include <sys/types.h>

#include <stdbool.h>
#include <stdint.h>

#include "event.h"

struct journal;
struct ring;

/* "20261129-001500-3fa9": UTC time of creation and 16 random bits. */
#define SCAN_ID_LEN	20

/* The directories that hold every scan of a user. */
struct scan_dir_base {
	char	*state;		/* .../tact/scans */
	char	*runtime;	/* .../tact or .../tact/run */
	char	*runtime_base;	/* $XDG_RUNTIME_DIR, else the state's tact */
};

struct scan_dir {
	char	 id[SCAN_ID_LEN + 1];
	char	*state;
	char	*runtime;
	char	*runtime_base;	/* made below this, never above */
	char	*journal;	/* state/journal */
	char	*lock;		/* state/lock: flock'd by the engine */
	char	*ring;		/* runtime/ring */
	char	*control;	/* runtime/control: the Unix socket */
	int	 lock_fd;	/* -1 unless this process holds the lock */

	/* The engine's side, from scan_dir_start to scan_dir_finish. */
	struct journal	*writer;
	struct ring	*ringw;
	int		 control_fd;	/* listening; -1: none */
	int		 runtime_fd;	/* the runtime directory; -1: none */
	/* Heard on it, with root: who ran the scan (default getuid()). */
	uid_t		 control_uid;
};

/* What `tact list` shows of a scan, from its journal and lock. */
enum scan_dir_state {
	SCAN_DIR_RUNNING,
	SCAN_DIR_PAUSED,
	SCAN_DIR_FINISHED,	/* scan-end: done */
	SCAN_DIR_STOPPED,	/* scan-end: stopped or failed */
	SCAN_DIR_INTERRUPTED	/* no scan-end and no engine */
};

struct scan_dir_summary {
	enum scan_dir_state	 state;
	char			*args;		/* from the scan-start record */
	char			*targets;
	char			*profile;
	uint64_t		 wall_start;
	uint64_t		 pairs_done;
	uint64_t		 pairs_total;
	uint64_t		 hosts_up;
	uint64_t		 open_ports;
	uint64_t		 last_seq;
};

/*
 * The base directories from $XDG_STATE_HOME, $XDG_RUNTIME_DIR and $HOME
 * (any may be NULL): state falls back to $HOME/.local/state (never made
 * when $HOME is not there), runtime to the state's tact/run. Makes the
 * state directory (0700) and refuses one another user could change
 * (safe_open_dir_check()); the runtime directory waits for a scan.
 */
int		 scan_dir_base_init(struct scan_dir_base *, const char *,
		     const char *, const char *, uid_t, char **);
/*
 * The same with the scans in a directory of the user's (--state-dir:
 * DIR/ID/journal), made if need be, and their runtime directories in
 * $XDG_RUNTIME_DIR/tact, else DIR/run.
 */
int		 scan_dir_base_at(struct scan_dir_base *, const char *,
		     const char *, uid_t, char **);
void		 scan_dir_base_free(struct scan_dir_base *);

/* A new scan: a fresh ID and both directories. */
struct scan_dir	*scan_dir_create(const struct scan_dir_base *, char **);
/* An existing scan by its ID. */
struct scan_dir	*scan_dir_open(const struct scan_dir_base *, const char *,
		     char **);
void		 scan_dir_free(struct scan_dir *);
/*
 * Make the runtime directory, checked as the state directory is (also
 * again for a resumed scan after a reboot).
 */
int		 scan_dir_make_runtime(struct scan_dir *, char **);
/*
 * Remove the ring, the socket and the runtime directory; the engine's
 * through the directory's descriptor, which a user root dropped to
 * still reaches (the directory itself is then left for the sweep).
 */
void		 scan_dir_remove_runtime(struct scan_dir *);

/*
 * Take the engine's lock (held until the process exits or the scan_dir
 * is freed) and write the pid in it; fails if another engine holds it.
 */
int		 scan_dir_lock(struct scan_dir *, char **);
/* Does a live engine hold the lock? */
bool		 scan_dir_running(const struct scan_dir *);

/*
 * For the engine: take the lock, open the journal (new, or to append to
 * when resuming: *last_seq is then the last record's seq, else 0), make
 * the ring and listen on the control socket; add the journal and the
 * ring to the stream as sinks. Poll d->control_fd and call control_accept
 * when it is readable; call scan_dir_tick from the engine's timer.
 */
int		 scan_dir_start(struct scan_dir *, struct event_stream *,
		     bool, uint64_t *, char **);
/*
 * Give the engine's runtime directory to uid and gid (root, before it
 * drops to that user), so that the engine can remove its ring and
 * control socket when it ends.
 */
int		 scan_dir_give(struct scan_dir *, uid_t, gid_t, char **);
/* Write and fsync the journal when due, publish the ring. */
int		 scan_dir_tick(struct scan_dir *, char **);
/* Sync and close the journal, close the ring, remove the runtime dir. */
int		 scan_dir_finish(struct scan_dir *, char **);
/*
 * A new scan that never reached its first packet holds nothing to keep:
 * finish it, then remove its journal, lock and state directory.
 */
void		 scan_dir_remove(struct scan_dir *);

/* Every scan's ID, oldest first. */
int		 scan_dir_list(const struct scan_dir_base *, char ***,
		     size_t *, char **);
void		 scan_dir_list_free(char **, size_t);
/*
 * Remove what engines that are gone left in the runtime directory: one
 * killed, or one that had dropped root and so could not remove its own.
 */
void		 scan_dir_sweep(const struct scan_dir_base *);

/* Read the journal for `tact list`. */
int		 scan_dir_summary(const struct scan_dir *,
		     struct scan_dir_summary *, char **);
void		 scan_dir_summary_free(struct scan_dir_summary *);
const char	*scan_dir_state_name(enum scan_dir_state);

#endif
