/*
 * The ring: event records broadcast through a shared file mapping, so
 * that any number of viewers (attach, the dashboard) follow a scan live
 * without slowing it down. One writer, which never waits for a reader.
 *
 * The file is a header page and then the records, byte positions growing
 * for ever and taken modulo the capacity. A record is an event header,
 * its payload and zeros up to a multiple of 8; it never wraps: where one
 * would not fit before the end of the area, the writer leaves a header
 * of type 0 (or, with under a header's room left, nothing) and goes on
 * at the start.
 *
 * Two positions, each in a cache line of its own, make a sequence lock
 * over the whole area:
 *
 *	intent	the writer may be writing anywhere below it. Raised before
 *		the bytes are written, a chunk ahead at a time, so that it
 *		is stored rarely.
 *	tail	every byte below it is written. Stored after the bytes, a
 *		batch at a time (RING_PUBLISH bytes) or on ring_flush().
 *
 * A reader copies [pos, tail) out of the mapping, then reads intent: if
 * intent - pos > capacity the writer may have overwritten what was
 * copied, so the copy is thrown away and the reader reports a lap;
 * otherwise every copied byte is the one the writer published. The
 * reader checks a whole batch with one load of intent, and parses the
 * records from its private copy, never from the mapping, each checked
 * as the journal's are (event_record_check): one that fails is no tact
 * writer's, and the reader skips to the writer's end as after a lap.
 *
 * The payload bytes are copied with memcpy, not atomics: a copy that
 * races with the writer may be torn, but it is then always detected by
 * the intent check and discarded before any of it is looked at.
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ring.h"
#include "xmalloc.h"

#define RING_LINE	64
#define RING_DATA_OFF	4096			/* header page */
#define RING_PUBLISH	4096			/* publish tail this often */
#define RING_COPY	(64U << 10)		/* a reader's batch */
#define RING_HOOK_PIECE	1001			/* see ring_copy_out */

/* The header page, shared by the writer and every reader. */
struct ring_shared {
	/* Written once by ring_create. */
	char			magic[8];
	_Atomic uint32_t	version;	/* stored last */
	uint32_t		pid;		/* of the writer */
	uint64_t		capacity;	/* bytes of records */
	uint64_t		data_off;
	char			pad0[RING_LINE - 32];

	_Alignas(RING_LINE) _Atomic uint64_t intent;
	char			pad1[RING_LINE - 8];

	_Alignas(RING_LINE) _Atomic uint64_t tail;
	char			pad2[RING_LINE - 8];

	_Alignas(RING_LINE) _Atomic uint32_t closed;
};

struct ring {
	struct ring_shared	*sh;
	unsigned char		*data;
	size_t			 map_len;
	uint64_t		 cap;
	uint64_t		 head;		/* next byte to write */
	uint64_t		 intent;	/* last value stored */
	uint64_t		 published;	/* last tail stored */
};

struct ring_reader {
	const struct ring_shared *sh;
	const unsigned char	*data;
	size_t			 map_len;
	uint64_t		 cap;
	uint64_t		 pos;		/* next record's position */
	uint64_t		 next_seq;	/* 0: any */

	unsigned char		*copy;		/* checked, from copy_pos */
	uint64_t		 copy_max;	/* short, to be whole */
	uint64_t		 copy_pos;
	uint64_t		 copy_len;

	void			(*hook)(void *);
	void			*hook_arg;
};

static void	ring_copy_out(struct ring_reader *, uint64_t, uint64_t);
static int	ring_reader_refill(struct ring_reader *);
static void	ring_reader_resync(struct ring_reader *);

struct ring *
ring_create(const char *path, size_t size, char **cause)
{
	struct ring	*rg;
	void		*map;
	size_t		 len = RING_DATA_OFF + size;
	int		 fd;

	if (size < RING_SIZE_MIN || (size & (size - 1)) != 0) {
		xasprintf(cause, "ring size %zu: not a power of two of at "
		    "least %u", size, RING_SIZE_MIN);
		return (NULL);
	}
	fd = open(path, O_RDWR|O_CREAT|O_EXCL|O_CLOEXEC, 0600);
	if (fd == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (NULL);
	}
	if (ftruncate(fd, (off_t)len) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return (NULL);
	}
	map = mmap(NULL, len, PROT_READ|PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		xasprintf(cause, "%s: mmap: %s", path, strerror(errno));
		unlink(path);
		return (NULL);
	}

	rg = xcalloc(1, sizeof *rg);
	rg->sh = map;
	rg->data = (unsigned char *)map + RING_DATA_OFF;
	rg->map_len = len;
	rg->cap = size;
	memcpy(rg->sh->magic, RING_MAGIC, sizeof rg->sh->magic);
	rg->sh->capacity = size;
	rg->sh->data_off = RING_DATA_OFF;
	rg->sh->pid = (uint32_t)getpid();
	atomic_init(&rg->sh->intent, 0);
	atomic_init(&rg->sh->tail, 0);
	atomic_init(&rg->sh->closed, 0);
	/*
	 * The version goes last: a reader that sees it sees the rest.
	 * Pairs with the acquire load in ring_reader_open.
	 */
	atomic_store_explicit(&rg->sh->version, RING_VERSION,
	    memory_order_release);
	return (rg);
}

