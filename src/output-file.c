/*
 * Output files written safely. Every file is opened before the scan
 * starts, while tact may still write anywhere and before a packet is
 * sent, so a bad path costs nothing. The scan then drops privileges, so
 * the end cannot rely on renaming a temporary file into a directory the
 * unprivileged user may not write: each output is formatted into an
 * anonymous temporary file, and only when the whole of it is there is
 * it copied into the file opened at the start. A failed write is
 * reported, and leaves the file empty (removed if this run created it
 * and may remove it), never a truncated output that looks whole; so
 * that it may, the files root creates are given to the user the scan
 * drops to (output_files_give()). The
 * open never follows a symbolic link nor waits on a FIFO, and takes
 * only a regular file or a character device (/dev/null): root opens
 * these, in directories others may share. With --append-output the
 * whole of each output is added at the file's end.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "safe-open.h"
#include "xmalloc.h"

struct output_file {
	const struct output_ops	*ops;
	char			*path;		/* NULL: standard output */
	int			 fd;
	bool			 created;	/* by this run */
	bool			 written;
};

struct output_files {
	struct output_file	 files[SCAN_OUTPUT_MAX];
	size_t			 n;
	int			 flags;		/* OUTPUT_OPEN, OUTPUT_APPEND */
};

static int	file_open(struct output_file *, const char *, char **);
static int	file_copy(struct output_file *, FILE *, bool);
static void	file_discard(struct output_file *);
static const char *file_name(const struct output_file *);

static const char *
file_name(const struct output_file *o)
{
	return (o->path != NULL ? o->path : "standard output");
}

/* Open path without truncating it: it keeps its contents until the end. */
static int
file_open(struct output_file *o, const char *path, char **cause)
{
	if (strcmp(path, "-") == 0) {
		o->fd = STDOUT_FILENO;
		return (0);
	}
	o->path = xstrdup(path);
	o->fd = safe_open_output(path, O_WRONLY | O_CREAT | O_EXCL, 0666,
	    cause);
	if (o->fd != -1)
		o->created = true;
	else if (errno == EEXIST) {
		free(*cause);
		*cause = NULL;
		o->fd = safe_open_output(path, O_WRONLY, 0, cause);
	}
	return (o->fd == -1 ? -1 : 0);
}

/* Leave no partial output: empty the file, remove it if it is ours. */
static void
file_discard(struct output_file *o)
{
	struct stat	st;

	if (o->path == NULL)
		return;
	if (fstat(o->fd, &st) == 0 && S_ISREG(st.st_mode))
		(void)ftruncate(o->fd, 0);
	if (o->created)
		(void)unlink(o->path);
}

/*
 * Replace the file's contents with tmp's, or add them at its end; -1
 * and errno on failure.
 */
static int
file_copy(struct output_file *o, FILE *tmp, bool append)
{
	struct stat	 st;
	char		 buf[65536];
	size_t		 n, off;
	ssize_t		 w;
	bool		 regular;

	regular = fstat(o->fd, &st) == 0 && S_ISREG(st.st_mode);
	if (regular && append && lseek(o->fd, 0, SEEK_END) == -1)
		return (-1);
	if (regular && !append && (ftruncate(o->fd, 0) != 0 ||
	    lseek(o->fd, 0, SEEK_SET) == -1))
		return (-1);
	rewind(tmp);
	while ((n = fread(buf, 1, sizeof buf, tmp)) != 0) {
		for (off = 0; off < n; off += (size_t)w) {
			w = write(o->fd, buf + off, n - off);
			if (w == -1 && errno == EINTR)
				w = 0;
			else if (w == -1)
				return (-1);
		}
	}
	if (ferror(tmp)) {
		errno = EIO;
		return (-1);
	}
	if (regular && fsync(o->fd) != 0)
		return (-1);
	return (0);
}

struct output_files *
output_files_open(char *const *paths, char **cause)
{
	struct output_files	*of = xcalloc(1, sizeof *of);
	struct output_file	*o;
	int			 i;

	for (i = 0; i < SCAN_OUTPUT_MAX; i++) {
		if (paths[i] == NULL)
			continue;
		o = &of->files[of->n];
		if ((o->ops = output_find(i)) == NULL) {
			xasprintf(cause, "%s: this output format is not built "
			    "yet in this version", paths[i]);
			goto fail;
		}
		of->n++;
		if (file_open(o, paths[i], cause) != 0)
			goto fail;
	}
	return (of);

fail:
	output_files_free(of);
	return (NULL);
}

void
output_files_flags(struct output_files *of, int flags)
{
	of->flags = flags;
}

int
output_files_give(struct output_files *of, uid_t uid, gid_t gid,
    char **cause)
{
	struct output_file	*o;
	size_t			 i;

	for (i = 0; i < of->n; i++) {
		o = &of->files[i];
		if (o->created && fchown(o->fd, uid, gid) == -1) {
			xasprintf(cause, "%s: %s", o->path, strerror(errno));
			return (-1);
		}
	}
	return (0);
}

int
output_files_write(struct output_files *of, const struct results *r,
    char **cause)
{
	struct output_file	*o;
	FILE			*tmp;
	size_t			 i;
	char			*c;

	for (i = 0; i < of->n; i++) {
		o = &of->files[i];
		if ((tmp = tmpfile()) == NULL) {
			xasprintf(cause, "temporary file: %s",
			    strerror(errno));
			return (-1);
		}
		if (output_write_flags(o->ops, tmp, r, of->flags, &c) != 0) {
			fclose(tmp);
			xasprintf(cause, "%s: %s", file_name(o), c);
			free(c);
			return (-1);
		}
		if (file_copy(o, tmp, (of->flags & OUTPUT_APPEND) != 0) != 0) {
			xasprintf(cause, "%s: %s", file_name(o),
			    strerror(errno));
			fclose(tmp);
			if (!(of->flags & OUTPUT_APPEND))
				file_discard(o);
			return (-1);
		}
		fclose(tmp);
		o->written = true;
	}
	return (0);
}

/* Close the files; one opened but never written is discarded. */
void
output_files_free(struct output_files *of)
{
	struct output_file	*o;
	size_t			 i;

	if (of == NULL)
		return;
	for (i = 0; i < of->n; i++) {
		o = &of->files[i];
		if (o->path == NULL)
			continue;
		if (o->fd != -1) {
			if (!o->written && o->created)
				file_discard(o);
			close(o->fd);
		}
		free(o->path);
	}
	free(of);
}
