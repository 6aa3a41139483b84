/*
 * The dashboard's drawing helpers that decide something: the sparkline's
 * levels (a fixed scale, the whole history in the width given).
 */
#include <string.h>

#include "unit.h"
#include "tui.h"

/* A steady rate is one level, whatever else the scale allows. */
static void
test_tui_draw_spark_steady_rate_is_flat(void)
{
	uint32_t	v[40];
	uint8_t		l[64];
	size_t		i, n;

	for (i = 0; i < 40; i++)
		v[i] = 10000 + (i % 2) * 300;	/* 10/s, and 10.3/s */
	n = tui_draw_spark_levels(v, 40, 100000, 60, l, sizeof l);
	CU_ASSERT_EQUAL(n, 40);
	for (i = 0; i < n; i++)
		CU_ASSERT_EQUAL(l[i], 1);
	/* Against a 10/s cap: the top, not jitter. */
	n = tui_draw_spark_levels(v, 40, 10000, 60, l, sizeof l);
	for (i = 0; i < n; i++)
		CU_ASSERT_EQUAL(l[i], 8);
}

static void
test_tui_draw_spark_nothing_is_level_zero(void)
{
	uint32_t	v[3] = { 0, 1, 50000 };
	uint8_t		l[3];

	CU_ASSERT_EQUAL(tui_draw_spark_levels(v, 3, 100000, 10, l, 3), 3);
	CU_ASSERT_EQUAL(l[0], 0);
	CU_ASSERT_EQUAL(l[1], 1);
	CU_ASSERT_EQUAL(l[2], 4);
}

/* More values than columns: each column is a mean, none left out. */
static void
test_tui_draw_spark_fits_the_whole_history(void)
{
	uint32_t	v[200];
	uint8_t		l[64];
	size_t		i;

	for (i = 0; i < 200; i++)
		v[i] = i < 100 ? 0 : 8000;
	CU_ASSERT_EQUAL(tui_draw_spark_levels(v, 200, 8000, 50, l, sizeof l),
	    50);
	CU_ASSERT_EQUAL(l[0], 0);
	CU_ASSERT_EQUAL(l[24], 0);
	CU_ASSERT_EQUAL(l[25], 8);
	CU_ASSERT_EQUAL(l[49], 8);
}

static const struct unit_test tests[] = {
	TEST(test_tui_draw_spark_steady_rate_is_flat),
	TEST(test_tui_draw_spark_nothing_is_level_zero),
	TEST(test_tui_draw_spark_fits_the_whole_history),
	TEST_END
};

UNIT_MAIN("tui-draw", tests)
