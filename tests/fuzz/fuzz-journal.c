/*
 * Fuzz the journal reader, journal_reader_next(), and what reads its
 * records: the results store with every output format written from it,
 * and the summary `tact list` shows (scan_dir_summary). The input is a
 * journal file, read once as it is and once with the CRC of every
 * record it frames made right, so that the fuzzer gets past the CRC to
 * the records' contents.
 */
#include <string.h>

#include "fuzz.h"
#include "journal.h"
#include "output.h"
#include "results.h"
#include "scan-dir.h"
#include "xmalloc.h"

#define FUZZ_RECORDS_MAX	10000

static void	fuzz_read(const uint8_t *, size_t);
static void	fuzz_fix_crcs(uint8_t *, size_t);

static void
fuzz_read(const uint8_t *data, size_t size)
{
	static FILE			*null;
	const struct event_header	*h;
	const void			*p;
	struct journal_reader		*r;
	struct results			*res;
	const struct output_ops		*o;
	struct scan_dir			 d;
	struct scan_dir_summary		 s;
	char				*path, *cause = NULL;
	int				 rc, n = 0, i;
	uint64_t			 seq = 0;

	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		abort();
	path = fuzz_file("journal", data, size);
	if ((r = journal_reader_open(path, &cause)) == NULL) {
		FUZZ_CHECK(cause != NULL);
		free(cause);
		free(path);
		return;
	}
	res = results_create();
	while (n++ < FUZZ_RECORDS_MAX &&
	    (rc = journal_reader_next(r, &h, &p, &cause)) == 1) {
		FUZZ_CHECK(h->seq == ++seq);
		FUZZ_CHECK(h->len <= JOURNAL_PAYLOAD_MAX);
		FUZZ_CHECK((const uint8_t *)p == (const uint8_t *)(h + 1));
		results_apply(res, h, p);
	}
	if (rc == -1) {
		FUZZ_CHECK(cause != NULL);
		free(cause);
		cause = NULL;
	}
	journal_reader_free(r);
	for (i = 0; i < SCAN_OUTPUT_MAX; i++) {
		if ((o = output_find(i)) != NULL &&
		    output_write(o, null, res, &cause) != 0)
			free(cause);
		cause = NULL;
	}
	results_free(res);

	memset(&d, 0, sizeof d);
	d.journal = path;
	d.lock = fuzz_file("lock", NULL, 0);
	d.lock_fd = d.control_fd = -1;
	if (scan_dir_summary(&d, &s, &cause) == 0)
		scan_dir_summary_free(&s);
	else {
		FUZZ_CHECK(cause != NULL);
		free(cause);
	}
	free(d.lock);
	free(path);
}

/* Set the CRC of each record that is there in full. */
static void
fuzz_fix_crcs(uint8_t *buf, size_t size)
{
	struct event_header	h;
	size_t			off = sizeof (struct journal_file_header);

	while (off + sizeof h <= size) {
		memcpy(&h, buf + off, sizeof h);
		if (h.len > JOURNAL_PAYLOAD_MAX ||
		    size - off - sizeof h < ((h.len + 7) & ~7U))
			break;
		h.crc = event_record_crc(&h, buf + off + sizeof h);
		memcpy(buf + off, &h, sizeof h);
		off += sizeof h + ((h.len + 7) & ~7U);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t	*copy;

	fuzz_read(data, size);
	copy = xmalloc(size + 1);
	if (size > 0)
		memcpy(copy, data, size);
	fuzz_fix_crcs(copy, size);
	fuzz_read(copy, size);
	free(copy);
	return (0);
}
