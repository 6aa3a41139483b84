/*
 * The parser of service probe databases, in the grammar of Nmap's
 * nmap-service-probes, which tact reads where Nmap is installed and in
 * which its own table is written:
 *
 *	Exclude T:9100-9107
 *	Probe TCP|UDP NAME q|DATA| [no-payload]
 *	match|softmatch SERVICE m|REGEX|[is] [p/../ v/../ i/../ h/../
 *	    o/../ d/../ cpe:/../[a]]
 *	ports LIST, sslports LIST, totalwaitms N, tcpwrappedms N,
 *	rarity N, fallback NAME[,NAME]
 *
 * Any character may delimit q, m and the templates. Regular expressions
 * are PCRE2's (the dialect the file is written in), compiled here with
 * the line kept for errors. Every error is one line, "path:line: reason".
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <errno.h>
#include <fcntl.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "service.h"
#include "strnum.h"
#include "xmalloc.h"

#define SERVICE_LINE_MAX	65536
#define SERVICE_PROBES_MAX	4096
#define SERVICE_MATCHES_MAX	100000

struct parse {
	const char		*name;
	unsigned		 line;
	struct service_db	*db;
	struct service_probe	*probe;		/* the current one */
	char			**fallback;	/* names, a line per probe */
	char			*cause;
};

static int	parse_error(struct parse *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static const char *skip_space(const char *, const char *);
static const char *word(const char *, const char *, char **);
static int	delimited(struct parse *, const char **, const char *,
		    const char *, char **, size_t *);
static size_t	unescape(const char *, size_t, uint8_t *);
static int	parse_probe(struct parse *, const char *, const char *);
static int	parse_match(struct parse *, const char *, const char *, bool);
static int	parse_number(struct parse *, const char *, const char *,
		    const char *, unsigned, unsigned, unsigned *);
static int	parse_ports(struct parse *, const char *, const char *,
		    const char *, unsigned, struct port_list *);
static int	parse_line(struct parse *, const char *, const char *);
static size_t	fallback_find(const struct service_db *, const char *,
		    uint8_t);
static int	parse_fallbacks(struct parse *);
static void	probe_free(struct service_probe *);

static int
parse_error(struct parse *ps, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	free(ps->cause);
	xasprintf(&ps->cause, "%s:%u: %s", ps->name, ps->line, msg);
	free(msg);
	return (-1);
}

static const char *
skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return (p);
}

/* The next word (up to a space); *out is allocated. */
static const char *
word(const char *p, const char *end, char **out)
{
	const char	*s;

	p = skip_space(p, end);
	s = p;
	while (p < end && *p != ' ' && *p != '\t')
		p++;
	*out = xstrndup(s, (size_t)(p - s));
	return (p);
}

/*
 * At *pp: prefix, a delimiter, text up to the same delimiter. The text
 * is returned (allocated, NUL-terminated, its length in *len) and *pp
 * left after the closing delimiter.
 */
static int
delimited(struct parse *ps, const char **pp, const char *end,
    const char *prefix, char **out, size_t *len)
{
	const char	*p = *pp, *close;
	size_t		 n = strlen(prefix);
	char		 d;

	if ((size_t)(end - p) < n + 1 || memcmp(p, prefix, n) != 0)
		return (parse_error(ps, "want %s followed by a delimiter",
		    prefix));
	d = p[n];
	p += n + 1;
	if ((close = memchr(p, d, (size_t)(end - p))) == NULL)
		return (parse_error(ps, "%s%c: no closing %c", prefix, d, d));
	*len = (size_t)(close - p);
	*out = xstrndup(p, *len);
	*pp = close + 1;
	return (0);
}

/* A probe's data with its C-like escapes; out has room for len bytes. */
static size_t
unescape(const char *s, size_t len, uint8_t *out)
{
	static const char	from[] = "0abfnrtv", to[] = "\0\a\b\f\n\r\t\v";
	const char		*c;
	size_t			 i, n = 0;
	unsigned		 v, d, k;

	for (i = 0; i < len; i++) {
		if (s[i] != '\\' || i + 1 == len) {
			out[n++] = (uint8_t)s[i];
			continue;
		}
		i++;
		if (s[i] == 'x') {
			for (v = 0, k = 0; k < 2 && i + 1 < len; k++) {
				c = strchr("0123456789abcdef",
				    s[i + 1] | 0x20);
				if (c == NULL || s[i + 1] == '\0')
					break;
				d = (unsigned)(c - "0123456789abcdef");
				v = v * 16 + d;
				i++;
			}
			out[n++] = (uint8_t)v;
		} else if ((c = strchr(from, s[i])) != NULL && s[i] != '\0')
			out[n++] = (uint8_t)to[c - from];
		else
			out[n++] = (uint8_t)s[i];
	}
	return (n);
}

