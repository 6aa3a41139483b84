/*
 * Read an XML output (tact's or Nmap's) back into a results store, so
 * that `tact diff` compares a file as it compares a journal. The file is
 * turned into the event records that would have built the same store:
 * nmaprun gives the scan-start, each host its host and port records
 * (the ports folded into extraports come back from extrareasons'
 * ports lists), a banner script a service record, a service that -sV
 * probed (method="probed": its name, product, version, extrainfo,
 * hostname, ostype, devicetype, conf, tunnel and cpe elements) a
 * service-info record, so that diff sees a version that changed, and
 * tact's ssl-cert script (its subject, issuer, san, notBefore, notAfter
 * and sha256 elements) the certificate in it; the product and version
 * of a service not probed stand for a banner.
 * runstats gives the scan-end.
 *
 * libxml2's streaming reader parses the file, with no network, no DTD
 * loaded and no entity expanded; a document that declares anything in
 * its DTD is refused before any of its elements is looked at. What the
 * file can make is bounded: its size, its depth, and how many hosts and
 * ports it gives (a few bytes of "1-65535" are 65535 ports). Hosts and
 * ports are kept until the end of the document and applied in the
 * store's order, so that the store only appends, whatever order the
 * file is in.
 */
#include <sys/socket.h>

#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/xmlreader.h>

#include "output-escape.h"
#include "output.h"
#include "port-spec.h"
#include "strnum.h"
#include "tact.h"
#include "xmalloc.h"

#if LIBXML_VERSION >= 21200
#define XML_ERROR_CONST	const
#else
#define XML_ERROR_CONST
#endif

struct xml_read;

static int	xml_nmaprun(struct xml_read *, char **);
static int	xml_host(struct xml_read *, char **);
static int	xml_host_end(struct xml_read *, char **);
static int	xml_status(struct xml_read *, char **);
static int	xml_address(struct xml_read *, char **);
static int	xml_extraports(struct xml_read *, char **);
static int	xml_extrareasons(struct xml_read *, char **);
static int	xml_port(struct xml_read *, char **);
static int	xml_port_end(struct xml_read *, char **);
static int	xml_state(struct xml_read *, char **);
static int	xml_service(struct xml_read *, char **);
static int	xml_cpe(struct xml_read *, char **);
static int	xml_cpe_end(struct xml_read *, char **);
static void	xml_text_add(struct xml_read *);
static int	xml_script(struct xml_read *, char **);
static int	xml_elem(struct xml_read *, char **);
static int	xml_elem_end(struct xml_read *, char **);
static int	xml_finished(struct xml_read *, char **);

/* What one element of the file is, where it counts and what it does. */
struct xml_element {
	const char	*name;
	const char	*parent;	/* NULL: the root */
	int		(*open)(struct xml_read *, char **);
	int		(*close)(struct xml_read *, char **);
};

/* The elements read; any other, and anything inside it, is skipped. */
static const struct xml_element xml_elements[] = {
	{ "nmaprun", NULL, xml_nmaprun, NULL },
	{ "host", "nmaprun", xml_host, xml_host_end },
	{ "status", "host", xml_status, NULL },
	{ "address", "host", xml_address, NULL },
	{ "ports", "host", NULL, NULL },
	{ "extraports", "ports", xml_extraports, NULL },
	{ "extrareasons", "extraports", xml_extrareasons, NULL },
	{ "port", "ports", xml_port, xml_port_end },
	{ "state", "port", xml_state, NULL },
	{ "service", "port", xml_service, NULL },
	{ "cpe", "service", xml_cpe, xml_cpe_end },
	{ "script", "port", xml_script, NULL },
	{ "elem", "script", xml_elem, xml_elem_end },
	{ "runstats", "nmaprun", NULL, NULL },
	{ "finished", "runstats", xml_finished, NULL },
};

/* Larger or deeper files, or more hosts or ports, are refused. */
#define XML_READ_SIZE_MAX	(256U << 20)
#define XML_READ_DEPTH_MAX	64
#define XML_READ_ATTRS_MAX	32
#define XML_READ_VALUE_MAX	1024	/* bytes of a service's field */
#define XML_READ_CPE_MAX	16	/* cpe elements of a service */
#define XML_READ_SAN_MAX	16	/* san elements of a certificate */

/* A host element, kept until the end of the document. */
struct xml_host {
	struct event_host	 e;
	uint32_t		 seq;		/* its place in the file */
};

