/*
 * Fuzz scope_load(), the reader of authorization scope files, and ask
 * what loads about a few addresses.
 */
#include <sys/socket.h>

#include <string.h>

#include "fuzz.h"
#include "scope.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t	 v4[4] = { 198, 18, 0, 1 };
	struct target_addr	 a;
	struct scope		*s;
	char			*path, *cause = NULL;
	size_t			 i;

	path = fuzz_file("scope.yaml", data, size);
	if ((s = scope_load(path, &cause)) == NULL) {
		FUZZ_CHECK(cause != NULL);
		free(cause);
		free(path);
		return (0);
	}
	FUZZ_CHECK(cause == NULL && s->reference != NULL);
	FUZZ_CHECK(s->ninclude > 0 || s->nhostnames > 0);
	for (i = 0; i < s->ninclude; i++)
		FUZZ_CHECK(target_addr_cmp(&s->include[i].first,
		    &s->include[i].last) <= 0);
	if (scope_valid(s, 1795910400, &cause) != 0) {
		FUZZ_CHECK(cause != NULL);
		free(cause);
	}
	memset(&a, 0, sizeof a);
	a.family = AF_INET;
	memcpy(a.addr, v4, sizeof v4);
	scope_allows(s, &a, NULL);
	scope_allows(s, &a, "lab.example.org");
	a.family = AF_INET6;
	a.addr[0] = 0x20;
	a.addr[1] = 0x01;
	a.addr[3] = 0x02;
	scope_allows(s, &a, NULL);
	scope_free(s);
	free(path);
	return (0);
}
