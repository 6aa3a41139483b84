/*
 * Escaping for the outputs. Whatever a target sends is decoded as strict
 * UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF); each byte that does not start a valid sequence becomes
 * U+FFFD. Each code point is then written by the format's own function,
 * so every output is valid UTF-8 and nothing a target sends can end an
 * attribute, a string or a comment, or move a terminal's cursor.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output-escape.h"
#include "xmalloc.h"

#define REPLACEMENT	0xFFFD

struct escape_buf {
	char	*s;
	size_t	 len;
	size_t	 size;
};

typedef void escape_fn(struct escape_buf *, uint32_t);

static void	buf_add(struct escape_buf *, const char *, size_t);
static void	buf_str(struct escape_buf *, const char *);
static void	buf_utf8(struct escape_buf *, uint32_t);
static size_t	utf8_decode(const uint8_t *, size_t, uint32_t *);
static int	is_control(uint32_t);
static char	*escape(const void *, size_t, escape_fn *);
static void	escape_xml_one(struct escape_buf *, uint32_t);
static void	escape_json_one(struct escape_buf *, uint32_t);
static void	escape_text_one(struct escape_buf *, uint32_t);
static void	escape_comment_one(struct escape_buf *, uint32_t);

/*
 * The lead bytes of multi-byte sequences: the length and the range the
 * second byte must be in (which rules out overlong forms, surrogates and
 * code points above U+10FFFF); later bytes are 0x80-0xBF.
 */
static const struct {
	uint8_t	lo, hi;		/* lead byte range */
	uint8_t	len;
	uint8_t	second_lo, second_hi;
} utf8_leads[] = {
	{ 0xC2, 0xDF, 2, 0x80, 0xBF },
	{ 0xE0, 0xE0, 3, 0xA0, 0xBF },
	{ 0xE1, 0xEC, 3, 0x80, 0xBF },
	{ 0xED, 0xED, 3, 0x80, 0x9F },
	{ 0xEE, 0xEF, 3, 0x80, 0xBF },
	{ 0xF0, 0xF0, 4, 0x90, 0xBF },
	{ 0xF1, 0xF3, 4, 0x80, 0xBF },
	{ 0xF4, 0xF4, 4, 0x80, 0x8F },
};

/* Code points above U+009F that reorder or break text on a terminal. */
static const struct {
	uint32_t	lo, hi;
} text_controls[] = {
	{ 0x200E, 0x200F },	/* left-to-right and right-to-left marks */
	{ 0x2028, 0x2029 },	/* line and paragraph separators */
	{ 0x202A, 0x202E },	/* bidirectional embeddings and overrides */
	{ 0x2066, 0x2069 },	/* bidirectional isolates */
};

/* JSON's short escapes; the other control characters are \u00XX. */
static const char *const json_short[0x20] = {
	['\b'] = "\\b", ['\f'] = "\\f", ['\n'] = "\\n", ['\r'] = "\\r",
	['\t'] = "\\t",
};

static void
buf_add(struct escape_buf *b, const char *s, size_t len)
{
	if (b->len + len + 1 > b->size) {
		while (b->len + len + 1 > b->size)
			b->size = b->size == 0 ? 64 : b->size * 2;
		b->s = xreallocarray(b->s, 1, b->size);
	}
	memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
}

