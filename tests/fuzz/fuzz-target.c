/*
 * Fuzz the target specifications: the input as one specification
 * (target_parse_spec, --exclude's list) and as an -iL file of them
 * (target_set_add_file). Never with DNS: names are refused, not looked
 * up, so the harness sends nothing anywhere.
 */
#include <sys/socket.h>

#include <string.h>

#include "fuzz.h"
#include "target.h"

static void	fuzz_spec(const char *);
static void	fuzz_file_targets(const uint8_t *, size_t);
static int	fuzz_walk(const struct target_addr *,
		    const struct target_addr *, void *);

/* A run the set reports: one family, first <= last. */
static int
fuzz_walk(const struct target_addr *first, const struct target_addr *last,
    void *arg)
{
	uint64_t	*runs = arg;

	FUZZ_CHECK(first->family == last->family);
	FUZZ_CHECK(target_addr_cmp(first, last) <= 0);
	return (++*runs >= 4096);
}

static void
fuzz_spec(const char *s)
{
	struct target_spec	 ts;
	struct target_set	*set;
	char			*cause = NULL, buf[64];
	size_t			 i;

	if (target_parse_spec(&ts, s, TARGET_NO_DNS, &cause) == 0) {
		FUZZ_CHECK(cause == NULL && ts.n > 0);
		for (i = 0; i < ts.n; i++) {
			FUZZ_CHECK(ts.v[i].first.family == AF_INET ||
			    ts.v[i].first.family == AF_INET6);
			FUZZ_CHECK(ts.v[i].first.family ==
			    ts.v[i].last.family);
			FUZZ_CHECK(target_addr_cmp(&ts.v[i].first,
			    &ts.v[i].last) <= 0);
			target_addr_str(&ts.v[i].first, buf, sizeof buf);
			target_addr_str(&ts.v[i].last, buf, sizeof buf);
		}
		target_parse_free(&ts);
	} else {
		FUZZ_CHECK(cause != NULL && ts.n == 0 && ts.v == NULL);
		free(cause);
		cause = NULL;
	}

	set = target_set_create(TARGET_NO_DNS);
	if (target_set_exclude_list(set, s, &cause) != 0) {
		FUZZ_CHECK(cause != NULL);
		free(cause);
	}
	target_set_free(set);
}

/*
 * The input as an -iL file. Whatever it includes, the same file given
 * to --excludefile must take away again.
 */
static void
fuzz_file_targets(const uint8_t *data, size_t size)
{
	struct target_set	*set;
	struct target_addr	 a;
	char			*path, *cause = NULL, buf[64];
	uint64_t		 count, runs = 0;

	path = fuzz_file("targets", data, size);
	set = target_set_create(TARGET_NO_DNS);
	if (target_set_add_file(set, path, false, &cause) != 0) {
		FUZZ_CHECK(cause != NULL);
		free(cause);
		target_set_free(set);
		free(path);
		return;
	}
	if (target_set_finish(set, &cause) == 0) {
		count = target_set_count(set);
		FUZZ_CHECK(count > 0);
		target_set_get(set, 0, &a);
		target_addr_str(&a, buf, sizeof buf);
		target_set_get(set, count - 1, &a);
		target_addr_str(&a, buf, sizeof buf);
		FUZZ_CHECK(target_set_hostname(set, 0) == NULL);
		target_set_walk(set, fuzz_walk, &runs);
		FUZZ_CHECK(runs > 0);
	} else {
		FUZZ_CHECK(cause != NULL);
		free(cause);
		cause = NULL;
	}
	target_set_free(set);

	set = target_set_create(TARGET_NO_DNS);
	FUZZ_CHECK(target_set_add_file(set, path, false, &cause) == 0);
	FUZZ_CHECK(target_set_add_file(set, path, true, &cause) == 0);
	FUZZ_CHECK(target_set_finish(set, &cause) != 0);
	FUZZ_CHECK(strcmp(cause, "no targets") == 0 ||
	    strcmp(cause, "every target is excluded") == 0);
	free(cause);
	target_set_free(set);
	free(path);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s;

	s = fuzz_string(data, size);
	fuzz_spec(s);
	free(s);
	fuzz_file_targets(data, size);
	return (0);
}
