/*
 * The line-numbered pass over profile and scope files. libcyaml maps a
 * document into a struct but reports neither the line of a syntax error
 * nor trailing junk in a number, so every file first goes through
 * libyaml's event parser here: a flat mapping of known keys to scalars
 * or sequences of scalars, each value kept with its line and column so
 * that any later check can say exactly where the mistake is.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yaml.h>

#include "output-escape.h"
#include "profile.h"
#include "tact.h"
#include "xmalloc.h"

static int	profile_check_lines(const char *, const char *, size_t,
		    char **);
static void	profile_check_place(const char *, size_t, size_t, unsigned *,
		    unsigned *);
static int	profile_check_syntax(const char *, const char *, size_t,
		    const yaml_parser_t *, char **);
static int	profile_check_next(const char *, const char *, size_t,
		    yaml_parser_t *, yaml_event_t *, char **);
static int	profile_check_value(const char *, const char *,
		    const yaml_event_t *, struct profile_check_item *,
		    char **);
static int	profile_check_entry(struct profile_check_map *, const char *,
		    size_t, yaml_parser_t *, const struct profile_check_key *,
		    const yaml_event_t *, char **);

void
profile_check_error(char **cause, const char *path, unsigned line,
    unsigned col, const char *fmt, ...)
{
	va_list	ap;
	char	msg[2 * PROFILE_CHECK_MAX_VALUE];

	va_start(ap, fmt);
	if (vsnprintf(msg, sizeof msg, fmt, ap) < 0)
		msg[0] = '\0';
	va_end(ap);
	xasprintf(cause, "%s:%u:%u: %s", path, line, col, msg);
}

/* Read a whole file, NUL-terminated, refusing anything but small files. */
int
profile_check_read(const char *path, char **buf, size_t *len, char **cause)
{
	struct stat	 st;
	ssize_t		 n;
	size_t		 got = 0;
	int		 fd;

	if ((fd = open(path, O_RDONLY)) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		xasprintf(cause, "%s: not a regular file", path);
		close(fd);
		return (-1);
	}
	if (st.st_size > PROFILE_CHECK_MAX_FILE) {
		xasprintf(cause, "%s: too big (more than %d bytes)", path,
		    PROFILE_CHECK_MAX_FILE);
		close(fd);
		return (-1);
	}
	*buf = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		n = read(fd, *buf + got, (size_t)st.st_size - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			xasprintf(cause, "%s: %s", path,
			    n == 0 ? "changed while read" : strerror(errno));
			free(*buf);
			close(fd);
			return (-1);
		}
		got += (size_t)n;
	}
	close(fd);
	(*buf)[got] = '\0';
	*len = got;
	return (0);
}

static int
profile_check_lines(const char *path, const char *buf, size_t len,
    char **cause)
{
	size_t		i, start = 0;
	unsigned	line = 1;

	for (i = 0; i <= len; i++) {
		if (i < len && buf[i] != '\n')
			continue;
		if (i - start > TACT_LINE_MAX) {
			profile_check_error(cause, path, line,
			    TACT_LINE_MAX + 1, "line too long (more than %d bytes)",
			    TACT_LINE_MAX);
			return (-1);
		}
		start = i + 1;
		line++;
	}
	return (0);
}

/* The line and column (from 1) of a byte offset. */
static void
profile_check_place(const char *buf, size_t len, size_t off, unsigned *line,
    unsigned *col)
{
	size_t	i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off && i < len; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else
			(*col)++;
	}
}