/* A port, listed or folded, kept until the end of the document. */
struct xml_port {
	uint32_t	 host;		/* index in hosts, then rank */
	uint32_t	 seq;		/* its place in the file */
	uint16_t	 port;
	uint8_t		 proto;
	uint8_t		 state;
	uint8_t		 reason;
	char		*banner;
	uint8_t		*info;		/* a struct event_service_info */
	size_t		 info_len;
};

struct xml_read {
	const char		 *path;
	xmlTextReaderPtr	  reader;
	int			  fd;
	size_t			  size;		/* bytes read so far */
	int			  read_errno;
	char			 *error;	/* libxml2's first error */
	struct results		 *r;

	/* The elements open, by depth; NULL where one is skipped. */
	const struct xml_element *stack[XML_READ_DEPTH_MAX];
	const xmlChar		 *names[XML_READ_ATTRS_MAX];
	xmlChar			 *values[XML_READ_ATTRS_MAX];
	size_t			  nattrs;

	struct xml_host		 *hosts;
	size_t			  nhosts;
	size_t			  ahosts;
	struct xml_port		 *ports;
	size_t			  nports;
	size_t			  aports;
	bool			  dtd_declares;	/* entities, defaults... */
	bool			  has_addr;	/* the host in hand */
	bool			  in_port;	/* a tcp or udp port */
	bool			  in_cpe;	/* of the port's service */
	char			 *text;		/* a cpe's or elem's so far */
	size_t			  ncpe;
	char			 *name;		/* a service not probed */
	bool			  in_cert;	/* the port's ssl-cert script */
	int			  elem;		/* its elem in hand; -1 none */
	size_t			  nsan;
	struct xml_port		  port;
	uint8_t			  folded;	/* extraports' state */
};

