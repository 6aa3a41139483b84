/*
 * Fuzz the ledger reader: the input is a ledger file, counted and then
 * charged for two targets, one with a daily quota of 5 and one without.
 * A ledger that reads must take the charge (or refuse it over quota)
 * and read back with each count one higher (a count at UINT32_MAX stays
 * there rather than wrap to an unreadable 0); a bad one must be refused
 * by both calls and left as it was. What the charge wrote must read
 * back as the same ledger: written again with nothing charged, the file
 * stays the same to the byte.
 */
#include <sys/socket.h>

#include <string.h>

#include "fuzz.h"
#include "ledger.h"

#define FUZZ_NOW	1795953600	/* 2026-11-29 12:00 UTC */

static void	fuzz_addr(struct target_addr *, uint8_t);
static int	fuzz_same(const char *, const uint8_t *, size_t);
static uint8_t	*fuzz_slurp(const char *, size_t *);

static void
fuzz_addr(struct target_addr *a, uint8_t last)
{
	memset(a, 0, sizeof *a);
	a->family = AF_INET;
	a->addr[0] = 198;
	a->addr[1] = 18;
	a->addr[3] = last;
}

/* Does the file at path hold exactly data? */
static int
fuzz_same(const char *path, const uint8_t *data, size_t size)
{
	FILE	*f;
	uint8_t	*buf;
	size_t	 n;
	int	 same;

	if ((f = fopen(path, "r")) == NULL)
		return (0);
	buf = malloc(size + 1);
	n = fread(buf, 1, size + 1, f);
	fclose(f);
	same = n == size && (size == 0 || memcmp(buf, data, size) == 0);
	free(buf);
	return (same);
}

/* The file at path, and its size; NULL when it cannot be read. */
static uint8_t *
fuzz_slurp(const char *path, size_t *size)
{
	FILE	*f;
	uint8_t	*buf = NULL;
	size_t	 n, have = 0;

	if ((f = fopen(path, "r")) == NULL)
		return (NULL);
	do {
		buf = realloc(buf, have + 4096);
		n = fread(buf + have, 1, 4096, f);
		have += n;
	} while (n == 4096);
	fclose(f);
	*size = have;
	return (buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ledger_charge	 c[2];
	enum ledger_result	 rc, rc0, rc1;
	uint32_t		 before[2], after[2], want;
	char			*path, *cause = NULL;
	uint8_t			*written;
	size_t			 i, nwritten;

	path = fuzz_file("ledger", data, size);
	fuzz_addr(&c[0].addr, 1);
	c[0].quota = 5;
	fuzz_addr(&c[1].addr, 2);
	c[1].quota = 0;

	rc0 = ledger_count(path, &c[0].addr, FUZZ_NOW, &before[0], &cause);
	free(cause);
	cause = NULL;
	rc1 = ledger_count(path, &c[1].addr, FUZZ_NOW, &before[1], &cause);
	free(cause);
	cause = NULL;
	FUZZ_CHECK(rc0 == rc1 && (rc0 == LEDGER_OK || rc0 == LEDGER_CORRUPT));

	rc = ledger_charge(path, c, 2, FUZZ_NOW, &cause);
	if (rc0 == LEDGER_CORRUPT) {
		FUZZ_CHECK(rc == LEDGER_CORRUPT && cause != NULL);
		FUZZ_CHECK(fuzz_same(path, data, size));
		free(cause);
		free(path);
		return (0);
	}
	FUZZ_CHECK(rc == LEDGER_OK || rc == LEDGER_OVER_QUOTA);
	FUZZ_CHECK(rc == LEDGER_OVER_QUOTA || cause == NULL);
	FUZZ_CHECK((rc == LEDGER_OVER_QUOTA) == (before[0] >= 5));
	free(cause);
	for (i = 0; i < 2; i++) {
		cause = NULL;
		rc = ledger_count(path, &c[i].addr, FUZZ_NOW, &after[i],
		    &cause);
		if (rc != LEDGER_OK)
			fprintf(stderr, "%s\n", cause);
		FUZZ_CHECK(rc == LEDGER_OK);
		want = before[0] >= 5 || before[i] == UINT32_MAX ?
		    before[i] : before[i] + 1;
		if (after[i] != want)
			fprintf(stderr, "target %zu: %u before the charge, %u"
			    " after, wanted %u\n", i, before[i], after[i], want);
		FUZZ_CHECK(after[i] == want);
	}
	/* Over quota, nothing was written: write it first. */
	FUZZ_CHECK(ledger_charge(path, NULL, 0, FUZZ_NOW, &cause) ==
	    LEDGER_OK);
	written = fuzz_slurp(path, &nwritten);
	FUZZ_CHECK(written != NULL);
	rc = ledger_charge(path, NULL, 0, FUZZ_NOW, &cause);
	if (rc != LEDGER_OK)
		fprintf(stderr, "%s\n", cause);
	FUZZ_CHECK(rc == LEDGER_OK);
	FUZZ_CHECK(fuzz_same(path, written, nwritten));
	free(written);
	free(path);
	return (0);
}