void
ring_sink(void *arg, const struct event_header *h, const void *payload)
{
	struct ring	*rg = arg;
	size_t		 size = EVENT_RECORD_SIZE(h->len);
	uint64_t	 idx, room, end;
	unsigned char	*p;

	if (h->len > RING_PAYLOAD_MAX || size > rg->cap / 8)
		return;
	idx = rg->head & (rg->cap - 1);
	room = rg->cap - idx;
	end = rg->head + (room < size ? room : 0) + size;

	if (end > rg->intent) {
		rg->intent = end + rg->cap / 16;
		atomic_store_explicit(&rg->sh->intent, rg->intent,
		    memory_order_relaxed);
		/*
		 * Order the intent before the bytes written below. Pairs
		 * with the acquire fence in ring_reader_refill: a reader
		 * that copied any of those bytes then loads this intent.
		 */
		atomic_thread_fence(memory_order_release);
	}

	if (room < size) {
		if (room >= sizeof *h)
			memset(rg->data + idx, 0, sizeof *h);
		rg->head += room;
		idx = 0;
	}
	p = rg->data + idx;
	memcpy(p, h, sizeof *h);
	memcpy(p + sizeof *h, payload, h->len);
	memset(p + sizeof *h + h->len, 0, EVENT_PAD(h->len) - h->len);
	rg->head += size;

	if (rg->head - rg->published >= RING_PUBLISH)
		ring_flush(rg);
}

void
ring_flush(struct ring *rg)
{
	if (rg->head == rg->published)
		return;
	rg->published = rg->head;
	/*
	 * Publish the bytes written before it. Pairs with the acquire load
	 * of tail in ring_reader_refill.
	 */
	atomic_store_explicit(&rg->sh->tail, rg->head, memory_order_release);
}

void
ring_close(struct ring *rg)
{
	if (rg == NULL)
		return;
	ring_flush(rg);
	/* After the last tail. Pairs with the acquire load in refill. */
	atomic_store_explicit(&rg->sh->closed, 1, memory_order_release);
	munmap(rg->sh, rg->map_len);
	free(rg);
}

struct ring_reader *
ring_reader_open(const char *path, char **cause)
{
	struct ring_reader		*r;
	const struct ring_shared	*sh;
	struct stat			 sb;
	void				*map;
	uint32_t			 version;
	int				 fd;

	if ((fd = open(path, O_RDONLY|O_CLOEXEC)) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (NULL);
	}
	if (fstat(fd, &sb) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		close(fd);
		return (NULL);
	}
	if ((size_t)sb.st_size < RING_DATA_OFF + RING_SIZE_MIN) {
		xasprintf(cause, "%s: not a tact ring", path);
		close(fd);
		return (NULL);
	}
	map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		xasprintf(cause, "%s: mmap: %s", path, strerror(errno));
		return (NULL);
	}
	sh = map;
	/* Pairs with the release store of version in ring_create. */
	version = atomic_load_explicit(&sh->version, memory_order_acquire);
	if (memcmp(sh->magic, RING_MAGIC, sizeof sh->magic) != 0 ||
	    version != RING_VERSION || sh->data_off != RING_DATA_OFF ||
	    sh->capacity < RING_SIZE_MIN ||
	    (sh->capacity & (sh->capacity - 1)) != 0 ||
	    sh->data_off + sh->capacity != (uint64_t)sb.st_size) {
		if (version != RING_VERSION && version != 0) {
			xasprintf(cause, "%s: unknown ring version %u", path,
			    version);
		} else
			xasprintf(cause, "%s: not a tact ring", path);
		munmap(map, (size_t)sb.st_size);
		return (NULL);
	}

	r = xcalloc(1, sizeof *r);
	r->sh = sh;
	r->data = (const unsigned char *)map + RING_DATA_OFF;
	r->map_len = (size_t)sb.st_size;
	r->cap = sh->capacity;
	r->copy_max = r->cap / 4 < RING_COPY ? r->cap / 4 : RING_COPY;
	r->copy = xmalloc(r->copy_max);
	/* Pairs with the release store in ring_flush. */
	r->pos = r->copy_pos = atomic_load_explicit(&sh->tail,
	    memory_order_acquire);
	return (r);
}