/* Probe TCP|UDP NAME q|DATA| [no-payload] */
static int
parse_probe(struct parse *ps, const char *p, const char *end)
{
	struct service_db	*db = ps->db;
	struct service_probe	*pr;
	char			*proto, *name, *data;
	size_t			 len, i;

	if (db->nprobes == SERVICE_PROBES_MAX)
		return (parse_error(ps, "more than %d probes",
		    SERVICE_PROBES_MAX));
	p = word(p, end, &proto);
	p = word(p, end, &name);
	if (strcmp(proto, "TCP") != 0 && strcmp(proto, "UDP") != 0) {
		parse_error(ps, "Probe: \"%s\": want TCP or UDP", proto);
		goto fail;
	}
	if (name[0] == '\0') {
		parse_error(ps, "Probe: no name");
		goto fail;
	}
	for (i = 0; i < db->nprobes; i++) {
		if (strcmp(db->probes[i].name, name) == 0 &&
		    db->probes[i].proto == (proto[0] == 'T' ? PORT_TCP :
		    PORT_UDP)) {
			parse_error(ps, "Probe %s: given twice", name);
			goto fail;
		}
	}
	p = skip_space(p, end);
	if (delimited(ps, &p, end, "q", &data, &len) != 0)
		goto fail;
	db->probes = xreallocarray(db->probes, db->nprobes + 1,
	    sizeof *db->probes);
	ps->fallback = xreallocarray(ps->fallback, db->nprobes + 1,
	    sizeof *ps->fallback);
	ps->fallback[db->nprobes] = NULL;
	pr = ps->probe = &db->probes[db->nprobes++];
	memset(pr, 0, sizeof *pr);
	pr->name = name;
	pr->proto = proto[0] == 'T' ? PORT_TCP : PORT_UDP;
	pr->data = xmalloc(len + 1);
	pr->len = unescape(data, len, pr->data);
	pr->rarity = SERVICE_RARITY;
	pr->totalwaitms = SERVICE_WAIT_MS;
	pr->tcpwrappedms = SERVICE_WRAPPED_MS;
	free(data);
	free(proto);
	return (0);

fail:
	free(proto);
	free(name);
	return (-1);
}

/* match|softmatch SERVICE m|REGEX|flags [templates] */
static int
parse_match(struct parse *ps, const char *p, const char *end, bool soft)
{
	static const char	 letters[SERVICE_FIELD_MAX + 1] = "pvihod";
	struct service_probe	*pr = ps->probe;
	struct service_match	 m;
	PCRE2_SIZE		 off;
	const char		*c;
	char			*re, *t, pfx[3], msg[256];
	size_t			 len, k;
	uint32_t		 opts = 0;
	int			 err;

	if (pr == NULL)
		return (parse_error(ps, "%s before any Probe",
		    soft ? "softmatch" : "match"));
	if (ps->db->nmatches == SERVICE_MATCHES_MAX)
		return (parse_error(ps, "more than %d matches",
		    SERVICE_MATCHES_MAX));
	memset(&m, 0, sizeof m);
	m.soft = soft;
	m.line = ps->line;
	p = word(p, end, &m.service);
	if (m.service[0] == '\0') {
		free(m.service);
		return (parse_error(ps, "match: no service name"));
	}
	p = skip_space(p, end);
	if (delimited(ps, &p, end, "m", &re, &len) != 0)
		goto fail;
	for (; p < end && *p != ' ' && *p != '\t'; p++) {
		if (*p == 'i')
			opts |= PCRE2_CASELESS;
		else if (*p == 's')
			opts |= PCRE2_DOTALL;
		else {
			free(re);
			parse_error(ps, "match %s: unknown flag '%c' (want i "
			    "or s)", m.service, *p);
			goto fail;
		}
	}
	m.re = pcre2_compile((PCRE2_SPTR)re, len, opts, &err, &off, NULL);
	free(re);
	if (m.re == NULL) {
		pcre2_get_error_message(err, (PCRE2_UCHAR *)msg, sizeof msg);
		parse_error(ps, "match %s: regex at %zu: %s", m.service,
		    (size_t)off, msg);
		goto fail;
	}
	for (;;) {
		p = skip_space(p, end);
		if (p == end)
			break;
		if (end - p > 4 && memcmp(p, "cpe:", 4) == 0) {
			if (delimited(ps, &p, end, "cpe:", &t, &len) != 0)
				goto fail;
			if (p < end && *p == 'a')
				p++;
			if (m.ncpe == SERVICE_CPE_MAX) {
				free(t);
				continue;
			}
			m.cpe[m.ncpe++] = t;
			continue;
		}
		if ((c = memchr(letters, *p, SERVICE_FIELD_MAX)) == NULL) {
			parse_error(ps, "match %s: unknown field '%c' (want "
			    "p v i h o d or cpe:)", m.service, *p);
			goto fail;
		}
		k = (size_t)(c - letters);
		pfx[0] = *p;
		pfx[1] = '\0';
		if (delimited(ps, &p, end, pfx, &t, &len) != 0)
			goto fail;
		free(m.tmpl[k]);
		m.tmpl[k] = t;
	}
	pr->matches = xreallocarray(pr->matches, pr->nmatches + 1,
	    sizeof *pr->matches);
	pr->matches[pr->nmatches++] = m;
	ps->db->nmatches++;
	return (0);

fail:
	free(m.service);
	pcre2_code_free(m.re);
	for (k = 0; k < SERVICE_FIELD_MAX; k++)
		free(m.tmpl[k]);
	for (k = 0; k < m.ncpe; k++)
		free(m.cpe[k]);
	return (-1);
}

