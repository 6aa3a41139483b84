/*
 * Escaping: whatever bytes come in, each format gets valid UTF-8 in
 * which nothing can end a string, an attribute or a comment, or drive a
 * terminal.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include "output-escape.h"
#include "output-fixture.h"
#include "xmalloc.h"

static char *(*const escapers[])(const void *, size_t) = {
	output_escape_xml, output_escape_xml_comment, output_escape_json,
	output_escape_text,
};

#define NESCAPERS	(sizeof escapers / sizeof escapers[0])

/* Each invalid sequence, and what must be left of it. */
static const struct {
	const char	*in;
	const char	*out;
} bad_utf8[] = {
	{ "\xff", "\xef\xbf\xbd" },			/* never in UTF-8 */
	{ "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd" },	/* overlong "/" */
	{ "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
							/* surrogate */
	{ "\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbd" },				/* above U+10FFFF */
	{ "\xe2\x82", "\xef\xbf\xbd\xef\xbf\xbd" },	/* cut short */
	{ "\x80", "\xef\xbf\xbd" },			/* lone continuation */
};

static void
test_escape_xml_turns_markup_into_entities(void)
{
	char	*e = output_escape_xml("<a href=\"x\">&'</a>", 18);

	CU_ASSERT_STRING_EQUAL(e,
	    "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
	free(e);
}

static void
test_escape_xml_replaces_characters_xml_1_0_forbids(void)
{
	char	*e = output_escape_xml("a\0b\033c\xef\xbf\xbe" "d", 9);

	CU_ASSERT_STRING_EQUAL(e, "a\xef\xbf\xbd" "b\xef\xbf\xbd"
	    "c\xef\xbf\xbd" "d");
	free(e);
}

static void
test_escape_xml_keeps_whitespace_as_character_references(void)
{
	char	*e = output_escape_xml("a\tb\nc\rd", 7);

	CU_ASSERT_STRING_EQUAL(e, "a&#9;b&#10;c&#13;d");
	free(e);
}

static void
test_escape_xml_writes_del_and_c1_as_references(void)
{
	char	*e = output_escape_xml("\x7f\xc2\x9b" "1m", 5);

	CU_ASSERT_STRING_EQUAL(e, "&#127;&#155;1m");
	free(e);
}

static void
test_escape_json_escapes_quotes_backslashes_and_controls(void)
{
	char	*e = output_escape_json("\"\\\n\t\x01\x7f\0x", 8);

	CU_ASSERT_STRING_EQUAL(e, "\\\"\\\\\\n\\t\\u0001\\u007F\\u0000x");
	free(e);
}

static void
test_escape_json_escapes_line_separators(void)
{
	char	*e = output_escape_json("a\xe2\x80\xa8" "b", 5);

	CU_ASSERT_STRING_EQUAL(e, "a\\u2028b");
	free(e);
}

static void
test_escape_text_shows_terminal_escapes_as_text(void)
{
	char	*e = output_escape_text("\033[2J\x07\xc2\x9b" "1m\xe2\x80\xae"
	    "x\x7f", 14);

	CU_ASSERT_STRING_EQUAL(e, "\\x1B[2J\\x07\\x9B1m\\u202Ex\\x7F");
	free(e);
}

static void
test_escape_keeps_valid_utf8(void)
{
	const char	*s = "caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80";
	size_t		 i;
	char		*e;

	for (i = 0; i < NESCAPERS; i++) {
		e = escapers[i](s, strlen(s));
		CU_ASSERT_STRING_EQUAL(e, s);
		free(e);
	}
}

static void
test_escape_replaces_each_invalid_utf8_byte(void)
{
	size_t	i, j;
	char	*e;

	for (i = 0; i < sizeof bad_utf8 / sizeof bad_utf8[0]; i++) {
		for (j = 0; j < NESCAPERS; j++) {
			e = escapers[j](bad_utf8[i].in, strlen(bad_utf8[i].in));
			CU_ASSERT_STRING_EQUAL(e, bad_utf8[i].out);
			free(e);
		}
	}
}

static void
test_escape_xml_comment_never_holds_two_hyphens(void)
{
	char	*e = output_escape_xml_comment("--purpose x---", 14);

	CU_ASSERT_PTR_NULL(strstr(e, "--"));
	CU_ASSERT(e[strlen(e) - 1] != '-');
	CU_ASSERT_STRING_EQUAL(e, "- -purpose x- - - ");
	free(e);
}

static void
test_escape_hostile_banner_gives_valid_utf8_without_controls(void)
{
	size_t	 i;
	char	*e;

	for (i = 0; i < NESCAPERS; i++) {
		e = escapers[i](fixture_hostile, fixture_hostile_len);
		CU_ASSERT(fixture_utf8_valid(e, strlen(e)));
		CU_ASSERT(!fixture_has_control(e, ""));
		CU_ASSERT_PTR_NULL(strstr(e, "\xc2\x9b"));
		free(e);
	}
}

/* A megabyte line of everything at once, in each format. */
static void
test_escape_handles_a_megabyte_line(void)
{
	size_t	 len = 1 << 20, i;
	char	*big = xmalloc(len), *e;

	for (i = 0; i < len; i++)
		big[i] = fixture_hostile[i % fixture_hostile_len];
	for (i = 0; i < NESCAPERS; i++) {
		e = escapers[i](big, len);
		CU_ASSERT(strlen(e) >= len / 2);
		CU_ASSERT(fixture_utf8_valid(e, strlen(e)));
		CU_ASSERT(!fixture_has_control(e, ""));
		free(e);
	}
	free(big);
}

static void
test_escape_cut_keeps_short_text_whole(void)
{
	char	*e = output_escape_cut("a\033]0;x\007b", 8, 8);

	CU_ASSERT_STRING_EQUAL(e, "a\\x1B]0;x\\x07b");
	free(e);
}

/* Head and tail by characters, never half a UTF-8 sequence. */
static void
test_escape_cut_keeps_head_and_tail_and_counts_the_rest(void)
{
	char	*e;

	e = output_escape_cut("0123456789abcdef", 16, 6);
	CU_ASSERT_STRING_EQUAL(e, "012...[+10 bytes]...def");
	free(e);
	e = output_escape_cut("\xc3\xa9\xc3\xa9\xc3\xa9xyz\xe2\x80\xae"
	    "\xc3\xa9", 14, 4);
	CU_ASSERT_STRING_EQUAL(e, "\xc3\xa9\xc3\xa9...[+5 bytes]..."
	    "\\u202E\xc3\xa9");
	free(e);
}

static void
test_escape_cut_bounds_a_megabyte_line(void)
{
	size_t	 len = 1 << 20, i;
	char	*big = xmalloc(len), *e;

	for (i = 0; i < len; i++)
		big[i] = fixture_hostile[i % fixture_hostile_len];
	e = output_escape_cut(big, len, 80);
	/* Each character escapes to at most 6 bytes ("\u202E"). */
	CU_ASSERT(strlen(e) <= 80 * 6 + 32);
	CU_ASSERT_PTR_NOT_NULL(strstr(e, "...[+"));
	CU_ASSERT(fixture_utf8_valid(e, strlen(e)));
	CU_ASSERT(!fixture_has_control(e, ""));
	free(e);
	free(big);
}

static const struct unit_test tests[] = {
	TEST(test_escape_xml_turns_markup_into_entities),
	TEST(test_escape_xml_replaces_characters_xml_1_0_forbids),
	TEST(test_escape_xml_keeps_whitespace_as_character_references),
	TEST(test_escape_xml_writes_del_and_c1_as_references),
	TEST(test_escape_json_escapes_quotes_backslashes_and_controls),
	TEST(test_escape_json_escapes_line_separators),
	TEST(test_escape_text_shows_terminal_escapes_as_text),
	TEST(test_escape_keeps_valid_utf8),
	TEST(test_escape_replaces_each_invalid_utf8_byte),
	TEST(test_escape_xml_comment_never_holds_two_hyphens),
	TEST(test_escape_hostile_banner_gives_valid_utf8_without_controls),
	TEST(test_escape_handles_a_megabyte_line),
	TEST(test_escape_cut_keeps_short_text_whole),
	TEST(test_escape_cut_keeps_head_and_tail_and_counts_the_rest),
	TEST(test_escape_cut_bounds_a_megabyte_line),
	TEST_END
};

UNIT_MAIN("output-escape", tests)
