/*
 * The key table: one binding per key and screen, help for each binding
 * on each of its screens, and the status line's hints.
 */
#include <string.h>

#include "unit.h"
#include "tui.h"

static void
test_tui_keys_no_key_is_bound_twice_on_a_screen(void)
{
	const struct tui_key	*k;
	size_t			 n, i, j;

	k = tui_keys_table(&n);
	for (i = 0; i < n; i++) {
		for (j = i + 1; j < n; j++) {
			if (k[i].key == k[j].key &&
			    (k[i].screens & k[j].screens) != 0)
				CU_FAIL("a key is bound twice on one screen");
		}
	}
}

/*
 * A binding with no help of its own is shown with the nearest one above
 * that has help (screen-help.c): on each of its screens that one must
 * be there too and do the same, or the binding is missing from the help
 * screen or described as something else.
 */
static void
test_tui_keys_every_binding_has_help(void)
{
	const struct tui_key	*k;
	size_t			 n, i, j;
	int			 s;

	k = tui_keys_table(&n);
	CU_ASSERT_FATAL(n > 0);
	for (i = 0; i < n; i++) {
		CU_ASSERT(k[i].screens != 0);
		CU_ASSERT(k[i].action != ACTION_NONE);
		CU_ASSERT(k[i].name != NULL && k[i].name[0] != '\0');
		CU_ASSERT(k[i].help == NULL || k[i].help[0] != '\0');
		for (j = i; j > 0 && k[j].help == NULL; j--)
			continue;
		if (k[j].help == NULL) {
			CU_FAIL("a binding has no help above it");
			continue;
		}
		CU_ASSERT_EQUAL(k[j].action, k[i].action);
		for (s = 0; s < SCREEN_MAX; s++) {
			if ((k[i].screens & SCREEN_BIT(s)) &&
			    !(k[j].screens & SCREEN_BIT(s)))
				CU_FAIL("a binding has no help on a screen");
		}
	}
}

static void
test_tui_keys_help_works_on_every_screen(void)
{
	int	s;

	for (s = 0; s < SCREEN_MAX; s++) {
		CU_ASSERT_EQUAL(tui_keys_lookup(s, KEY_F(1)), ACTION_HELP);
		CU_ASSERT_EQUAL(tui_keys_lookup(s, '?'), ACTION_HELP);
	}
}

static void
test_tui_keys_live_screen_controls_the_scan(void)
{
	CU_ASSERT_EQUAL(tui_keys_lookup(SCREEN_LIVE, 'p'), ACTION_PAUSE);
	CU_ASSERT_EQUAL(tui_keys_lookup(SCREEN_LIVE, '-'), ACTION_SLOWER);
	CU_ASSERT_EQUAL(tui_keys_lookup(SCREEN_LIVE, '+'), ACTION_FASTER);
	CU_ASSERT_EQUAL(tui_keys_lookup(SCREEN_LIVE, 'd'), ACTION_DETACH);
	CU_ASSERT_EQUAL(tui_keys_lookup(SCREEN_LIVE, 's'), ACTION_STOP);
	CU_ASSERT_EQUAL(tui_keys_lookup(SCREEN_HOSTS, 's'), ACTION_NONE);
}

static void
test_tui_keys_hint_names_the_screens_keys(void)
{
	char	buf[512];

	tui_keys_hint(SCREEN_LIVE, buf, sizeof buf);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "p pause"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "s stop"));
	CU_ASSERT_PTR_NULL(strstr(buf, "/ filter"));
	tui_keys_hint(SCREEN_HOSTS, buf, 10);
	CU_ASSERT(strlen(buf) < 10);
}

static const struct unit_test tests[] = {
	TEST(test_tui_keys_no_key_is_bound_twice_on_a_screen),
	TEST(test_tui_keys_every_binding_has_help),
	TEST(test_tui_keys_help_works_on_every_screen),
	TEST(test_tui_keys_live_screen_controls_the_scan),
	TEST(test_tui_keys_hint_names_the_screens_keys),
	TEST_END
};

UNIT_MAIN("tui-keys", tests)
