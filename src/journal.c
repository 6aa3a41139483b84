/*
 * The journal: every event record of a scan, appended to one file so that
 * the results of a finished scan, `tact list` and a resume after a crash
 * all read the same truth. Records are gathered in a batch and written
 * together (at most 100 ms late, at once for start, control and end) and
 * fsync'd at least once a second and at the end. A reader checks every
 * record (version, CRC, length, sequence) and tells a torn tail, which
 * a crash leaves and which ends the journal, from damage, which is an
 * error naming the file and offset.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "journal.h"
#include "safe-open.h"
#include "xmalloc.h"

#define JOURNAL_BATCH		65536
#define JOURNAL_WRITE_NS	100000000ULL	/* write a batch this late */
#define JOURNAL_SYNC_NS		1000000000ULL	/* fsync this often */
#define JOURNAL_READ_CHUNK	65536

struct journal {
	char		*path;
	int		 fd;
	unsigned char	*buf;
	size_t		 used;
	uint64_t	 written_ns;	/* mono time of the last write */
	uint64_t	 synced_ns;	/* and of the last fsync */
	int		 unsynced;	/* written since the last fsync */
	char		*error;		/* the first failure, for tick/close */
};

struct journal_reader {
	char		*path;
	int		 fd;
	unsigned char	*buf;
	size_t		 size;		/* allocated */
	size_t		 len;		/* valid bytes in buf */
	uint64_t	 buf_off;	/* file offset of buf[0] */
	uint64_t	 off;		/* offset of the next record */
	uint64_t	 seq;		/* of the last record returned */
};

static int	journal_write_all(struct journal *, const void *, size_t);
static int	journal_write_batch(struct journal *);
static int	journal_fsync(struct journal *);
static void	journal_fail(struct journal *, const char *);
static int	journal_take_error(struct journal *, char **);
static struct journal *journal_new(const char *, int);
static int	journal_reader_fill(struct journal_reader *, size_t);
static int	journal_reader_zero_tail(struct journal_reader *);
static int	journal_reader_damaged(struct journal_reader *, char **,
		    const char *, ...) __attribute__((format(printf, 3, 4)));

static struct journal *
journal_new(const char *path, int fd)
{
	struct journal	*j;

	j = xcalloc(1, sizeof *j);
	j->path = xstrdup(path);
	j->fd = fd;
	j->buf = xmalloc(JOURNAL_BATCH);
	j->written_ns = j->synced_ns = clock_now_ns();
	return (j);
}

struct journal *
journal_create(const char *path, char **cause)
{
	struct journal_file_header	 fh;
	struct journal			*j;
	int				 fd;

	fd = safe_open(path, O_WRONLY|O_CREAT|O_EXCL|O_APPEND, 0600, getuid(),
	    cause);
	if (fd == -1)
		return (NULL);
	j = journal_new(path, fd);
	memset(&fh, 0, sizeof fh);
	memcpy(fh.magic, JOURNAL_MAGIC, sizeof fh.magic);
	fh.version = JOURNAL_VERSION;
	if (journal_write_all(j, &fh, sizeof fh) != 0 ||
	    journal_fsync(j) != 0) {
		journal_take_error(j, cause);
		journal_close(j, NULL);
		unlink(path);
		return (NULL);
	}
	return (j);
}

struct journal *
journal_open_append(const char *path, uint64_t *last_seq, char **cause)
{
	struct journal_reader	*r;
	const struct event_header *h;
	const void		*p;
	uint64_t		 end;
	int			 fd, rc;

	if ((fd = safe_open(path, O_WRONLY|O_APPEND, 0, getuid(),
	    cause)) == -1)
		return (NULL);
	if ((r = journal_reader_open(path, cause)) == NULL) {
		close(fd);
		return (NULL);
	}
	while ((rc = journal_reader_next(r, &h, &p, cause)) == 1)
		continue;
	end = journal_reader_offset(r);
	*last_seq = journal_reader_seq(r);
	journal_reader_free(r);
	if (rc == -1) {
		close(fd);
		return (NULL);
	}
	if (ftruncate(fd, (off_t)end) == -1 || fsync(fd) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		close(fd);
		return (NULL);
	}
	return (journal_new(path, fd));
}

