/*
 * Read an XML output (tact's or Nmap's) back into a results store, so
 * that `tact diff` compares a file as it compares a journal. The file is
 * turned into the event records that would have built the same store:
 * nmaprun gives the scan-start, each host its host and port records
 * (the ports folded into extraports come back from extrareasons'
 * ports lists), a banner script or a service's product and version a
 * service record, runstats the scan-end. The reader knows just enough
 * XML for that (tags, attributes, the five entities and character
 * references); the file is input like any other, checked as it is read.
 */
#include <sys/socket.h>

#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "port-spec.h"
#include "strnum.h"
#include "tact.h"
#include "xmalloc.h"

/* Larger files are refused rather than read into memory. */
#define XML_READ_MAX	(256U << 20)
#define XML_ATTRS_MAX	32

struct xml_attr {
	char	*name;
	char	*value;
};

/* What the reader knows while it is inside a host and a port. */
struct xml_read {
	struct results		*r;
	struct event_host	 host;
	bool			 in_host;
	struct event_port	 port;
	bool			 in_port;
	char			*banner;
	uint8_t			 folded;	/* extraports' state */
};

static int	xml_tag(struct xml_read *, char **, char **);
static int	xml_value(char *, char **);
static const char *xml_get(struct xml_attr *, size_t, const char *);
static void	xml_emit(struct xml_read *, enum event_type, const void *,
		    size_t);
static int	xml_element(struct xml_read *, const char *, bool,
		    struct xml_attr *, size_t, char **);
static int	xml_extrareasons(struct xml_read *, struct xml_attr *, size_t,
		    uint8_t, char **);
static int	xml_number(const char *, uint64_t, uint64_t, uint64_t *);
static uint8_t	xml_port_state(const char *);
static uint8_t	xml_reason(const char *);

/* The entities XML predefines. */
static const struct {
	const char	*name;
	char		 c;
} xml_entities[] = {
	{ "lt;", '<' }, { "gt;", '>' }, { "amp;", '&' }, { "quot;", '"' },
	{ "apos;", '\'' },
};

static void
xml_emit(struct xml_read *x, enum event_type type, const void *payload,
    size_t len)
{
	struct event_header	h;

	memset(&h, 0, sizeof h);
	h.version = EVENT_VERSION;
	h.type = type;
	h.len = (uint32_t)len;
	results_apply(x->r, &h, payload);
}

static int
xml_number(const char *s, uint64_t min, uint64_t max, uint64_t *v)
{
	char	*c;

	if (s == NULL || strnum_u64(s, min, max, v, &c) != 0) {
		if (s != NULL)
			free(c);
		return (-1);
	}
	return (0);
}

static const char *
xml_get(struct xml_attr *a, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(a[i].name, name) == 0)
			return (a[i].value);
	return (NULL);
}