static int	xml_input(void *, char *, int);
static int	xml_close(void *);
static void	xml_error(void *, XML_ERROR_CONST xmlError *);
static void	xml_quiet(void *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static int	xml_fail(struct xml_read *, char **, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static int	xml_node(struct xml_read *, char **);
static int	xml_attrs(struct xml_read *, char **);
static void	xml_attrs_free(struct xml_read *);
static const char *xml_get(struct xml_read *, const char *);
static int	xml_number(const char *, uint64_t, uint64_t, uint64_t *);
static uint8_t	xml_proto(const char *);
static int	xml_state_of(struct xml_read *, const char *, uint8_t *,
		    uint8_t *, char **);
static uint8_t	xml_reason(const char *);
static int	xml_add_port(struct xml_read *, uint16_t, uint8_t, uint8_t,
		    uint8_t, char *, uint8_t *, size_t, char **);
static void	xml_info_string(struct xml_port *, enum event_service_key,
		    const char *, size_t);
static void	xml_port_free(struct xml_port *);
static void	xml_emit(struct xml_read *, enum event_type, const void *,
		    size_t);
static void	xml_apply(struct xml_read *);
static int	xml_host_cmp(const void *, const void *);
static int	xml_port_cmp(const void *, const void *);

/* The protocols a port can have; ports of others (sctp) are skipped. */
static const struct {
	const char	*name;
	uint8_t		 proto;
} xml_protos[] = {
	{ "tcp", PORT_TCP },
	{ "udp", PORT_UDP },
};

/* The file, read through a count of its size. */
static int
xml_input(void *arg, char *buf, int len)
{
	struct xml_read	*x = arg;
	ssize_t		 n;

	do
		n = read(x->fd, buf, (size_t)len);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		x->read_errno = errno;
	if (n > 0 && (x->size += (size_t)n) > XML_READ_SIZE_MAX)
		return (-1);
	return ((int)n);
}

static int
xml_close(void *arg)
{
	return (0);
}

/* Keep the first error libxml2 reports, as one escaped line. */
static void
xml_error(void *arg, XML_ERROR_CONST xmlError *e)
{
	struct xml_read	*x = arg;
	const char	*m;
	char		*s;

	if (e->level < XML_ERR_ERROR || x->error != NULL)
		return;
	m = e->message != NULL ? e->message : "unknown error";
	s = output_escape_text(m, strcspn(m, "\n"));
	if (e->line > 0)
		xasprintf(&x->error, "%s:%d: %s", x->path, e->line, s);
	else
		xasprintf(&x->error, "%s: %s", x->path, s);
	free(s);
}

/*
 * What libxml2 says outside a parser's context (a failed encoding
 * conversion) would go to stderr; the read fails without it.
 */
static void
xml_quiet(void *arg, const char *fmt, ...)
{
}

/* Fail with "path:line: reason", the line of the element in hand. */
static int
xml_fail(struct xml_read *x, char **cause, const char *fmt, ...)
{
	va_list		 ap;
	xmlNodePtr	 node;
	char		 s[256];
	long		 line = 0;

	va_start(ap, fmt);
	vsnprintf(s, sizeof s, fmt, ap);
	va_end(ap);
	/* libxml2 keeps at most 65535 in a node; past it, the parser's. */
	if ((node = xmlTextReaderCurrentNode(x->reader)) != NULL)
		line = xmlGetLineNo(node);
	if (line <= 0 || line >= 65535)
		line = xmlTextReaderGetParserLineNumber(x->reader);
	xasprintf(cause, "%s:%ld: %s", x->path, line, s);
	return (-1);
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

/* The element's attributes, copied (an entity makes one a list). */
static int
xml_attrs(struct xml_read *x, char **cause)
{
	while (xmlTextReaderMoveToNextAttribute(x->reader) == 1) {
		if (x->nattrs == XML_READ_ATTRS_MAX) {
			xmlTextReaderMoveToElement(x->reader);
			return (xml_fail(x, cause, "more than %d attributes",
			    XML_READ_ATTRS_MAX));
		}
		x->names[x->nattrs] = xmlTextReaderConstName(x->reader);
		x->values[x->nattrs] = xmlTextReaderValue(x->reader);
		if (x->names[x->nattrs] != NULL && x->values[x->nattrs] != NULL)
			x->nattrs++;
	}
	xmlTextReaderMoveToElement(x->reader);
	return (0);
}

static void
xml_attrs_free(struct xml_read *x)
{
	size_t	i;

	for (i = 0; i < x->nattrs; i++)
		xmlFree(x->values[i]);
	x->nattrs = 0;
}

static const char *
xml_get(struct xml_read *x, const char *name)
{
	size_t	i;

	for (i = 0; i < x->nattrs; i++)
		if (strcmp((const char *)x->names[i], name) == 0)
			return ((const char *)x->values[i]);
	return (NULL);
}

/* A protocol's name as PORT_TCP or PORT_UDP; none is tcp, others 0. */
static uint8_t
xml_proto(const char *name)
{
	size_t	i;

	if (name == NULL)
		return (PORT_TCP);
	for (i = 0; i < sizeof xml_protos / sizeof xml_protos[0]; i++)
		if (strcmp(name, xml_protos[i].name) == 0)
			return (xml_protos[i].proto);
	return (0);
}

/*
 * The state attribute of element as enum event_port_state (open,
 * closed|filtered...), and the reason's if reason is not NULL.
 */
static int
xml_state_of(struct xml_read *x, const char *element, uint8_t *state,
    uint8_t *reason, char **cause)
{
	const char	*name = xml_get(x, "state");
	char		*e;
	int		 rc;
	uint8_t		 s;

	for (s = EVENT_PORT_OPEN; name != NULL &&
	    s <= EVENT_PORT_CLOSED_FILTERED; s++) {
		if (strcmp(name, event_port_state_name(s)) == 0) {
			*state = s;
			if (reason != NULL)
				*reason = xml_reason(xml_get(x, "reason"));
			return (0);
		}
	}
	e = output_escape_text(name != NULL ? name : "",
	    name != NULL ? strlen(name) : 0);
	rc = xml_fail(x, cause, "%s: state \"%s\": unknown", element, e);
	free(e);
	return (rc);
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

/* Keep a port of the host in hand; banner is taken. */
static int
xml_add_port(struct xml_read *x, uint16_t port, uint8_t proto, uint8_t state,
    uint8_t reason, char *banner, uint8_t *info, size_t info_len, char **cause)
{
	struct xml_port	*p;

	if (x->nports == OUTPUT_XML_READ_PORTS_MAX) {
		free(banner);
		free(info);
		return (xml_fail(x, cause, "more than %u ports, listed or in "
		    "extraports", OUTPUT_XML_READ_PORTS_MAX));
	}
	if (x->nports == x->aports) {
		x->aports = x->aports == 0 ? 1024 : x->aports * 2;
		x->ports = xreallocarray(x->ports, x->aports, sizeof *x->ports);
	}
	p = &x->ports[x->nports];
	p->host = (uint32_t)x->nhosts;
	p->seq = (uint32_t)x->nports;
	p->port = port;
	p->proto = proto;
	p->state = state;
	p->reason = reason;
	p->banner = banner;
	p->info = info;
	p->info_len = info_len;
	x->nports++;
	return (0);
}

static void
xml_port_free(struct xml_port *p)
{
	free(p->banner);
	free(p->info);
	p->banner = NULL;
	p->info = NULL;
}

static int
xml_nmaprun(struct xml_read *x, char **cause)
{
	struct {
		struct event_scan_start	s;
		char			args[TACT_LINE_MAX];
	}		 start;
	const char	*v;
	uint64_t	 u;

	memset(&start, 0, sizeof start);
	if (xml_number(xml_get(x, "start"), 0, UINT64_MAX, &u) == 0)
		start.s.wall_start = u;
	v = xml_get(x, "args");
	start.s.nstrings = 1;
	snprintf(start.args, sizeof start.args, "args=%s", v != NULL ? v : "");
	xml_emit(x, EVENT_SCAN_START, &start, sizeof start.s +
	    strlen(start.args) + 1);
	return (0);
}

static int
xml_host(struct xml_read *x, char **cause)
{
	if (x->nhosts == OUTPUT_XML_READ_HOSTS_MAX)
		return (xml_fail(x, cause, "more than %u hosts",
		    OUTPUT_XML_READ_HOSTS_MAX));
	if (x->nhosts == x->ahosts) {
		x->ahosts = x->ahosts == 0 ? 64 : x->ahosts * 2;
		x->hosts = xreallocarray(x->hosts, x->ahosts, sizeof *x->hosts);
	}
	memset(&x->hosts[x->nhosts], 0, sizeof x->hosts[x->nhosts]);
	x->has_addr = false;
	return (0);
}

static int
xml_host_end(struct xml_read *x, char **cause)
{
	if (!x->has_addr)
		return (xml_fail(x, cause, "host: no IP address"));
	x->hosts[x->nhosts].seq = (uint32_t)x->nhosts;
	x->nhosts++;
	return (0);
}

static int
xml_status(struct xml_read *x, char **cause)
{
	struct event_host	*h = &x->hosts[x->nhosts].e;
	const char		*v;

	v = xml_get(x, "state");
	h->state = v != NULL && strcmp(v, "up") == 0 ? EVENT_HOST_UP :
	    EVENT_HOST_DOWN;
	h->reason = xml_reason(xml_get(x, "reason"));
	return (0);
}

static int
xml_address(struct xml_read *x, char **cause)
{
	struct event_host	*h = &x->hosts[x->nhosts].e;
	const char		*v;
	char			*e;
	int			 rc;

	v = xml_get(x, "addrtype");
	if (v != NULL && strcmp(v, "mac") == 0)
		return (0);
	h->addr.family = v != NULL && strcmp(v, "ipv6") == 0 ? AF_INET6 :
	    AF_INET;
	v = xml_get(x, "addr");
	if (v == NULL || inet_pton(h->addr.family, v, h->addr.addr) != 1) {
		e = output_escape_text(v != NULL ? v : "",
		    v != NULL ? strlen(v) : 0);
		rc = xml_fail(x, cause, "address: \"%s\": bad address", e);
		free(e);
		return (rc);
	}
	x->has_addr = true;
	return (0);
}

static int
xml_extraports(struct xml_read *x, char **cause)
{
	return (xml_state_of(x, "extraports", &x->folded, NULL, cause));
}

/* The ports of a folded state, from extrareasons' "1-3,5". */
static int
xml_extrareasons(struct xml_read *x, char **cause)
{
	const char	*ports = xml_get(x, "ports");
	char		*list, *item, *dash, *next, *e;
	uint64_t	 lo, hi, p;
	uint8_t		 proto, reason;
	int		 rc = 0;

	if (ports == NULL || (proto = xml_proto(xml_get(x, "proto"))) == 0)
		return (0);
	reason = xml_reason(xml_get(x, "reason"));
	list = xstrdup(ports);
	for (item = list; item != NULL && *item != '\0'; item = next) {
		if ((next = strchr(item, ',')) != NULL)
			*next++ = '\0';
		if ((dash = strchr(item, '-')) != NULL)
			*dash++ = '\0';
		if (xml_number(item, 1, 65535, &lo) != 0 ||
		    xml_number(dash != NULL ? dash : item, lo, 65535,
		    &hi) != 0) {
			e = output_escape_text(ports, strlen(ports));
			rc = xml_fail(x, cause, "extrareasons: \"%s\": bad "
			    "ports", e);
			free(e);
			break;
		}
		if (hi - lo + 1 > OUTPUT_XML_READ_PORTS_MAX - x->nports) {
			rc = xml_fail(x, cause, "more than %u ports, listed "
			    "or in extraports", OUTPUT_XML_READ_PORTS_MAX);
			break;
		}
		for (p = lo; p <= hi; p++)
			xml_add_port(x, (uint16_t)p, proto, x->folded, reason,
			    NULL, NULL, 0, cause);
	}
	free(list);
	return (rc);
}

static int
xml_port(struct xml_read *x, char **cause)
{
	uint64_t	u;

	if (xml_number(xml_get(x, "portid"), 1, 65535, &u) != 0)
		return (xml_fail(x, cause, "port: bad portid"));
	xml_port_free(&x->port);
	memset(&x->port, 0, sizeof x->port);
	x->port.port = (uint16_t)u;
	x->port.proto = xml_proto(xml_get(x, "protocol"));
	x->in_port = x->port.proto != 0;
	x->in_cert = false;
	x->nsan = 0;
	free(x->name);
	x->name = NULL;
	return (0);
}

static int
xml_port_end(struct xml_read *x, char **cause)
{
	char	*banner;
	uint8_t	*info;

	if (!x->in_port)
		return (0);
	x->in_port = false;
	if (x->port.state == 0)
		return (xml_fail(x, cause, "port %u: no state", x->port.port));
	banner = x->port.banner;
	info = x->port.info;
	x->port.banner = NULL;
	x->port.info = NULL;
	return (xml_add_port(x, x->port.port, x->port.proto, x->port.state,
	    x->port.reason, banner, info, x->port.info_len, cause));
}

static int
xml_state(struct xml_read *x, char **cause)
{
	return (xml_state_of(x, "state", &x->port.state, &x->port.reason,
	    cause));
}

/* Append "key=value\0" (at most XML_READ_VALUE_MAX bytes of it) to p's. */
static void
xml_info_string(struct xml_port *p, enum event_service_key k, const char *v,
    size_t vl)
{
	const char	*key = event_service_key(k);
	size_t		 kl = strlen(key);

	if (vl > XML_READ_VALUE_MAX)
		vl = XML_READ_VALUE_MAX;
	p->info = xreallocarray(p->info, 1, p->info_len + kl + vl + 2);
	memcpy(p->info + p->info_len, key, kl);
	p->info[p->info_len + kl] = '=';
	memcpy(p->info + p->info_len + kl + 1, v, vl);
	p->info[p->info_len + kl + 1 + vl] = '\0';
	p->info_len += kl + vl + 2;
	((struct event_service_info *)p->info)->nstrings++;
}

/*
 * What -sV probed becomes the port's service-info record (the last
 * service element counts); else a product and version stand for a
 * banner unless a script gives one.
 */
static int
xml_service(struct xml_read *x, char **cause)
{
	static const char *const fields[] = {
		"name", "product", "version", "extrainfo", "hostname",
		"ostype", "devicetype"
	};
	struct event_service_info	*e;
	const char			*product = xml_get(x, "product");
	const char			*version = xml_get(x, "version");
	const char			*method = xml_get(x, "method"), *v;
	uint64_t			 conf;
	size_t				 i;

	if (!x->in_port)
		return (0);
	if (method != NULL && strcmp(method, "probed") == 0) {
		free(x->port.info);
		x->port.info_len = sizeof *e;
		x->port.info = xcalloc(1, x->port.info_len);
		x->ncpe = 0;
		e = (struct event_service_info *)x->port.info;
		e->method = EVENT_SERVICE_PROBED;
		if (xml_number(xml_get(x, "conf"), 0, 10, &conf) == 0)
			e->conf = (uint8_t)conf;
		v = xml_get(x, "tunnel");
		e->tunnel = v != NULL && strcmp(v, "ssl") == 0;
		/* Each string may move the record: e is not used after. */
		for (i = 0; i < nitems(fields); i++) {
			if ((v = xml_get(x, fields[i])) != NULL)
				xml_info_string(&x->port, (enum event_service_key)
				    (EVENT_SKEY_SERVICE + i), v, strlen(v));
		}
		return (0);
	}
	free(x->name);
	x->name = (v = xml_get(x, "name")) != NULL ? xstrdup(v) : NULL;
	if (x->port.banner != NULL || product == NULL)
		return (0);
	xasprintf(&x->port.banner, "%s%s%s", product,
	    version != NULL ? " " : "", version != NULL ? version : "");
	return (0);
}

/* A cpe element of a probed service: its text, gathered by xml_node(). */
static int
xml_cpe(struct xml_read *x, char **cause)
{
	x->in_cpe = x->in_port && x->port.info != NULL;
	free(x->text);
	x->text = NULL;
	return (0);
}

/* The text of a cpe or an elem, gathered (at most XML_READ_VALUE_MAX). */
static void
xml_text_add(struct xml_read *x)
{
	const char	*t = (const char *)xmlTextReaderConstValue(x->reader);
	size_t		 have = x->text != NULL ? strlen(x->text) : 0, tl;

	if (t == NULL || have >= XML_READ_VALUE_MAX)
		return;
	tl = strnlen(t, XML_READ_VALUE_MAX - have);
	x->text = xreallocarray(x->text, 1, have + tl + 1);
	memcpy(x->text + have, t, tl);
	x->text[have + tl] = '\0';
}

static int
xml_cpe_end(struct xml_read *x, char **cause)
{
	if (x->in_cpe && x->text != NULL && x->ncpe < XML_READ_CPE_MAX) {
		xml_info_string(&x->port, EVENT_SKEY_CPE, x->text,
		    strlen(x->text));
		x->ncpe++;
	}
	x->in_cpe = false;
	free(x->text);
	x->text = NULL;
	return (0);
}

/*
 * The elements of tact's ssl-cert script: the certificate's strings, as
 * the service-info record holds them, then its dates and fingerprint.
 */
static const struct {
	const char		*key;
	enum event_service_key	 skey;		/* 0: not a string */
} xml_cert_elems[] = {
	{ "subject", EVENT_SKEY_CERT_SUBJECT },
	{ "issuer", EVENT_SKEY_CERT_ISSUER },
	{ "san", EVENT_SKEY_CERT_SAN },
	{ "notBefore", 0 },
	{ "notAfter", 0 },
	{ "sha256", 0 },
};

/*
 * A banner script's output stands for the port's banner. An ssl-cert
 * script's elements go into the port's service-info record; a service
 * not probed (a certificate found behind a port's table guess) gets one
 * of method table, as the journal has.
 */
static int
xml_script(struct xml_read *x, char **cause)
{
	const char			*id = xml_get(x, "id");
	const char			*output = xml_get(x, "output");
	struct event_service_info	*e;

	x->in_cert = x->in_port && id != NULL && strcmp(id, "ssl-cert") == 0;
	if (x->in_cert && x->port.info == NULL) {
		x->port.info_len = sizeof *e;
		x->port.info = xcalloc(1, x->port.info_len);
		e = (struct event_service_info *)x->port.info;
		e->method = EVENT_SERVICE_TABLE;
		e->conf = 3;
		e->tunnel = 1;
		if (x->name != NULL)
			xml_info_string(&x->port, EVENT_SKEY_SERVICE, x->name,
			    strlen(x->name));
	}
	if (!x->in_port || id == NULL || strcmp(id, "banner") != 0 ||
	    output == NULL)
		return (0);
	free(x->port.banner);
	x->port.banner = xstrdup(output);
	return (0);
}

static int
xml_elem(struct xml_read *x, char **cause)
{
	const char	*key = xml_get(x, "key");
	size_t		 i;

	x->elem = -1;
	free(x->text);
	x->text = NULL;
	for (i = 0; x->in_cert && key != NULL && i < nitems(xml_cert_elems);
	    i++)
		if (strcmp(key, xml_cert_elems[i].key) == 0)
			x->elem = (int)i;
	return (0);
}

/* A certificate's time as ssl-cert writes it (UTC); 0 if not one. */
static int64_t
xml_cert_time(const char *s)
{
	struct tm	 tm;
	const char	*end;

	memset(&tm, 0, sizeof tm);
	if ((end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL ||
	    *end != '\0')
		return (0);
	return ((int64_t)timegm(&tm));
}

static int
xml_elem_end(struct xml_read *x, char **cause)
{
	struct event_service_info	*e;
	const char			*key, *t = x->text;
	uint8_t				 sha[32];
	unsigned int			 b;
	size_t				 i;

	if (x->elem == -1 || t == NULL || x->port.info == NULL) {
		x->elem = -1;
		return (0);
	}
	key = xml_cert_elems[x->elem].key;
	e = (struct event_service_info *)x->port.info;
	if (xml_cert_elems[x->elem].skey != 0) {
		if (xml_cert_elems[x->elem].skey != EVENT_SKEY_CERT_SAN ||
		    x->nsan++ < XML_READ_SAN_MAX)
			xml_info_string(&x->port, xml_cert_elems[x->elem].skey,
			    t, strlen(t));
	} else if (strcmp(key, "notBefore") == 0)
		e->cert_not_before = xml_cert_time(t);
	else if (strcmp(key, "notAfter") == 0)
		e->cert_not_after = xml_cert_time(t);
	else if (strlen(t) == 2 * sizeof sha) {
		for (i = 0; i < sizeof sha; i++) {
			if (sscanf(t + 2 * i, "%2x", &b) != 1 ||
			    strchr("0123456789abcdefABCDEF", t[2 * i]) ==
			    NULL || strchr("0123456789abcdefABCDEF",
			    t[2 * i + 1]) == NULL)
				break;
			sha[i] = (uint8_t)b;
		}
		if (i == sizeof sha)
			memcpy(e->cert_sha256, sha, sizeof sha);
	}
	x->elem = -1;
	return (0);
}

static int
xml_finished(struct xml_read *x, char **cause)
{
	struct event_scan_end	 end;
	const char		*v;
	uint64_t		 u;

	memset(&end, 0, sizeof end);
	v = xml_get(x, "exit");
	end.status = v == NULL || strcmp(v, "success") == 0 ?
	    EVENT_END_DONE : EVENT_END_FAILED;
	if (xml_number(xml_get(x, "time"), 0, UINT64_MAX, &u) == 0)
		end.wall_end = u;
	xml_emit(x, EVENT_SCAN_END, &end, sizeof end);
	return (0);
}

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

/* Hosts by address, then in file order. */
static int
xml_host_cmp(const void *va, const void *vb)
{
	const struct xml_host	*a = va, *b = vb;
	int			 c;

	if (a->e.addr.family != b->e.addr.family)
		return (a->e.addr.family < b->e.addr.family ? -1 : 1);
	if ((c = memcmp(a->e.addr.addr, b->e.addr.addr,
	    sizeof a->e.addr.addr)) != 0)
		return (c);
	return (a->seq < b->seq ? -1 : a->seq > b->seq);
}

/* Ports by host, protocol and number, as the store keeps them. */
static int
xml_port_cmp(const void *va, const void *vb)
{
	const struct xml_port	*a = va, *b = vb;

	if (a->host != b->host)
		return (a->host < b->host ? -1 : 1);
	if (a->proto != b->proto)
		return (a->proto < b->proto ? -1 : 1);
	if (a->port != b->port)
		return (a->port < b->port ? -1 : 1);
	return (a->seq < b->seq ? -1 : a->seq > b->seq);
}

/*
 * Apply the hosts and ports kept, in the store's order (the same host or
 * port twice in file order, so the last one counts, as it would have).
 */
static void
xml_apply(struct xml_read *x)
{
	struct event_port		 e;
	struct event_service		*svc;
	struct event_service_info	*info;
	struct xml_port			*p;
	uint32_t		*rank, i, first = 0;
	size_t			 j, len;

	if (x->nhosts > 0)
		qsort(x->hosts, x->nhosts, sizeof *x->hosts, xml_host_cmp);
	rank = xreallocarray(NULL, x->nhosts + 1, sizeof *rank);
	for (i = 0; i < x->nhosts; i++) {
		if (i > 0 && memcmp(&x->hosts[i].e.addr,
		    &x->hosts[first].e.addr, sizeof x->hosts[i].e.addr) != 0)
			first = i;
		rank[x->hosts[i].seq] = first;
		xml_emit(x, EVENT_HOST_STATE, &x->hosts[i].e,
		    sizeof x->hosts[i].e);
	}
	for (j = 0; j < x->nports; j++)
		x->ports[j].host = rank[x->ports[j].host];
	if (x->nports > 0)
		qsort(x->ports, x->nports, sizeof *x->ports, xml_port_cmp);
	for (j = 0; j < x->nports; j++) {
		p = &x->ports[j];
		memset(&e, 0, sizeof e);
		e.addr = x->hosts[p->host].e.addr;
		e.port = p->port;
		e.proto = p->proto;
		e.state = p->state;
		e.reason = p->reason;
		xml_emit(x, EVENT_PORT_STATE, &e, sizeof e);
		if (p->info != NULL) {
			info = (struct event_service_info *)p->info;
			info->addr = e.addr;
			info->port = e.port;
			info->proto = e.proto;
			xml_emit(x, EVENT_SERVICE_INFO, p->info, p->info_len);
		}
		if (p->banner == NULL)
			continue;
		len = strlen(p->banner);
		svc = xcalloc(1, sizeof *svc + len);
		svc->addr = e.addr;
		svc->port = e.port;
		svc->proto = e.proto;
		svc->len = (uint32_t)len;
		memcpy(svc + 1, p->banner, len);
		xml_emit(x, EVENT_SERVICE, svc, sizeof *svc + len);
		free(svc);
	}
	free(rank);
}

/* The node the reader is on: the DTD, or an element opening or closing. */
static int
xml_node(struct xml_read *x, char **cause)
{
	const struct xml_element	*el = NULL, *parent;
	const char			*name;
	xmlNodePtr			 node;
	size_t				 i;
	int				 depth, rc = 0;

	depth = xmlTextReaderDepth(x->reader);
	if (depth < 0 || depth >= XML_READ_DEPTH_MAX)
		return (xml_fail(x, cause, "nested more than %d deep",
		    XML_READ_DEPTH_MAX));
	switch (xmlTextReaderNodeType(x->reader)) {
	case XML_READER_TYPE_DOCUMENT_TYPE:
		node = xmlTextReaderCurrentNode(x->reader);
		x->dtd_declares = node != NULL && node->children != NULL;
		return (0);
	case XML_READER_TYPE_END_ELEMENT:
		el = x->stack[depth];
		return (el != NULL && el->close != NULL ? el->close(x, cause) :
		    0);
	case XML_READER_TYPE_ELEMENT:
		break;
	case XML_READER_TYPE_TEXT:
	case XML_READER_TYPE_CDATA:
		if (x->in_cpe || x->elem != -1)
			xml_text_add(x);
		return (0);
	default:
		return (0);
	}

	/* A DTD has no line of its own: say it at the root's. */
	if (depth == 0 && x->dtd_declares)
		return (xml_fail(x, cause, "the DOCTYPE before this line "
		    "declares something; no Nmap or tact output does"));
	name = (const char *)xmlTextReaderConstName(x->reader);
	parent = depth > 0 ? x->stack[depth - 1] : NULL;
	if (depth == 0 && strcmp(name, "nmaprun") != 0)
		return (xml_fail(x, cause, "not an Nmap or tact XML output"));
	if (depth == 0 || parent != NULL) {
		for (i = 0; i < sizeof xml_elements / sizeof xml_elements[0];
		    i++) {
			if (strcmp(name, xml_elements[i].name) != 0)
				continue;
			if (xml_elements[i].parent == NULL ? depth == 0 :
			    parent != NULL &&
			    strcmp(xml_elements[i].parent, parent->name) == 0) {
				el = &xml_elements[i];
				break;
			}
		}
	}
	x->stack[depth] = el;
	if (el == NULL)
		return (0);
	if (el->open != NULL) {
		if ((rc = xml_attrs(x, cause)) == 0)
			rc = el->open(x, cause);
		xml_attrs_free(x);
	}
	if (rc == 0 && xmlTextReaderIsEmptyElement(x->reader) == 1 &&
	    el->close != NULL)
		rc = el->close(x, cause);
	return (rc);
}

/* Read path's XML output into r; -1 and cause ("path:line: reason") if bad. */
int
output_xml_read(const char *path, struct results *r, char **cause)
{
	struct xml_read		 x;
	xmlGenericErrorFunc	 generic = xmlGenericError;
	void			*generic_arg = xmlGenericErrorContext;
	char			*c = NULL;
	size_t			 i;
	int			 rc = -1;

	memset(&x, 0, sizeof x);
	x.elem = -1;
	x.path = path;
	x.r = r;
	if ((x.fd = open(path, O_RDONLY|O_CLOEXEC)) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (-1);
	}
	xmlSetGenericErrorFunc(NULL, xml_quiet);
	x.reader = xmlReaderForIO(xml_input, xml_close, &x, path, NULL,
	    XML_PARSE_NONET);
	if (x.reader != NULL) {
		xmlTextReaderSetStructuredErrorHandler(x.reader, xml_error, &x);
		while ((rc = xmlTextReaderRead(x.reader)) == 1 &&
		    x.error == NULL && xml_node(&x, &c) == 0)
			;
	}
	if (x.size > XML_READ_SIZE_MAX) {
		free(c);
		xasprintf(&c, "%s: larger than %u MB", path,
		    XML_READ_SIZE_MAX >> 20);
	} else if (x.read_errno != 0) {
		free(c);
		xasprintf(&c, "%s: %s", path, strerror(x.read_errno));
	} else if (x.size == 0) {
		free(c);
		xasprintf(&c, "%s: empty file", path);
	} else if (c == NULL && x.error != NULL) {
		c = x.error;
		x.error = NULL;
	} else if (c == NULL && rc != 0)
		xasprintf(&c, "%s:%d: cannot read this as XML", path,
		    x.reader != NULL ?
		    xmlTextReaderGetParserLineNumber(x.reader) : 1);
	if (c == NULL)
		xml_apply(&x);
	xmlFreeTextReader(x.reader);
	xmlSetGenericErrorFunc(generic_arg, generic);
	close(x.fd);
	free(x.error);
	for (i = 0; i < x.nports; i++)
		xml_port_free(&x.ports[i]);
	free(x.ports);
	free(x.hosts);
	xml_port_free(&x.port);
	free(x.text);
	free(x.name);
	if (c != NULL) {
		*cause = c;
		return (-1);
	}
	return (0);
}