static int
profile_check_syntax(const char *path, const char *buf, size_t len,
    const yaml_parser_t *p, char **cause)
{
	unsigned	line, col;
	size_t		off;

	if (p->error == YAML_READER_ERROR) {
		profile_check_place(buf, len, p->problem_offset, &line, &col);
		if (p->problem_value != -1)
			profile_check_error(cause, path, line, col,
			    "%s (byte 0x%02x)", p->problem,
			    (unsigned)p->problem_value & 0xff);
		else
			profile_check_error(cause, path, line, col, "%s",
			    p->problem);
		return (-1);
	}
	off = p->problem_mark.index;
	if (off < len && buf[off] == '\t') {
		profile_check_error(cause, path, p->problem_mark.line + 1,
		    p->problem_mark.column + 1,
		    "tab character (indent with spaces)");
		return (-1);
	}
	profile_check_error(cause, path, p->problem_mark.line + 1,
	    p->problem_mark.column + 1, "%s%s%s",
	    p->problem != NULL ? p->problem : "bad YAML",
	    p->context != NULL ? " " : "",
	    p->context != NULL ? p->context : "");
	return (-1);
}

static int
profile_check_next(const char *path, const char *buf, size_t len,
    yaml_parser_t *p, yaml_event_t *ev, char **cause)
{
	if (!yaml_parser_parse(p, ev))
		return (profile_check_syntax(path, buf, len, p, cause));
	if (ev->type == YAML_ALIAS_EVENT) {
		profile_check_error(cause, path, ev->start_mark.line + 1,
		    ev->start_mark.column + 1, "aliases are not allowed");
		yaml_event_delete(ev);
		return (-1);
	}
	return (0);
}

static int
profile_check_value(const char *path, const char *key, const yaml_event_t *ev,
    struct profile_check_item *it, char **cause)
{
	const unsigned char	*v = ev->data.scalar.value;
	size_t			 n = ev->data.scalar.length;
	uint32_t		 cp;

	it->line = ev->start_mark.line + 1;
	it->col = ev->start_mark.column + 1;
	if (n > PROFILE_CHECK_MAX_VALUE) {
		profile_check_error(cause, path, it->line, it->col,
		    "%s: value too long (more than %d bytes)", key,
		    PROFILE_CHECK_MAX_VALUE);
		return (-1);
	}
	if (output_escape_has_control(v, n, &cp)) {
		profile_check_error(cause, path, it->line, it->col,
		    "%s: control character U+%04X in value", key, cp);
		return (-1);
	}
	it->value = xstrndup((const char *)v, n);
	return (0);
}

/* One key and its value; ev is the key's event. */
static int
profile_check_entry(struct profile_check_map *m, const char *buf, size_t len,
    yaml_parser_t *p, const struct profile_check_key *keys,
    const yaml_event_t *ev, char **cause)
{
	struct profile_check_entry	*e;
	const struct profile_check_entry *dup;
	const char			*path = m->path;
	yaml_event_t			 v;
	unsigned			 line, col;
	int				 seq;

	line = ev->start_mark.line + 1;
	col = ev->start_mark.column + 1;
	if (ev->type != YAML_SCALAR_EVENT) {
		profile_check_error(cause, path, line, col,
		    "a key must be a word");
		return (-1);
	}
	for (; keys->name != NULL; keys++) {
		if (strcmp(keys->name,
		    (const char *)ev->data.scalar.value) == 0)
			break;
	}
	if (keys->name == NULL) {
		profile_check_error(cause, path, line, col, "%.64s: unknown key",
		    (const char *)ev->data.scalar.value);
		return (-1);
	}
	if ((dup = profile_check_find(m, keys->name)) != NULL) {
		profile_check_error(cause, path, line, col,
		    "%s: given twice (first on line %u)", keys->name, dup->line);
		return (-1);
	}
	seq = keys->seq;
	m->entries = xreallocarray(m->entries, m->n + 1, sizeof *m->entries);
	e = &m->entries[m->n++];
	memset(e, 0, sizeof *e);
	e->key = xstrdup(keys->name);
	e->line = line;
	e->col = col;

	if (profile_check_next(path, buf, len, p, &v, cause) != 0)
		return (-1);
	line = v.start_mark.line + 1;
	col = v.start_mark.column + 1;
	if (v.type == YAML_SCALAR_EVENT && !seq) {
		e->items = xcalloc(1, sizeof *e->items);
		e->nitems = 1;
		if (profile_check_value(path, e->key, &v, e->items, cause) != 0)
			goto fail;
		yaml_event_delete(&v);
		return (0);
	}
	if (v.type != YAML_SEQUENCE_START_EVENT || !seq) {
		profile_check_error(cause, path, line, col, seq ?
		    "%s: wants a list, as [a, b]" :
		    "%s: wants a single value, not a list or mapping", e->key);
		goto fail;
	}
	for (;;) {
		yaml_event_delete(&v);
		if (profile_check_next(path, buf, len, p, &v, cause) != 0)
			return (-1);
		if (v.type == YAML_SEQUENCE_END_EVENT)
			break;
		if (v.type != YAML_SCALAR_EVENT) {
			profile_check_error(cause, path, v.start_mark.line + 1,
			    v.start_mark.column + 1,
			    "%s: wants a list of single values", e->key);
			goto fail;
		}
		e->items = xreallocarray(e->items, e->nitems + 1,
		    sizeof *e->items);
		if (profile_check_value(path, e->key, &v,
		    &e->items[e->nitems], cause) != 0)
			goto fail;
		e->nitems++;
	}
	yaml_event_delete(&v);
	return (0);

fail:
	yaml_event_delete(&v);
	return (-1);
}