static int
parse_number(struct parse *ps, const char *what, const char *p,
    const char *end, unsigned min, unsigned max, unsigned *out)
{
	char		*s, *c;
	uint64_t	 v;

	word(p, end, &s);
	if (strnum_u64(s, min, max, &v, &c) != 0) {
		parse_error(ps, "%s: %s", what, c);
		free(c);
		free(s);
		return (-1);
	}
	free(s);
	*out = (unsigned)v;
	return (0);
}

static int
parse_ports(struct parse *ps, const char *what, const char *p,
    const char *end, unsigned protos, struct port_list *l)
{
	char	*s, *c;

	p = skip_space(p, end);
	s = xstrndup(p, (size_t)(end - p));
	port_list_free(l);
	if (port_spec_parse(l, s, protos, &c) != 0) {
		parse_error(ps, "%s: %s", what, c);
		free(c);
		free(s);
		return (-1);
	}
	free(s);
	return (0);
}

static int
parse_line(struct parse *ps, const char *p, const char *end)
{
	struct service_probe	*pr = ps->probe;
	char			*kw;
	int			 rc = -1;

	p = skip_space(p, end);
	if (p == end || *p == '#')
		return (0);
	p = word(p, end, &kw);
	if (strcmp(kw, "Probe") == 0)
		rc = parse_probe(ps, p, end);
	else if (strcmp(kw, "match") == 0)
		rc = parse_match(ps, p, end, false);
	else if (strcmp(kw, "softmatch") == 0)
		rc = parse_match(ps, p, end, true);
	else if (strcmp(kw, "Exclude") == 0)
		rc = parse_ports(ps, "Exclude", p, end, PORT_TCP | PORT_UDP,
		    &ps->db->exclude);
	else if (pr == NULL)
		parse_error(ps, "%s before any Probe", kw);
	else if (strcmp(kw, "ports") == 0)
		rc = parse_ports(ps, "ports", p, end, pr->proto, &pr->ports);
	else if (strcmp(kw, "sslports") == 0)
		rc = parse_ports(ps, "sslports", p, end, pr->proto,
		    &pr->sslports);
	else if (strcmp(kw, "rarity") == 0)
		rc = parse_number(ps, "rarity", p, end, 1, 9, &pr->rarity);
	else if (strcmp(kw, "totalwaitms") == 0)
		rc = parse_number(ps, "totalwaitms", p, end, 1, 600000,
		    &pr->totalwaitms);
	else if (strcmp(kw, "tcpwrappedms") == 0)
		rc = parse_number(ps, "tcpwrappedms", p, end, 1, 600000,
		    &pr->tcpwrappedms);
	else if (strcmp(kw, "fallback") == 0) {
		free(ps->fallback[ps->db->nprobes - 1]);
		word(p, end, &ps->fallback[ps->db->nprobes - 1]);
		rc = 0;
	} else
		parse_error(ps, "\"%.40s\": unknown directive", kw);
	free(kw);
	return (rc);
}

