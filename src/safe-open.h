/*
 * Opening files and trusting directories as root may run: never through
 * a symbolic link or into a FIFO someone planted, never in a directory
 * another user could change under us. One place for every module that
 * keeps files (scan directories, journal, ledger, outputs).
 */
#ifndef SAFE_OPEN_H
#define SAFE_OPEN_H

#include <sys/types.h>

#include <stdbool.h>

/* The owner safe_open() accepts when any will do. */
#define SAFE_OPEN_ANY_OWNER	((uid_t)-1)

/*
 * open(2) with O_NOFOLLOW, O_CLOEXEC and, for the open alone,
 * O_NONBLOCK, then fstat: a regular file, owned by uid unless uid is
 * SAFE_OPEN_ANY_OWNER. The descriptor, or -1 and cause ("path: why");
 * errno is ENOENT when there is no such file and O_CREAT was not given.
 */
int	safe_open(const char *, int, mode_t, uid_t, char **);
/*
 * The same for a file a user names as an output: any owner, and a
 * character device (/dev/null) is taken as well.
 */
int	safe_open_output(const char *, int, mode_t, char **);

/*
 * Trust a directory path: every component from / is a directory (or a
 * symbolic link, then its target is checked the same way) owned by uid
 * or root and not writable by group or others unless sticky; the last
 * one is owned by uid, and when private closed to everyone else.
 */
int	safe_open_dir_check(const char *, uid_t, bool, char **);

/*
 * Make the directories of path below base (which must exist and is
 * never made; NULL: the deepest directory of path there is), 0700,
 * checking base first, then path as safe_open_dir_check() does.
 */
int	safe_open_mkdirs(const char *, const char *, uid_t, bool, char **);

/*
 * A new temporary file beside path ("path.XXXXXX", mkstemp: 0600, never
 * an existing file); the descriptor and *tmp its name, or -1 and cause.
 */
int	safe_open_temp(const char *, char **, char **);

#endif