/* Decode the entities and references of a value in place. */
static int
xml_value(char *s, char **cause)
{
	char		*in = s, *out = s, *end;
	unsigned long	 cp;
	size_t		 i;

	while (*in != '\0') {
		if (*in != '&') {
			*out++ = *in++;
			continue;
		}
		in++;
		if (*in == '#') {
			errno = 0;
			if (in[1] == 'x')
				cp = strtoul(in + 2, &end, 16);
			else
				cp = strtoul(in + 1, &end, 10);
			if (errno != 0 || *end != ';' || cp == 0 ||
			    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
				goto bad;
			if (cp < 0x80)
				*out++ = (char)cp;
			else if (cp < 0x800) {
				*out++ = (char)(0xC0 | cp >> 6);
				*out++ = (char)(0x80 | (cp & 0x3F));
			} else if (cp < 0x10000) {
				*out++ = (char)(0xE0 | cp >> 12);
				*out++ = (char)(0x80 | (cp >> 6 & 0x3F));
				*out++ = (char)(0x80 | (cp & 0x3F));
			} else {
				*out++ = (char)(0xF0 | cp >> 18);
				*out++ = (char)(0x80 | (cp >> 12 & 0x3F));
				*out++ = (char)(0x80 | (cp >> 6 & 0x3F));
				*out++ = (char)(0x80 | (cp & 0x3F));
			}
			in = end + 1;
			continue;
		}
		for (i = 0; i < sizeof xml_entities / sizeof xml_entities[0];
		    i++) {
			if (strncmp(in, xml_entities[i].name,
			    strlen(xml_entities[i].name)) == 0)
				break;
		}
		if (i == sizeof xml_entities / sizeof xml_entities[0])
			goto bad;
		*out++ = xml_entities[i].c;
		in += strlen(xml_entities[i].name);
	}
	*out = '\0';
	return (0);
bad:
	xasprintf(cause, "bad entity or character reference");
	return (-1);
}

/*
 * The tag at *p (just after its "<"): name, attributes, whether it ends
 * an element. Comments, processing instructions and the document type
 * are skipped. *p moves past the tag; 0 at the end of the file.
 */
static int
xml_tag(struct xml_read *x, char **p, char **cause)
{
	struct xml_attr	 attrs[XML_ATTRS_MAX];
	size_t		 n = 0;
	char		*s = *p, *name, *end, q;
	bool		 closing = false, empty = false;

	if (strncmp(s, "!--", 3) == 0) {
		if ((end = strstr(s + 3, "-->")) == NULL)
			goto bad;
		*p = end + 3;
		return (0);
	}
	if (*s == '?' || *s == '!') {
		if ((end = strchr(s, '>')) == NULL)
			goto bad;
		*p = end + 1;
		return (0);
	}
	if (*s == '/') {
		closing = true;
		s++;
	}
	name = s;
	s += strcspn(s, " \t\r\n/>");
	if (s == name || *s == '\0')
		goto bad;
	for (;;) {
		q = *s;
		*s++ = '\0';
		if (q == '>')
			break;
		if (q == '/') {
			if (*s != '>')
				goto bad;
			empty = true;
			s++;
			break;
		}
		s += strspn(s, " \t\r\n");
		if (*s == '>' || *s == '/')
			continue;
		if (n == XML_ATTRS_MAX || closing)
			goto bad;
		attrs[n].name = s;
		s += strcspn(s, "= \t\r\n>");
		if (*s != '=' || (s[1] != '"' && s[1] != '\''))
			goto bad;
		*s = '\0';
		q = s[1];
		attrs[n].value = s + 2;
		if ((end = strchr(s + 2, q)) == NULL)
			goto bad;
		*end = '\0';
		if (xml_value(attrs[n].value, cause) != 0)
			return (-1);
		n++;
		s = end + 1;
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n' &&
		    *s != '/' && *s != '>')
			goto bad;
	}
	*p = s;
	if (xml_element(x, name, closing, attrs, n, cause) != 0)
		return (-1);
	if (empty && xml_element(x, name, true, NULL, 0, cause) != 0)
		return (-1);
	return (0);
bad:
	xasprintf(cause, "malformed tag");
	return (-1);
}

/* A state's name (open, closed|filtered...) as enum event_port_state. */
static uint8_t
xml_port_state(const char *name)
{
	uint8_t	s;

	for (s = EVENT_PORT_OPEN; name != NULL &&
	    s <= EVENT_PORT_CLOSED_FILTERED; s++)
		if (strcmp(name, event_port_state_name(s)) == 0)
			return (s);
	return (0);
}

/* A reason's name as enum event_reason; unknown ones are NONE. */
static uint8_t
xml_reason(const char *name)
{
	uint8_t	r;

	for (r = 1; name != NULL && r < EVENT_REASON_MAX; r++)
		if (strcmp(name, event_reason_name(r)) == 0)
			return (r);
	return (EVENT_REASON_NONE);
}

