/*
 * Escaping for the outputs: every string that came from the network (a
 * banner, a hostname) or from a file passes through one of these before
 * it is written. Each takes bytes that may be anything (NUL, invalid
 * UTF-8, terminal escapes) and returns a new NUL-terminated string that
 * is valid UTF-8 and safe in its format; the caller frees it.
 */
#ifndef OUTPUT_ESCAPE_H
#define OUTPUT_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* XML 1.0 text or attribute value: entities, invalid characters replaced. */
char	*output_escape_xml(const void *, size_t);
/* The inside of an XML comment: as text, and never "--" or a final "-". */
char	*output_escape_xml_comment(const void *, size_t);
/* The inside of a JSON string: \" \\ \n and \u00XX for control characters. */
char	*output_escape_json(const void *, size_t);
/* Terminal and text files: control characters shown as \xHH or \uHHHH. */
char	*output_escape_text(const void *, size_t);
/*
 * Does s hold a character the text form escapes: C0, DEL, C1 (U+0080
 * to U+009F) or one that reorders or breaks text (bidirectional marks,
 * embeddings, overrides and isolates, line and paragraph separators)?
 * The first one found goes in *cp; invalid UTF-8 is not looked at here.
 */
bool	 output_escape_has_control(const void *, size_t, uint32_t *);
/*
 * As text, of at most max characters of the input: a longer one keeps
 * its first and last max/2 around "...[+N bytes]...", N the bytes cut.
 */
char	*output_escape_cut(const void *, size_t, size_t);

#endif
