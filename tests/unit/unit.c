/*
 * Run one CUnit suite and turn its result into an automake test status:
 * 0 when every test passed, 1 when any failed, 99 when CUnit itself
 * could not run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "unit.h"

int
unit_run(const char *suite, const struct unit_test *tests)
{
	CU_pSuite	s;
	unsigned	failed, run;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return (99);
	if ((s = CU_add_suite(suite, NULL, NULL)) == NULL)
		return (99);
	for (; tests->name != NULL; tests++) {
		if (CU_add_test(s, tests->name, tests->fn) == NULL)
			return (99);
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	if (CU_basic_run_tests() != CUE_SUCCESS)
		return (99);
	failed = CU_get_number_of_tests_failed();
	run = CU_get_number_of_tests_run();
	CU_cleanup_registry();
	if (run == 0)
		return (99);
	return (failed == 0 ? 0 : 1);
}

char *
unit_tmpfile(const char *contents, size_t len)
{
	char	*path;
	int	 fd;

	path = strdup("/tmp/tact-unit-XXXXXX");
	if (path == NULL || (fd = mkstemp(path)) == -1)
		abort();
	if (write(fd, contents, len) != (ssize_t)len)
		abort();
	close(fd);
	return (path);
}