void
ring_reader_set_hook(struct ring_reader *r, void (*fn)(void *), void *arg)
{
	r->hook = fn;
	r->hook_arg = arg;
}

/*
 * Copy len bytes from position pos. With a test hook, copy in odd-sized
 * pieces and run the hook between them, so that a test can have the
 * writer overwrite the rest of a record whose start was already copied.
 */
static void
ring_copy_out(struct ring_reader *r, uint64_t pos, uint64_t len)
{
	uint64_t	done, idx, n;

	for (done = 0; done < len; done += n) {
		idx = (pos + done) & (r->cap - 1);
		n = len - done;
		if (n > r->cap - idx)
			n = r->cap - idx;
		if (r->hook != NULL && n > RING_HOOK_PIECE)
			n = RING_HOOK_PIECE;
		memcpy(r->copy + done, r->data + idx, n);
		if (r->hook != NULL)
			r->hook(r->hook_arg);
	}
}

/*
 * Copy a checked batch from r->pos. Returns 1 with bytes to parse, 0 when
 * there are none, -1 when the reader was lapped (it then continues at the
 * current tail).
 */
static int
ring_reader_refill(struct ring_reader *r)
{
	uint64_t	tail, intent, len;

	/* Pairs with the release store in ring_flush. */
	tail = atomic_load_explicit(&r->sh->tail, memory_order_acquire);
	len = tail - r->pos;
	if (len == 0)
		return (0);
	if (len > r->cap)
		goto lapped;
	if (len > r->copy_max)
		len = r->copy_max;
	ring_copy_out(r, r->pos, len);
	/*
	 * Order the copy before the intent check. Pairs with the release
	 * fence in ring_sink: had the copy seen any byte of an overwrite,
	 * this load sees the intent raised before it.
	 */
	atomic_thread_fence(memory_order_acquire);
	intent = atomic_load_explicit(&r->sh->intent, memory_order_relaxed);
	if (intent - r->pos > r->cap)
		goto lapped;
	r->copy_pos = r->pos;
	r->copy_len = len;
	return (1);

lapped:
	ring_reader_resync(r);
	return (-1);
}

/* Give up on what is buffered and go on at the writer's end. */
static void
ring_reader_resync(struct ring_reader *r)
{
	/* Pairs with the release store in ring_flush. */
	r->pos = r->copy_pos = atomic_load_explicit(&r->sh->tail,
	    memory_order_acquire);
	r->copy_len = 0;
	r->next_seq = 0;
}

enum ring_next
ring_reader_next(struct ring_reader *r, const struct event_header **hp,
    const void **pp)
{
	const struct event_header	*h;
	uint64_t			 idx, at, size;
	int				 rc, fresh = 0;

	for (;;) {
		idx = r->pos & (r->cap - 1);
		if (r->cap - idx < sizeof *h) {
			r->pos += r->cap - idx;
			fresh = 0;
			continue;
		}
		at = r->pos - r->copy_pos;
		if (at + sizeof *h > r->copy_len)
			goto refill;
		h = (const struct event_header *)(r->copy + at);
		if (h->type == 0) {
			r->pos += r->cap - idx;
			fresh = 0;
			continue;
		}
		size = EVENT_RECORD_SIZE(h->len);
		if (h->len > RING_PAYLOAD_MAX || size > r->copy_max)
			goto foreign;
		if (at + size > r->copy_len)
			goto refill;
		if (event_record_check(h, size, RING_PAYLOAD_MAX, NULL) != 1)
			goto foreign;
		if (r->next_seq != 0 && h->seq != r->next_seq) {
			r->next_seq = 0;
			return (RING_LAPPED);
		}
		r->pos += size;
		r->next_seq = h->seq + 1;
		*hp = h;
		*pp = h + 1;
		return (RING_RECORD);

	refill:
		/*
		 * A copy just made from here to the tail lacks the record:
		 * the tail is not at a record's end.
		 */
		if (fresh)
			goto foreign;
		if ((rc = ring_reader_refill(r)) == -1)
			return (RING_LAPPED);
		if (rc == 0) {
			/* Pairs with the release store in ring_close. */
			if (atomic_load_explicit(&r->sh->closed,
			    memory_order_acquire) &&
			    atomic_load_explicit(&r->sh->tail,
			    memory_order_acquire) == r->pos)
				return (RING_CLOSED);
			return (RING_EMPTY);
		}
		fresh = 1;
	}

foreign:
	/*
	 * Not a record a tact writer makes (a damaged or hostile ring):
	 * skip to the writer's end; the journal has what was there.
	 */
	ring_reader_resync(r);
	return (RING_LAPPED);
}

void
ring_reader_free(struct ring_reader *r)
{
	if (r == NULL)
		return;
	munmap((void *)r->sh, r->map_len);
	free(r->copy);
	free(r);
}
