/*
 * The CUnit harness: each tests/unit/test-<module>.c is one program with
 * one suite. List its tests with TEST(function) (the test's name is the
 * function's) and end the file with UNIT_MAIN("module", tests).
 */
#ifndef UNIT_H
#define UNIT_H

#include <CUnit/CUnit.h>

struct unit_test {
	const char	*name;
	void		(*fn)(void);
};

#define TEST(fn)	{ #fn, fn }
#define TEST_END	{ NULL, NULL }

int	unit_run(const char *, const struct unit_test *);

#define UNIT_MAIN(suite, tests)						\
	int								\
	main(void)							\
	{								\
		return (unit_run(suite, tests));			\
	}

/* A scratch file with the given contents; the caller unlinks and frees. */
char	*unit_tmpfile(const char *, size_t);

#endif