static void
journal_fail(struct journal *j, const char *what)
{
	if (j->error == NULL)
		xasprintf(&j->error, "%s: %s: %s", j->path, what,
		    strerror(errno));
}

static int
journal_take_error(struct journal *j, char **cause)
{
	if (j->error == NULL)
		return (0);
	if (cause != NULL)
		*cause = j->error;
	else
		free(j->error);
	j->error = NULL;
	return (-1);
}

static int
journal_write_all(struct journal *j, const void *buf, size_t len)
{
	const char	*p = buf;
	ssize_t		 n;

	while (len > 0) {
		n = write(j->fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			journal_fail(j, "write");
			return (-1);
		}
		p += n;
		len -= (size_t)n;
		j->unsynced = 1;
	}
	return (0);
}

static int
journal_write_batch(struct journal *j)
{
	int	rc;

	rc = journal_write_all(j, j->buf, j->used);
	j->used = 0;
	j->written_ns = clock_now_ns();
	return (rc);
}

static int
journal_fsync(struct journal *j)
{
	j->synced_ns = clock_now_ns();
	if (!j->unsynced)
		return (0);
	if (fsync(j->fd) == -1) {
		journal_fail(j, "fsync");
		return (-1);
	}
	j->unsynced = 0;
	return (0);
}

void
journal_sink(void *arg, const struct event_header *h, const void *payload)
{
	static const char zero[8];
	struct journal	*j = arg;
	size_t		 pad = EVENT_PAD(h->len) - h->len;
	size_t		 need = EVENT_RECORD_SIZE(h->len);

	if (j->used + need > JOURNAL_BATCH && j->used > 0)
		journal_write_batch(j);
	if (need > JOURNAL_BATCH) {
		journal_write_all(j, h, sizeof *h);
		journal_write_all(j, payload, h->len);
		journal_write_all(j, zero, pad);
	} else {
		memcpy(j->buf + j->used, h, sizeof *h);
		memcpy(j->buf + j->used + sizeof *h, payload, h->len);
		memset(j->buf + j->used + sizeof *h + h->len, 0, pad);
		j->used += need;
	}

	switch (h->type) {
	case EVENT_SCAN_END:
		journal_write_batch(j);
		journal_fsync(j);
		break;
	case EVENT_SCAN_START:
	case EVENT_CONTROL:
		journal_write_batch(j);
		break;
	default:
		journal_tick(j, h->mono_ns, NULL);
		break;
	}
}

int
journal_tick(struct journal *j, uint64_t now, char **cause)
{
	if (j->used > 0 && now >= j->written_ns + JOURNAL_WRITE_NS)
		journal_write_batch(j);
	if (now >= j->synced_ns + JOURNAL_SYNC_NS) {
		if (j->used > 0)
			journal_write_batch(j);
		journal_fsync(j);
	}
	return (cause == NULL ? 0 : journal_take_error(j, cause));
}

int
journal_sync(struct journal *j, char **cause)
{
	journal_write_batch(j);
	journal_fsync(j);
	return (journal_take_error(j, cause));
}

int
journal_close(struct journal *j, char **cause)
{
	int	rc;

	journal_sync(j, NULL);
	if (close(j->fd) == -1)
		journal_fail(j, "close");
	rc = journal_take_error(j, cause);
	free(j->buf);
	free(j->path);
	free(j);
	return (rc);
}

struct journal_reader *
journal_reader_open(const char *path, char **cause)
{
	struct journal_reader		*r;
	struct journal_file_header	 fh;
	ssize_t				 n;
	int				 fd;

	if ((fd = open(path, O_RDONLY|O_CLOEXEC)) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (NULL);
	}
	n = pread(fd, &fh, sizeof fh, 0);
	if (n == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		close(fd);
		return (NULL);
	}
	if ((size_t)n < sizeof fh ||
	    memcmp(fh.magic, JOURNAL_MAGIC, sizeof fh.magic) != 0) {
		xasprintf(cause, "%s: not a tact journal", path);
		close(fd);
		return (NULL);
	}
	if (fh.version < JOURNAL_VERSION_MIN || fh.version > JOURNAL_VERSION) {
		xasprintf(cause, "%s: unknown journal version %u (this tact "
		    "reads %u)", path, fh.version, JOURNAL_VERSION);
		close(fd);
		return (NULL);
	}
	r = xcalloc(1, sizeof *r);
	r->path = xstrdup(path);
	r->fd = fd;
	r->size = JOURNAL_READ_CHUNK;
	r->buf = xmalloc(r->size);
	r->buf_off = r->off = sizeof fh;
	return (r);
}

