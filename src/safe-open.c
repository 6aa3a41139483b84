/*
 * Safe opening. tact runs as root, sometimes with another user's HOME,
 * and writes in directories others may share: an open that follows a
 * planted symbolic link truncates whatever it points at, a FIFO hangs
 * it, and a directory another user owns can be changed under us between
 * a check and a use. So files are opened without following links and
 * checked on the descriptor (regular, owner, one link), and a directory
 * is trusted only when nobody but its user and root could have changed
 * any component of its path.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "safe-open.h"
#include "xmalloc.h"

static int	safe_open_kind(const char *, int, mode_t, uid_t, bool,
		    char **);
static int	safe_open_what(const struct stat *, uid_t, bool, const char *,
		    char **);
static int	safe_open_walk(const char *, uid_t, bool, char **);
static int	safe_open_component(const char *, uid_t, bool, char **);

int
safe_open(const char *path, int flags, mode_t mode, uid_t uid, char **cause)
{
	return (safe_open_kind(path, flags, mode, uid, false, cause));
}

int
safe_open_output(const char *path, int flags, mode_t mode, char **cause)
{
	return (safe_open_kind(path, flags, mode, SAFE_OPEN_ANY_OWNER, true,
	    cause));
}

/* Is what was opened what we take? 0, or -1 and cause. */
static int
safe_open_what(const struct stat *sb, uid_t uid, bool chr, const char *path,
    char **cause)
{
	if (S_ISCHR(sb->st_mode) && chr)
		return (0);
	if (!S_ISREG(sb->st_mode)) {
		xasprintf(cause, "%s: not a regular file, refused", path);
		return (-1);
	}
	if (uid != SAFE_OPEN_ANY_OWNER && sb->st_uid != uid) {
		xasprintf(cause, "%s: owned by uid %u, not %u, refused", path,
		    (unsigned)sb->st_uid, (unsigned)uid);
		return (-1);
	}
	if (sb->st_nlink > 1) {
		xasprintf(cause, "%s: has %lu hard links, refused", path,
		    (unsigned long)sb->st_nlink);
		return (-1);
	}
	return (0);
}

/*
 * Open, then check the descriptor: a regular file (or, when chr, a
 * character device such as /dev/null), its owner, one link.
 */