/*
 * Walk buf (the contents of path) as one YAML document holding a mapping
 * of the given keys. On success m holds every key given, in order.
 */
int
profile_check_map(struct profile_check_map *m, const char *path,
    const char *buf, size_t len, const struct profile_check_key *keys,
    char **cause)
{
	yaml_parser_t	p;
	yaml_event_t	ev;
	int		rc = -1, have = 0;

	memset(m, 0, sizeof *m);
	m->path = xstrdup(path);
	if (profile_check_lines(path, buf, len, cause) != 0)
		return (-1);
	if (!yaml_parser_initialize(&p)) {
		xasprintf(cause, "%s: cannot start the YAML parser", path);
		return (-1);
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	for (;;) {
		if (profile_check_next(path, buf, len, &p, &ev, cause) != 0)
			goto out;
		switch (ev.type) {
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			break;
		case YAML_STREAM_END_EVENT:
			yaml_event_delete(&ev);
			if (!have) {
				profile_check_error(cause, path, 1, 1,
				    "empty file");
				goto out;
			}
			rc = 0;
			goto out;
		case YAML_DOCUMENT_START_EVENT:
			if (have) {
				profile_check_error(cause, path,
				    ev.start_mark.line + 1,
				    ev.start_mark.column + 1,
				    "more than one document");
				yaml_event_delete(&ev);
				goto out;
			}
			have = 1;
			break;
		case YAML_MAPPING_START_EVENT:
			yaml_event_delete(&ev);
			for (;;) {
				if (profile_check_next(path, buf, len, &p, &ev,
				    cause) != 0)
					goto out;
				if (ev.type == YAML_MAPPING_END_EVENT)
					break;
				if (profile_check_entry(m, buf, len, &p, keys,
				    &ev, cause) != 0) {
					yaml_event_delete(&ev);
					goto out;
				}
				yaml_event_delete(&ev);
			}
			break;
		default:
			profile_check_error(cause, path, ev.start_mark.line + 1,
			    ev.start_mark.column + 1,
			    "not a mapping of keys to values");
			yaml_event_delete(&ev);
			goto out;
		}
		yaml_event_delete(&ev);
	}
out:
	yaml_parser_delete(&p);
	if (rc != 0)
		profile_check_map_free(m);
	return (rc);
}

void
profile_check_map_free(struct profile_check_map *m)
{
	size_t	i, j;

	for (i = 0; i < m->n; i++) {
		for (j = 0; j < m->entries[i].nitems; j++)
			free(m->entries[i].items[j].value);
		free(m->entries[i].items);
		free(m->entries[i].key);
	}
	free(m->entries);
	free(m->path);
	memset(m, 0, sizeof *m);
}

const struct profile_check_entry *
profile_check_find(const struct profile_check_map *m, const char *key)
{
	size_t	i;

	for (i = 0; i < m->n; i++) {
		if (strcmp(m->entries[i].key, key) == 0)
			return (&m->entries[i]);
	}
	return (NULL);
}
