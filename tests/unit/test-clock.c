/*
 * The clock: the real one moves forward; the virtual one stands still
 * until advanced, then jumps to the earliest armed timer and disarms
 * those it reaches, and says so when nothing is armed.
 */
#include <sys/timerfd.h>

#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "unit.h"

static void
test_clock_real_moves_forward_and_its_timer_fires(void)
{
	uint64_t	a, b, expired = 0;
	int		fd;

	CU_ASSERT_FALSE(clock_is_virtual());
	fd = timerfd_create(CLOCK_MONOTONIC, 0);
	CU_ASSERT_FATAL(fd != -1);
	a = clock_now_ns();
	clock_timer_set(fd, a + 2000000, a);
	CU_ASSERT(read(fd, &expired, sizeof expired) == sizeof expired);
	b = clock_now_ns();
	CU_ASSERT_EQUAL(expired, 1);
	CU_ASSERT(b >= a + 2000000);
	close(fd);
}

static void
test_clock_virtual_jumps_to_the_earliest_timer(void)
{
	clock_virtual_begin(1000);
	CU_ASSERT(clock_is_virtual());
	CU_ASSERT_EQUAL(clock_now_ns(), 1000);
	CU_ASSERT_FALSE(clock_virtual_advance());
	CU_ASSERT_EQUAL(clock_now_ns(), 1000);

	clock_timer_set(5, 9000, 1000);
	clock_timer_set(6, 4000, 1000);
	clock_timer_set(7, 4000, 1000);
	/* Re-armed: the last deadline counts. */
	clock_timer_set(5, 7000, 1000);
	CU_ASSERT(clock_virtual_advance());
	CU_ASSERT_EQUAL(clock_now_ns(), 4000);
	/* Both at 4000 were disarmed; 5 is next. */
	CU_ASSERT(clock_virtual_advance());
	CU_ASSERT_EQUAL(clock_now_ns(), 7000);
	CU_ASSERT_FALSE(clock_virtual_advance());

	/* A deadline already past does not move time back. */
	clock_timer_set(6, 500, 7000);
	CU_ASSERT(clock_virtual_advance());
	CU_ASSERT_EQUAL(clock_now_ns(), 7000);
	/* Disarmed (0) is not a deadline. */
	clock_timer_set(6, 8000, 7000);
	clock_timer_set(6, 0, 7000);
	CU_ASSERT_FALSE(clock_virtual_advance());

	clock_virtual_end();
	CU_ASSERT_FALSE(clock_is_virtual());
	CU_ASSERT(clock_now_ns() != 7000);
}

static const struct unit_test tests[] = {
	TEST(test_clock_real_moves_forward_and_its_timer_fires),
	TEST(test_clock_virtual_jumps_to_the_earliest_timer),
	TEST_END
};

UNIT_MAIN("clock", tests)