static int
safe_open_kind(const char *path, int flags, mode_t mode, uid_t uid,
    bool chr, char **cause)
{
	struct stat	sb;
	int		fd, saved;

	fd = open(path, (flags & ~O_TRUNC) | O_NOFOLLOW | O_CLOEXEC |
	    O_NONBLOCK, mode);
	if (fd == -1) {
		saved = errno;
		if (errno == ELOOP)
			xasprintf(cause, "%s: a symbolic link, refused", path);
		else if (errno == ENXIO)	/* a FIFO or socket */
			xasprintf(cause, "%s: not a regular file, refused",
			    path);
		else
			xasprintf(cause, "%s: %s", path, strerror(errno));
		errno = saved;
		return (-1);
	}
	if (fstat(fd, &sb) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (safe_open_what(&sb, uid, chr, path, cause) != 0)
		goto fail;
	if (S_ISREG(sb.st_mode) && (flags & O_TRUNC) &&
	    ftruncate(fd, 0) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if ((~flags & O_NONBLOCK) &&
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		goto fail;
	}
	return (fd);

fail:
	close(fd);
	errno = EPERM;
	return (-1);
}

/*
 * One component of a path: owned by uid or root; a directory not open to
 * writers other than its owner unless sticky, or a link (outer walk only)
 * whose target path passes the same walk.
 */
static int
safe_open_component(const char *path, uid_t uid, bool outer, char **cause)
{
	struct stat	 sb;
	char		*real;
	int		 rc;

	if (lstat(path, &sb) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (sb.st_uid != uid && sb.st_uid != 0) {
		xasprintf(cause, "%s: owned by uid %u, not by %u or root, "
		    "refused", path, (unsigned)sb.st_uid, (unsigned)uid);
		return (-1);
	}
	if (S_ISLNK(sb.st_mode) && outer) {
		if ((real = realpath(path, NULL)) == NULL) {
			xasprintf(cause, "%s: %s", path, strerror(errno));
			return (-1);
		}
		rc = safe_open_walk(real, uid, false, cause);
		free(real);
		return (rc);
	}
	if (!S_ISDIR(sb.st_mode)) {
		xasprintf(cause, "%s: not a directory", path);
		return (-1);
	}
	if ((sb.st_mode & (S_IWGRP|S_IWOTH)) && !(sb.st_mode & S_ISVTX)) {
		xasprintf(cause, "%s: writable by others (mode %03o), refused",
		    path, (unsigned)(sb.st_mode & 0777));
		return (-1);
	}
	return (0);
}

/* Every component of an absolute path, from / down. */
static int
safe_open_walk(const char *path, uid_t uid, bool outer, char **cause)
{
	char	*copy, *p;
	int	 rc;

	if (*path != '/') {
		xasprintf(cause, "%s: not an absolute path", path);
		return (-1);
	}
	copy = xstrdup(path);
	rc = safe_open_component("/", uid, outer, cause);
	for (p = copy + 1; rc == 0 && *p != '\0'; p++) {
		if (*p != '/' || p[-1] == '/')
			continue;
		*p = '\0';
		rc = safe_open_component(copy, uid, outer, cause);
		*p = '/';
	}
	if (rc == 0 && p[-1] != '/')
		rc = safe_open_component(copy, uid, outer, cause);
	free(copy);
	return (rc);
}

int
safe_open_dir_check(const char *path, uid_t uid, bool private, char **cause)
{
	struct stat	sb;

	if (safe_open_walk(path, uid, true, cause) != 0)
		return (-1);
	if (stat(path, &sb) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (sb.st_uid != uid || (private && (sb.st_mode & 077) != 0)) {
		xasprintf(cause, "%s: not private (owner %u, mode %03o), "
		    "refused", path, (unsigned)sb.st_uid,
		    (unsigned)(sb.st_mode & 0777));
		return (-1);
	}
	return (0);
}

int
safe_open_mkdirs(const char *path, const char *base, uid_t uid,
    bool private, char **cause)
{
	struct stat	 sb;
	size_t		 len, end = strlen(path);
	char		*copy, *p, c;
	int		 rc;

	copy = xstrdup(path);
	if (base != NULL) {
		len = strlen(base);
		if (strncmp(path, base, len) != 0 || (path[len] != '/' &&
		    path[len] != '\0')) {
			xasprintf(cause, "%s: not below %s", path, base);
			free(copy);
			return (-1);
		}
	} else {
		/* The deepest directory there is. */
		for (len = end; len > 1 && lstat(copy, &sb) == -1;
		    copy[len] = '\0') {
			while (len > 1 && copy[--len] != '/')
				continue;
		}
	}
	copy[len] = '\0';
	rc = safe_open_walk(len > 0 ? copy : "/", uid, true, cause);
	memcpy(copy, path, end + 1);
	for (p = copy + len + 1; rc == 0 && p <= copy + end; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(copy, 0700) == -1 && errno != EEXIST) {
			xasprintf(cause, "%s: %s", copy, strerror(errno));
			rc = -1;
		}
		*p = c;
	}
	free(copy);
	if (rc != 0)
		return (-1);
	return (safe_open_dir_check(path, uid, private, cause));
}

int
safe_open_temp(const char *path, char **tmp, char **cause)
{
	int	fd;

	xasprintf(tmp, "%s.XXXXXX", path);
	if ((fd = mkostemp(*tmp, O_CLOEXEC)) == -1) {
		xasprintf(cause, "%s: %s", *tmp, strerror(errno));
		free(*tmp);
		*tmp = NULL;
	}
	return (fd);
}