static void
buf_str(struct escape_buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void
buf_utf8(struct escape_buf *b, uint32_t cp)
{
	char	u[4];
	size_t	n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	buf_add(b, u, n);
}

/* Decode one code point at s; returns the bytes used (at least 1). */
static size_t
utf8_decode(const uint8_t *s, size_t len, uint32_t *cp)
{
	size_t	i, j, n;

	*cp = REPLACEMENT;
	if (s[0] < 0x80) {
		*cp = s[0];
		return (1);
	}
	for (i = 0; i < sizeof utf8_leads / sizeof utf8_leads[0]; i++) {
		if (s[0] >= utf8_leads[i].lo && s[0] <= utf8_leads[i].hi)
			break;
	}
	if (i == sizeof utf8_leads / sizeof utf8_leads[0])
		return (1);
	n = utf8_leads[i].len;
	if (len < n || s[1] < utf8_leads[i].second_lo ||
	    s[1] > utf8_leads[i].second_hi)
		return (1);
	for (j = 2; j < n; j++)
		if ((s[j] & 0xC0) != 0x80)
			return (1);
	*cp = s[0] & (0x7F >> n);
	for (j = 1; j < n; j++)
		*cp = *cp << 6 | (s[j] & 0x3F);
	return (n);
}

/* C0, DEL, C1 and the format characters of text_controls. */
static int
is_control(uint32_t cp)
{
	size_t	i;

	if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
		return (1);
	for (i = 0; i < sizeof text_controls / sizeof text_controls[0]; i++)
		if (cp >= text_controls[i].lo && cp <= text_controls[i].hi)
			return (1);
	return (0);
}

static char *
escape(const void *in, size_t len, escape_fn *fn)
{
	struct escape_buf	 b = { NULL, 0, 0 };
	const uint8_t		*s = in;
	uint32_t		 cp;
	size_t			 i = 0;

	buf_add(&b, "", 0);
	while (i < len) {
		i += utf8_decode(s + i, len - i, &cp);
		fn(&b, cp);
	}
	return (b.s);
}

/* XML 1.0 allows tab, LF, CR and U+0020 up, less U+FFFE and U+FFFF. */
static void
escape_xml_one(struct escape_buf *b, uint32_t cp)
{
	char	ref[16];

	switch (cp) {
	case '&':
		buf_str(b, "&amp;");
		return;
	case '<':
		buf_str(b, "&lt;");
		return;
	case '>':
		buf_str(b, "&gt;");
		return;
	case '"':
		buf_str(b, "&quot;");
		return;
	case '\'':
		buf_str(b, "&apos;");
		return;
	}
	/*
	 * Whitespace as references, so attribute values keep it; DEL and
	 * C1 too, so no byte of the file can drive a terminal.
	 */
	if (cp == '\t' || cp == '\n' || cp == '\r' ||
	    (cp >= 0x7F && cp <= 0x9F)) {
		snprintf(ref, sizeof ref, "&#%u;", cp);
		buf_str(b, ref);
		return;
	}
	if (cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF)
		cp = REPLACEMENT;
	buf_utf8(b, cp);
}

static void
escape_json_one(struct escape_buf *b, uint32_t cp)
{
	char	u[16];

	if (cp == '"')
		buf_str(b, "\\\"");
	else if (cp == '\\')
		buf_str(b, "\\\\");
	else if (cp < 0x20 && json_short[cp] != NULL)
		buf_str(b, json_short[cp]);
	else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 ||
	    cp == 0x2029) {
		snprintf(u, sizeof u, "\\u%04X", cp);
		buf_str(b, u);
	} else
		buf_utf8(b, cp);
}

static void
escape_text_one(struct escape_buf *b, uint32_t cp)
{
	char	u[16];

	if (!is_control(cp)) {
		buf_utf8(b, cp);
		return;
	}
	if (cp < 0x100)
		snprintf(u, sizeof u, "\\x%02X", cp);
	else
		snprintf(u, sizeof u, "\\u%04X", cp);
	buf_str(b, u);
}

/* Text, less the two code points XML 1.0 does not allow. */
static void
escape_comment_one(struct escape_buf *b, uint32_t cp)
{
	if (cp == 0xFFFE || cp == 0xFFFF)
		cp = REPLACEMENT;
	escape_text_one(b, cp);
}

char *
output_escape_xml(const void *s, size_t len)
{
	return (escape(s, len, escape_xml_one));
}

char *
output_escape_json(const void *s, size_t len)
{
	return (escape(s, len, escape_json_one));
}

char *
output_escape_text(const void *s, size_t len)
{
	return (escape(s, len, escape_text_one));
}

bool
output_escape_has_control(const void *in, size_t len, uint32_t *cp)
{
	const uint8_t	*s = in;
	size_t		 i = 0;

	while (i < len) {
		i += utf8_decode(s + i, len - i, cp);
		if (is_control(*cp))
			return (true);
	}
	return (false);
}

char *
output_escape_cut(const void *in, size_t len, size_t max)
{
	struct escape_buf	 b = { NULL, 0, 0 };
	const uint8_t		*s = in;
	uint32_t		 cp;
	size_t			 i, n, head = 0, tail, keep = max - max / 2;
	char			*part, marker[64];

	for (i = 0, n = 0; i < len; n++) {
		i += utf8_decode(s + i, len - i, &cp);
		if (n + 1 == max / 2)
			head = i;
	}
	if (n <= max)
		return (output_escape_text(in, len));
	/* Walk again to find where the last keep characters start. */
	for (i = 0, tail = 0; tail < n - keep; tail++)
		i += utf8_decode(s + i, len - i, &cp);
	if (max / 2 == 0)
		head = 0;
	part = output_escape_text(s, head);
	buf_str(&b, part);
	free(part);
	snprintf(marker, sizeof marker, "...[+%zu bytes]...", i - head);
	buf_str(&b, marker);
	part = output_escape_text(s + i, len - i);
	buf_str(&b, part);
	free(part);
	return (b.s);
}

/*
 * A comment may hold any character XML allows, but not "--" and not a
 * final "-": the text form (no control characters), with a space put
 * between two hyphens and after a last one. Entities mean nothing there.
 */
char *
output_escape_xml_comment(const void *s, size_t len)
{
	struct escape_buf	 b = { NULL, 0, 0 };
	char			*text = escape(s, len, escape_comment_one), *p;

	buf_add(&b, "", 0);
	for (p = text; *p != '\0'; p++) {
		buf_add(&b, p, 1);
		if (*p == '-' && (p[1] == '-' || p[1] == '\0'))
			buf_add(&b, " ", 1);
	}
	free(text);
	return (b.s);
}