/* The ports of a folded state, from extrareasons' "1-3,5". */
static int
xml_extrareasons(struct xml_read *x, struct xml_attr *a, size_t n,
    uint8_t state, char **cause)
{
	const char	*ports = xml_get(a, n, "ports"), *proto;
	char		*list, *item, *dash, *next;
	uint64_t	 lo, hi, p;

	if (ports == NULL)
		return (0);
	proto = xml_get(a, n, "proto");
	list = xstrdup(ports);
	for (item = list; item != NULL && *item != '\0'; item = next) {
		if ((next = strchr(item, ',')) != NULL)
			*next++ = '\0';
		if ((dash = strchr(item, '-')) != NULL)
			*dash++ = '\0';
		if (xml_number(item, 1, 65535, &lo) != 0 ||
		    xml_number(dash != NULL ? dash : item, lo, 65535,
		    &hi) != 0) {
			free(list);
			xasprintf(cause, "extrareasons: bad ports");
			return (-1);
		}
		for (p = lo; p <= hi; p++) {
			x->port.port = (uint16_t)p;
			x->port.proto = proto != NULL &&
			    strcmp(proto, "udp") == 0 ? PORT_UDP : PORT_TCP;
			x->port.state = state;
			x->port.reason = xml_reason(xml_get(a, n, "reason"));
			xml_emit(x, EVENT_PORT_STATE, &x->port, sizeof x->port);
		}
	}
	free(list);
	return (0);
}

static int
xml_element(struct xml_read *x, const char *name, bool closing,
    struct xml_attr *a, size_t n, char **cause)
{
	struct {
		struct event_scan_start	s;
		char			args[TACT_LINE_MAX];
	}				 start;
	struct event_scan_end		 end;
	struct event_service		*svc;
	const char			*v;
	uint64_t			 u;
	size_t				 len;

