/*
 * Fuzz the ring reader, ring_reader_next(), and the results store it
 * feeds. A real ring is made and filled by its writer as far as the
 * input is long, then the input is written over its record area, so
 * that the reader meets whatever the input holds where records should
 * be (as from a damaged or hostile ring file). Every record it returns
 * must be one the record check passes.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "results.h"
#include "ring.h"

#define FUZZ_READS_MAX	10000
#define FUZZ_FILLER	4000		/* payload of each writer record */

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t			 filler[FUZZ_FILLER];
	const struct event_header	*hp;
	const void			*p;
	struct event_header		 h;
	struct ring			*w;
	struct ring_reader		*r;
	struct results			*res;
	struct stat			 sb;
	enum ring_next			 next;
	char				*path, *cause = NULL;
	size_t				 written = 0;
	int				 fd, n = 0;

	if (size > RING_SIZE_MIN)
		size = RING_SIZE_MIN;
	path = fuzz_file("ring", NULL, 0);
	unlink(path);
	if ((w = ring_create(path, RING_SIZE_MIN, &cause)) == NULL) {
		fprintf(stderr, "%s\n", cause);
		abort();
	}
	if ((r = ring_reader_open(path, &cause)) == NULL) {
		fprintf(stderr, "%s\n", cause);
		abort();
	}
	memset(&h, 0, sizeof h);
	h.version = EVENT_VERSION;
	h.type = EVENT_WARNING;
	h.len = FUZZ_FILLER;
	while (written < size) {
		h.seq++;
		ring_sink(w, &h, filler);
		written += sizeof h + FUZZ_FILLER;
	}
	ring_close(w);

	/* The records are the file's last RING_SIZE_MIN bytes. */
	if ((fd = open(path, O_WRONLY|O_CLOEXEC)) == -1 ||
	    fstat(fd, &sb) == -1 ||
	    pwrite(fd, data, size, sb.st_size - RING_SIZE_MIN) !=
	    (ssize_t)size)
		abort();
	close(fd);

	res = results_create();
	while (n++ < FUZZ_READS_MAX) {
		next = ring_reader_next(r, &hp, &p);
		if (next == RING_EMPTY || next == RING_CLOSED)
			break;
		if (next == RING_RECORD) {
			/* What it returns passed the one record check. */
			FUZZ_CHECK(event_record_check(hp,
			    EVENT_RECORD_SIZE(hp->len), RING_PAYLOAD_MAX,
			    NULL) == 1);
			results_apply(res, hp, p);
		}
	}
	results_free(res);
	ring_reader_free(r);
	free(path);
	return (0);
}
