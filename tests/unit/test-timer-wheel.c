/*
 * Timer lists and the timer wheel: FIFO order, entries come out of the
 * wheel no sooner than due and in the order of their slots (also past a
 * turn of the wheel and across a jump of the clock), removal from
 * anywhere, and the next deadline is the earliest entry's.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "unit.h"

#include "timer-wheel.h"

#define US	1000ULL

static void
test_timer_list_is_fifo_and_unlinks_from_the_middle(void)
{
	struct timer_list	l = { NULL, NULL, NULL };
	struct timer_entry	e[4] = { { 0 } };
	int			i;

	for (i = 0; i < 4; i++)
		timer_list_append(&l, &e[i]);
	timer_entry_unlink(&e[2]);
	CU_ASSERT_PTR_NULL(e[2].list);
	timer_entry_unlink(&e[2]);	/* in nothing: nothing happens */
	CU_ASSERT_PTR_EQUAL(timer_list_pop(&l), &e[0]);
	CU_ASSERT_PTR_EQUAL(timer_list_pop(&l), &e[1]);
	CU_ASSERT_PTR_EQUAL(timer_list_pop(&l), &e[3]);
	CU_ASSERT_PTR_NULL(timer_list_pop(&l));
	CU_ASSERT_PTR_NULL(l.tail);
}

static void
test_timer_wheel_gives_nothing_before_it_is_due(void)
{
	struct timer_wheel	w;
	struct timer_entry	a = { 0 }, b = { 0 };

	timer_wheel_init(&w, 10, 8, 0);
	timer_wheel_add(&w, &a, 5000 * US);
	timer_wheel_add(&w, &b, 5000 * US + 1);
	CU_ASSERT_PTR_NULL(timer_wheel_due(&w, 4999 * US));
	CU_ASSERT_EQUAL(timer_wheel_next(&w), 5000 * US);
	CU_ASSERT_PTR_EQUAL(timer_wheel_due(&w, 5000 * US), &a);
	/* Same slot, one nanosecond later: not yet. */
	CU_ASSERT_PTR_NULL(timer_wheel_due(&w, 5000 * US));
	CU_ASSERT_EQUAL(timer_wheel_next(&w), 5000 * US + 1);
	CU_ASSERT_PTR_EQUAL(timer_wheel_due(&w, 5000 * US + 1), &b);
	CU_ASSERT_EQUAL(timer_wheel_next(&w), UINT64_MAX);
	CU_ASSERT_EQUAL(w.n, 0);
	timer_wheel_free(&w);
}

/*
 * 2000 entries at random times up to 3 turns of a 256-slot wheel ahead,
 * some removed, taken out as the clock moves in uneven steps: each comes
 * out once, no sooner than due, in the step it became due in, and in
 * order of slot within it.
 */
static void
test_timer_wheel_orders_by_slot_across_turns(void)
{
	struct timer_wheel	 w;
	struct timer_entry	*e, *all;
	uint64_t		 turn = 256ULL << 10, now, prev = 0, last;
	size_t			 n = 2000, i, got = 0, removed = 0;
	bool			*seen;

	srandom(7);
	all = calloc(n, sizeof *all);
	seen = calloc(n, sizeof *seen);
	timer_wheel_init(&w, 10, 8, 0);
	for (i = 0; i < n; i++)
		timer_wheel_add(&w, &all[i], (uint64_t)random() % (3 * turn));
	for (i = 0; i < n; i += 7) {
		timer_entry_unlink(&all[i]);
		seen[i] = true;
		removed++;
	}
	CU_ASSERT_EQUAL(w.n, n - removed);
	for (now = 0; now < 4 * turn; now += (uint64_t)random() % 50000) {
		last = 0;
		while ((e = timer_wheel_due(&w, now)) != NULL) {
			i = (size_t)(e - all);
			CU_ASSERT_FATAL(!seen[i]);
			seen[i] = true;
			got++;
			CU_ASSERT_FATAL(e->when_ns <= now);
			CU_ASSERT_FATAL(now == 0 || e->when_ns > prev);
			CU_ASSERT_FATAL(e->when_ns >> 10 >= last >> 10);
			last = e->when_ns;
		}
		CU_ASSERT_FATAL(timer_wheel_next(&w) > now);
		prev = now;
	}
	CU_ASSERT_EQUAL(got, n - removed);
	CU_ASSERT_EQUAL(w.n, 0);
	timer_wheel_free(&w);
	free(all);
	free(seen);
}

/* An entry a turn and more ahead waits for its own turn. */
static void
test_timer_wheel_keeps_a_later_turn_for_later(void)
{
	struct timer_wheel	w;
	struct timer_entry	far = { 0 }, near = { 0 };
	uint64_t		turn = 64ULL << 10;

	timer_wheel_init(&w, 10, 6, 0);
	timer_wheel_add(&w, &far, 2 * turn + 5);	/* slot 0, 2 turns on */
	timer_wheel_add(&w, &near, turn - 1);		/* the last slot */
	CU_ASSERT_EQUAL(timer_wheel_next(&w), turn - 1);
	CU_ASSERT_PTR_EQUAL(timer_wheel_due(&w, turn + 5), &near);
	CU_ASSERT_PTR_NULL(timer_wheel_due(&w, 2 * turn + 4));
	CU_ASSERT_EQUAL(timer_wheel_next(&w), 2 * turn + 5);
	CU_ASSERT_PTR_EQUAL(timer_wheel_due(&w, 2 * turn + 5), &far);
	timer_wheel_free(&w);
}

/* A deadline already past is due at once, at any later call. */
static void
test_timer_wheel_takes_a_past_deadline_at_once(void)
{
	struct timer_wheel	w;
	struct timer_entry	a = { 0 };

	timer_wheel_init(&w, 10, 8, 1000000);
	CU_ASSERT_PTR_NULL(timer_wheel_due(&w, 9000000));
	timer_wheel_add(&w, &a, 10);
	CU_ASSERT(timer_wheel_next(&w) <= 9000000);
	CU_ASSERT_PTR_EQUAL(timer_wheel_due(&w, 9000000), &a);
	timer_wheel_free(&w);
}

static const struct unit_test tests[] = {
	TEST(test_timer_list_is_fifo_and_unlinks_from_the_middle),
	TEST(test_timer_wheel_gives_nothing_before_it_is_due),
	TEST(test_timer_wheel_orders_by_slot_across_turns),
	TEST(test_timer_wheel_keeps_a_later_turn_for_later),
	TEST(test_timer_wheel_takes_a_past_deadline_at_once),
	TEST_END
};

UNIT_MAIN("timer-wheel", tests);
