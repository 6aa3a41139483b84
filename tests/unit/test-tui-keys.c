/*
 * The key table: one binding per key, screen and state, help for each,
 * and a status line that offers only the keys that work now.
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
			    (k[i].screens & k[j].screens) != 0 &&
			    k[i].when == k[j].when)
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
		CU_ASSERT_EQUAL(tui_keys_lookup(s, 0, KEY_F(1)), ACTION_HELP);
		CU_ASSERT_EQUAL(tui_keys_lookup(s, 0, '?'), ACTION_HELP);
		CU_ASSERT_EQUAL(tui_keys_lookup(s, TUI_WHEN_FIELD, KEY_F(1)),
		    ACTION_HELP);
	}
}

static void
test_tui_keys_live_screen_controls_the_scan(void)
{
	unsigned	run = TUI_WHEN_SCAN | TUI_WHEN_RUNNING | TUI_WHEN_GOING;

	CU_ASSERT_EQUAL(tui_keys_lookup(SCREEN_LIVE, run, 'p'), ACTION_PAUSE);
	CU_ASSERT_EQUAL(tui_keys_lookup(SCREEN_LIVE, run, '-'), ACTION_SLOWER);
	CU_ASSERT_EQUAL(tui_keys_lookup(SCREEN_LIVE, run, '+'), ACTION_FASTER);
	CU_ASSERT_EQUAL(tui_keys_lookup(SCREEN_LIVE, run, 'd'), ACTION_DETACH);
	CU_ASSERT_EQUAL(tui_keys_lookup(SCREEN_LIVE, run, 's'), ACTION_STOP);
	CU_ASSERT_EQUAL(tui_keys_lookup(SCREEN_HOSTS, run, 's'), ACTION_NONE);
}

/* After the scan ended, p, -, +, s and d do nothing: not offered. */
static void
test_tui_keys_scan_controls_only_while_it_runs(void)
{
	char	buf[512];
	int	keys[] = { 'p', '-', '+', 's', 'd' };
	size_t	i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		CU_ASSERT_EQUAL(tui_keys_lookup(SCREEN_LIVE, TUI_WHEN_SCAN,
		    keys[i]), ACTION_NONE);
	tui_keys_hint(SCREEN_LIVE, TUI_WHEN_SCAN, buf, sizeof buf);
	CU_ASSERT_PTR_NULL(strstr(buf, "pause"));
	CU_ASSERT_PTR_NULL(strstr(buf, "slower"));
	CU_ASSERT_PTR_NULL(strstr(buf, "stop"));
	CU_ASSERT_PTR_NULL(strstr(buf, "detach"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "h hosts"));
	tui_keys_hint(SCREEN_LIVE, TUI_WHEN_SCAN | TUI_WHEN_RUNNING |
	    TUI_WHEN_PAUSED, buf, sizeof buf);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "p resume"));
	CU_ASSERT_PTR_NULL(strstr(buf, "p pause"));
}

/* In a text field q types a q: F10 quits, Esc leaves the field. */
static void
test_tui_keys_text_field_offers_f10_not_q(void)
{
	char	buf[512];

	CU_ASSERT_EQUAL(tui_keys_lookup(SCREEN_BUILDER, TUI_WHEN_FIELD, 'q'),
	    ACTION_NONE);
	CU_ASSERT_EQUAL(tui_keys_lookup(SCREEN_BUILDER, TUI_WHEN_FIELD,
	    KEY_F(10)), ACTION_QUIT);
	tui_keys_hint(SCREEN_BUILDER, TUI_WHEN_FIELD, buf, sizeof buf);
	CU_ASSERT_PTR_NULL(strstr(buf, "q quit"));
	CU_ASSERT_PTR_NULL(strstr(buf, "? help"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "F10 quit"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "F1 help"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "Esc leave field"));
	CU_ASSERT_PTR_NULL(strstr(buf, "a scans"));
	tui_keys_hint(SCREEN_BUILDER, 0, buf, sizeof buf);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "q quit"));
	CU_ASSERT_PTR_NULL(strstr(buf, "F10"));
	CU_ASSERT_EQUAL(tui_keys_lookup(SCREEN_BUILDER, 0, 'q'), ACTION_QUIT);
}

/* At 80 columns help and quit are still offered, whole. */
static void
test_tui_keys_hint_fits_and_keeps_help_and_quit(void)
{
	char	buf[80];
	int	s;

	for (s = 0; s < SCREEN_MAX; s++) {
		tui_keys_hint(s, TUI_WHEN_SCAN | TUI_WHEN_RUNNING |
		    TUI_WHEN_GOING | TUI_WHEN_BACK, buf, sizeof buf);
		CU_ASSERT(strlen(buf) < sizeof buf);
		CU_ASSERT_PTR_NOT_NULL(strstr(buf, "? help"));
		CU_ASSERT_PTR_NOT_NULL(strstr(buf, "q quit"));
	}
	tui_keys_hint(SCREEN_LIVE, TUI_WHEN_SCAN | TUI_WHEN_RUNNING |
	    TUI_WHEN_GOING, buf, sizeof buf);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "p pause"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "s stop"));
	CU_ASSERT_PTR_NULL(strstr(buf, "/ filter"));
}

static const struct unit_test tests[] = {
	TEST(test_tui_keys_no_key_is_bound_twice_on_a_screen),
	TEST(test_tui_keys_every_binding_has_help),
	TEST(test_tui_keys_help_works_on_every_screen),
	TEST(test_tui_keys_live_screen_controls_the_scan),
	TEST(test_tui_keys_scan_controls_only_while_it_runs),
	TEST(test_tui_keys_text_field_offers_f10_not_q),
	TEST(test_tui_keys_hint_fits_and_keeps_help_and_quit),
	TEST_END
};

UNIT_MAIN("tui-keys", tests)
