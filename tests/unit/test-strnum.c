/* Tests of strict number parsing. */
#include <stdlib.h>

#include "strnum.h"
#include "unit.h"

static void
test_strnum_accepts_in_range(void)
{
	uint64_t	 v;
	char		*cause = NULL;

	CU_ASSERT_EQUAL(strnum_u64("65535", 1, 65535, &v, &cause), 0);
	CU_ASSERT_EQUAL(v, 65535);
}

static void
test_strnum_rejects_trailing_junk(void)
{
	uint64_t	 v;
	char		*cause = NULL;

	CU_ASSERT_EQUAL(strnum_u64("100abc", 0, 1000, &v, &cause), -1);
	CU_ASSERT_STRING_EQUAL(cause, "\"100abc\": not a number");
	free(cause);
}

static void
test_strnum_rejects_out_of_range(void)
{
	uint64_t	 v;
	char		*cause = NULL;

	CU_ASSERT_EQUAL(strnum_u64("70000", 1, 65535, &v, &cause), -1);
	CU_ASSERT_STRING_EQUAL(cause, "\"70000\": out of range 1-65535");
	free(cause);
}

static void
test_strnum_rejects_sign_and_empty(void)
{
	uint64_t	 v;
	char		*cause = NULL;

	CU_ASSERT_EQUAL(strnum_u64("-1", 0, 10, &v, &cause), -1);
	free(cause);
	CU_ASSERT_EQUAL(strnum_u64("", 0, 10, &v, &cause), -1);
	free(cause);
	CU_ASSERT_EQUAL(strnum_u64(" 1", 0, 10, &v, &cause), -1);
	free(cause);
}

static void
test_strnum_double_rejects_nan(void)
{
	double	 d;
	char	*cause = NULL;

	CU_ASSERT_EQUAL(strnum_double("nan", 0, 10, &d, &cause), -1);
	free(cause);
	CU_ASSERT_EQUAL(strnum_double("2.5", 0, 10, &d, &cause), 0);
	CU_ASSERT_DOUBLE_EQUAL(d, 2.5, 1e-9);
}

static const struct unit_test tests[] = {
	TEST(test_strnum_accepts_in_range),
	TEST(test_strnum_rejects_trailing_junk),
	TEST(test_strnum_rejects_out_of_range),
	TEST(test_strnum_rejects_sign_and_empty),
	TEST(test_strnum_double_rejects_nan),
	TEST_END
};

UNIT_MAIN("strnum", tests)
