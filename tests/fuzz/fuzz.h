/*
 * Fuzz harnesses: each tests/fuzz/fuzz-<parser>.c gives one parser of
 * untrusted input to LLVMFuzzerTestOneInput. run.sh builds them with
 * clang -fsanitize=fuzzer; replay.c is a main() that feeds them every
 * file of a corpus instead, so that make check replays the corpora with
 * any compiler. A harness aborts when an invariant of the parser fails,
 * so a wrong answer counts as a crash.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int		 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The input up to its first NUL as a string; the caller frees it. */
char		*fuzz_string(const uint8_t *, size_t);
/*
 * The path of name in this process's scratch directory (made on first
 * use, removed at exit), which the caller frees; when data is not NULL,
 * the input is written there first.
 */
char		*fuzz_file(const char *, const uint8_t *, size_t);

#define FUZZ_CHECK(e) do {						\
	if (!(e)) {							\
		fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
		    __FILE__, __LINE__, #e);				\
		abort();						\
	}								\
} while (0)

#endif