	if (closing) {
		if (strcmp(name, "port") == 0 && x->in_port) {
			xml_emit(x, EVENT_PORT_STATE, &x->port,
			    sizeof x->port);
			if (x->banner != NULL) {
				len = strlen(x->banner);
				svc = xcalloc(1, sizeof *svc + len);
				svc->addr = x->port.addr;
				svc->port = x->port.port;
				svc->proto = x->port.proto;
				svc->len = (uint32_t)len;
				memcpy(svc + 1, x->banner, len);
				xml_emit(x, EVENT_SERVICE, svc,
				    sizeof *svc + len);
				free(svc);
			}
			free(x->banner);
			x->banner = NULL;
			x->in_port = false;
		} else if (strcmp(name, "host") == 0)
			x->in_host = false;
		return (0);
	}
	if (strcmp(name, "nmaprun") == 0) {
		memset(&start, 0, sizeof start);
		if (xml_number(xml_get(a, n, "start"), 0, UINT64_MAX, &u) == 0)
			start.s.wall_start = u;
		v = xml_get(a, n, "args");
		start.s.nstrings = 1;
		snprintf(start.args, sizeof start.args, "args=%s",
		    v != NULL ? v : "");
		xml_emit(x, EVENT_SCAN_START, &start, sizeof start.s +
		    strlen(start.args) + 1);
	} else if (strcmp(name, "host") == 0) {
		memset(&x->host, 0, sizeof x->host);
		x->in_host = true;
	} else if (strcmp(name, "status") == 0 && x->in_host) {
		v = xml_get(a, n, "state");
		x->host.state = v != NULL && strcmp(v, "up") == 0 ?
		    EVENT_HOST_UP : EVENT_HOST_DOWN;
		x->host.reason = xml_reason(xml_get(a, n, "reason"));
	} else if (strcmp(name, "address") == 0 && x->in_host) {
		v = xml_get(a, n, "addrtype");
		if (v != NULL && strcmp(v, "mac") == 0)
			return (0);
		x->host.addr.family = v != NULL && strcmp(v, "ipv6") == 0 ?
		    AF_INET6 : AF_INET;
		v = xml_get(a, n, "addr");
		if (v == NULL || inet_pton(x->host.addr.family, v,
		    x->host.addr.addr) != 1) {
			xasprintf(cause, "address: \"%s\": bad address",
			    v != NULL ? v : "");
			return (-1);
		}
		xml_emit(x, EVENT_HOST_STATE, &x->host, sizeof x->host);
		memset(&x->port, 0, sizeof x->port);
		x->port.addr = x->host.addr;
	} else if (strcmp(name, "extraports") == 0 && x->in_host)
		x->folded = xml_port_state(xml_get(a, n, "state"));
	else if (strcmp(name, "extrareasons") == 0 && x->in_host &&
	    x->folded != 0)
		return (xml_extrareasons(x, a, n, x->folded, cause));
	else if (strcmp(name, "port") == 0 && x->in_host) {
		if (xml_number(xml_get(a, n, "portid"), 1, 65535, &u) != 0) {
			xasprintf(cause, "port: bad portid");
			return (-1);
		}
		v = xml_get(a, n, "protocol");
		x->port.port = (uint16_t)u;
		x->port.proto = v != NULL && strcmp(v, "udp") == 0 ?
		    PORT_UDP : PORT_TCP;
		x->port.state = 0;
		x->in_port = true;
	} else if (strcmp(name, "state") == 0 && x->in_port) {
		x->port.state = xml_port_state(xml_get(a, n, "state"));
		x->port.reason = xml_reason(xml_get(a, n, "reason"));
	} else if (strcmp(name, "service") == 0 && x->in_port &&
	    x->banner == NULL && (v = xml_get(a, n, "product")) != NULL) {
		xasprintf(&x->banner, "%s%s%s", v,
		    xml_get(a, n, "version") != NULL ? " " : "",
		    xml_get(a, n, "version") != NULL ?
		    xml_get(a, n, "version") : "");
	} else if (strcmp(name, "script") == 0 && x->in_port &&
	    (v = xml_get(a, n, "id")) != NULL && strcmp(v, "banner") == 0 &&
	    (v = xml_get(a, n, "output")) != NULL) {
		free(x->banner);
		x->banner = xstrdup(v);
	} else if (strcmp(name, "finished") == 0) {
		memset(&end, 0, sizeof end);
		v = xml_get(a, n, "exit");
		end.status = v == NULL || strcmp(v, "success") == 0 ?
		    EVENT_END_DONE : EVENT_END_FAILED;
		if (xml_number(xml_get(a, n, "time"), 0, UINT64_MAX, &u) == 0)
			end.wall_end = u;
		xml_emit(x, EVENT_SCAN_END, &end, sizeof end);
	}
	return (0);
}

/* Read path's XML output into r; -1 and cause ("path: reason") if bad. */
int
output_xml_read(const char *path, struct results *r, char **cause)
{
	struct xml_read	 x;
	FILE		*f;
	char		*buf, *p, *c = NULL;
	size_t		 len;
	long		 size;
	int		 rc = -1;

	if ((f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    (unsigned long)size > XML_READ_MAX || fseek(f, 0, SEEK_SET) != 0) {
		xasprintf(cause, "%s: not a readable file of at most %u MB",
		    path, XML_READ_MAX >> 20);
		fclose(f);
		return (-1);
	}
	buf = xmalloc((size_t)size + 1);
	len = fread(buf, 1, (size_t)size, f);
	fclose(f);
	buf[len] = '\0';
	if (memchr(buf, '\0', len) != NULL) {
		xasprintf(cause, "%s: not XML", path);
		free(buf);
		return (-1);
	}
	memset(&x, 0, sizeof x);
	x.r = r;
	for (p = buf; (p = strchr(p, '<')) != NULL; ) {
		p++;
		if (xml_tag(&x, &p, &c) != 0)
			break;
	}
	if (c != NULL)
		xasprintf(cause, "%s: %s", path, c);
	else if (!results_scan(r)->started)
		xasprintf(cause, "%s: not an Nmap or tact XML output", path);
	else
		rc = 0;
	free(c);
	free(x.banner);
	free(buf);
	return (rc);
}