/* A probe by name, of the same protocol if there is one; nprobes: none. */
static size_t
fallback_find(const struct service_db *db, const char *name, uint8_t proto)
{
	size_t	i, any = db->nprobes;

	for (i = 0; i < db->nprobes; i++) {
		if (strcmp(db->probes[i].name, name) != 0)
			continue;
		if (db->probes[i].proto == proto)
			return (i);
		any = i;
	}
	return (any);
}

/* Fallback names to probe indexes. */
static int
parse_fallbacks(struct parse *ps)
{
	struct service_db	*db = ps->db;
	struct service_probe	*pr;
	char			*names, *name, *last;
	size_t			 i, j;

	for (i = 0; i < db->nprobes; i++) {
		if (ps->fallback[i] == NULL)
			continue;
		pr = &db->probes[i];
		names = ps->fallback[i];
		for (name = strtok_r(names, ",", &last); name != NULL;
		    name = strtok_r(NULL, ",", &last)) {
			if ((j = fallback_find(db, name, pr->proto)) ==
			    db->nprobes) {
				ps->line = 0;
				xasprintf(&ps->cause, "%s: probe %s: fallback "
				    "%.40s: no such probe", ps->name, pr->name,
				    name);
				return (-1);
			}
			pr->fallback = xreallocarray(pr->fallback,
			    pr->nfallback + 1, sizeof *pr->fallback);
			pr->fallback[pr->nfallback++] = j;
		}
	}
	return (0);
}

struct service_db *
service_db_parse(const char *name, const char *buf, size_t len, char **cause)
{
	struct parse	 ps;
	const char	*p = buf, *end = buf + len, *nl;
	size_t		 i;
	int		 rc = 0;

	memset(&ps, 0, sizeof ps);
	ps.name = name;
	ps.db = xcalloc(1, sizeof *ps.db);
	ps.db->source = xstrdup(name);
	while (p < end && rc == 0) {
		ps.line++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl - p > SERVICE_LINE_MAX)
			rc = parse_error(&ps, "line longer than %d bytes",
			    SERVICE_LINE_MAX);
		else if (memchr(p, '\0', (size_t)(nl - p)) != NULL)
			rc = parse_error(&ps, "a NUL byte");
		else
			rc = parse_line(&ps, p, nl > p && nl[-1] == '\r' ?
			    nl - 1 : nl);
		p = nl + 1;
	}
	if (rc == 0 && ps.db->nprobes == 0)
		rc = parse_error(&ps, "no Probe");
	if (rc == 0)
		rc = parse_fallbacks(&ps);
	for (i = 0; i < ps.db->nprobes; i++)
		free(ps.fallback[i]);
	free(ps.fallback);
	if (rc != 0) {
		*cause = ps.cause;
		service_db_free(ps.db);
		return (NULL);
	}
	return (ps.db);
}

struct service_db *
service_db_load(const char *path, char **cause)
{
	struct service_db	*db;
	struct stat		 st;
	char			*buf;
	ssize_t			 n;
	size_t			 got = 0;
	int			 fd;

	if (path == NULL)
		return (service_db_parse("tact", service_table,
		    service_table_len, cause));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (NULL);
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > SERVICE_FILE_MAX) {
		xasprintf(cause, "%s: not a regular file of at most %d bytes",
		    path, SERVICE_FILE_MAX);
		close(fd);
		return (NULL);
	}
	buf = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size &&
	    (n = read(fd, buf + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)n;
	close(fd);
	db = service_db_parse(path, buf, got, cause);
	free(buf);
	return (db);
}

static void
probe_free(struct service_probe *pr)
{
	struct service_match	*m;
	size_t			 i, k;

	for (i = 0; i < pr->nmatches; i++) {
		m = &pr->matches[i];
		free(m->service);
		pcre2_code_free(m->re);
		for (k = 0; k < SERVICE_FIELD_MAX; k++)
			free(m->tmpl[k]);
		for (k = 0; k < m->ncpe; k++)
			free(m->cpe[k]);
	}
	free(pr->matches);
	free(pr->name);
	free(pr->data);
	free(pr->fallback);
	port_list_free(&pr->ports);
	port_list_free(&pr->sslports);
}

void
service_db_free(struct service_db *db)
{
	size_t	i;

	if (db == NULL)
		return;
	for (i = 0; i < db->nprobes; i++)
		probe_free(&db->probes[i]);
	free(db->probes);
	port_list_free(&db->exclude);
	free(db->source);
	free(db);
}

long
service_db_find(const struct service_db *db, const char *name)
{
	size_t	i;

	for (i = 0; i < db->nprobes; i++)
		if (strcmp(db->probes[i].name, name) == 0)
			return ((long)i);
	return (-1);
}