/*
 * Make at least want bytes from r->off available in the buffer. Returns
 * 1 when they are, 0 when the file ends sooner, -1 on a read error.
 */
static int
journal_reader_fill(struct journal_reader *r, size_t want)
{
	size_t	skip = (size_t)(r->off - r->buf_off);
	ssize_t	n;

	if (r->len - skip >= want)
		return (1);
	memmove(r->buf, r->buf + skip, r->len - skip);
	r->len -= skip;
	r->buf_off = r->off;
	if (want > r->size) {
		r->size = want;
		r->buf = xreallocarray(r->buf, 1, r->size);
	}
	while (r->len < want) {
		n = pread(r->fd, r->buf + r->len, r->size - r->len,
		    (off_t)(r->buf_off + r->len));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return (-1);
		if (n == 0)
			return (0);
		r->len += (size_t)n;
	}
	return (1);
}

/* Is everything from r->off to the end of the file zero bytes? */
static int
journal_reader_zero_tail(struct journal_reader *r)
{
	unsigned char	 chunk[4096];
	uint64_t	 off = r->off;
	ssize_t		 n, i;

	while ((n = pread(r->fd, chunk, sizeof chunk, (off_t)off)) > 0) {
		for (i = 0; i < n; i++) {
			if (chunk[i] != 0)
				return (0);
		}
		off += (uint64_t)n;
	}
	return (n == 0);
}

/*
 * A record that is there in full but wrong. A crash that extended the
 * file without writing it leaves zeros, which are a torn tail; anything
 * else is damage.
 */
static int
journal_reader_damaged(struct journal_reader *r, char **cause,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*what;

	if (journal_reader_zero_tail(r))
		return (0);
	va_start(ap, fmt);
	if (vasprintf(&what, fmt, ap) == -1)
		abort();
	va_end(ap);
	xasprintf(cause, "%s: offset %llu: %s", r->path,
	    (unsigned long long)r->off, what);
	free(what);
	return (-1);
}

int
journal_reader_next(struct journal_reader *r, const struct event_header **hp,
    const void **pp, char **cause)
{
	const struct event_header	*h;
	const unsigned char		*rec;
	char				*what;
	size_t				 want = sizeof *h;
	int				 rc;

	for (;;) {
		if ((rc = journal_reader_fill(r, want)) != 1)
			goto short_read;
		rec = r->buf + (r->off - r->buf_off);
		rc = event_record_check(rec, r->len - (size_t)(r->off -
		    r->buf_off), JOURNAL_PAYLOAD_MAX, &what);
		if (rc == 1)
			break;
		if (rc == -1) {
			rc = journal_reader_damaged(r, cause, "%s", what);
			free(what);
			return (rc);
		}
		want = EVENT_RECORD_SIZE(((const struct event_header *)
		    rec)->len);
	}
	h = (const struct event_header *)rec;
	if (h->seq != r->seq + 1) {
		return (journal_reader_damaged(r, cause,
		    "record %llu follows %llu", (unsigned long long)h->seq,
		    (unsigned long long)r->seq));
	}
	*hp = h;
	*pp = h + 1;
	r->off += EVENT_RECORD_SIZE(h->len);
	r->seq = h->seq;
	return (1);

short_read:
	if (rc == -1) {
		xasprintf(cause, "%s: %s", r->path, strerror(errno));
		return (-1);
	}
	return (0);
}

uint64_t
journal_reader_offset(const struct journal_reader *r)
{
	return (r->off);
}

uint64_t
journal_reader_seq(const struct journal_reader *r)
{
	return (r->seq);
}

void
journal_reader_free(struct journal_reader *r)
{
	if (r == NULL)
		return;
	close(r->fd);
	free(r->buf);
	free(r->path);
	free(r);
}
