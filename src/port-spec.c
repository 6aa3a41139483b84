/*
 * Port lists. A -p specification ("22,80,1000-2000,T:443,U:53", "-",
 * "ssh,http") is read item by item into one bitmap per protocol, which
 * merges duplicates and overlapping ranges, and the bitmaps become the
 * sorted list. -F and --top-ports rank ports by the open frequencies of
 * an installed Nmap's nmap-services, read at run time, or by tact's own
 * list (port-rank.c) when that file cannot be read. Service names come
 * from the system's services database (/etc/services).
 */
#include <sys/types.h>

#include <ctype.h>
#include <stdbool.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "port-rank.h"
#include "port-spec.h"
#include "strnum.h"
#include "xmalloc.h"

#define PORT_SPEC_NMAP_SERVICES	"/usr/share/nmap/nmap-services"
#define PORT_SPEC_MAX		65535

/* The protocols, in list order: T: or U: prefix, bit and names. */
static const struct {
	char		 prefix;
	unsigned	 proto;
	const char	*name;		/* in /etc/services and nmap-services */
	const char	*label;		/* in messages */
} port_spec_protos[] = {
	{ 'T', PORT_TCP, "tcp", "TCP" },
	{ 'U', PORT_UDP, "udp", "UDP" },
};
#define PORT_SPEC_NPROTOS \
	(sizeof port_spec_protos / sizeof port_spec_protos[0])

/* The ports chosen so far: one bit per port, one bitmap per protocol. */
struct port_spec_set {
	uint8_t		bits[PORT_SPEC_NPROTOS][(PORT_SPEC_MAX + 1) / 8];
};

/* One usable line of nmap-services. */
struct port_spec_freq {
	uint16_t	port;
	unsigned	proto;
	double		freq;
};

static int	port_spec_has(const struct port_spec_set *, size_t, unsigned);
static void	port_spec_add(struct port_spec_set *, unsigned, unsigned,
		    unsigned);
static void	port_spec_to_list(const struct port_spec_set *,
		    struct port_list *);
static int	port_spec_number(const char *, const char *, unsigned *,
		    char **);
static int	port_spec_range(struct port_spec_set *, char *, const char *,
		    unsigned, char **);
static int	port_spec_name(struct port_spec_set *, const char *,
		    const char *, unsigned, char **);
static int	port_spec_item(struct port_spec_set *, char *, unsigned,
		    unsigned *, char **);
static int	port_spec_freq_line(char *, struct port_spec_freq *);
static size_t	port_spec_freq_read(FILE *, struct port_spec_freq **);
static int	port_spec_freq_cmp(const void *, const void *);
static size_t	port_spec_top_file(struct port_spec_set *, size_t,
		    struct port_spec_freq *, size_t, unsigned);
static void	port_spec_top_rank(struct port_spec_set *, size_t, unsigned);

static int
port_spec_has(const struct port_spec_set *set, size_t i, unsigned port)
{
	return ((set->bits[i][port / 8] >> (port % 8)) & 1);
}

/* Add ports lo to hi to every protocol in protos. */
static void
port_spec_add(struct port_spec_set *set, unsigned protos, unsigned lo,
    unsigned hi)
{
	size_t		i;
	unsigned	port;

	for (i = 0; i < PORT_SPEC_NPROTOS; i++) {
		if ((protos & port_spec_protos[i].proto) == 0)
			continue;
		for (port = lo; port <= hi; port++)
			set->bits[i][port / 8] |= 1 << (port % 8);
	}
}

static void
port_spec_to_list(const struct port_spec_set *set, struct port_list *pl)
{
	size_t		i, n;
	unsigned	port;

	n = 0;
	for (i = 0; i < PORT_SPEC_NPROTOS; i++) {
		for (port = 1; port <= PORT_SPEC_MAX; port++)
			n += port_spec_has(set, i, port);
	}
	pl->v = xreallocarray(NULL, n == 0 ? 1 : n, sizeof *pl->v);
	pl->n = 0;
	for (i = 0; i < PORT_SPEC_NPROTOS; i++) {
		for (port = 1; port <= PORT_SPEC_MAX; port++) {
			if (!port_spec_has(set, i, port))
				continue;
			pl->v[pl->n].port = port;
			pl->v[pl->n].proto = port_spec_protos[i].proto;
			pl->n++;
		}
	}
}

/* One port number s of item; the reason quotes the whole item. */
static int
port_spec_number(const char *s, const char *item, unsigned *port,
    char **cause)
{
	uint64_t	 v;
	char		*why = NULL;

	if (strnum_u64(s, 1, PORT_SPEC_MAX, &v, &why) == 0) {
		*port = v;
		return (0);
	}
	free(why);
	if (*s != '\0' && strspn(s, "0123456789") == strlen(s))
		xasprintf(cause, "\"%s\": out of range 1-%u", item,
		    PORT_SPEC_MAX);
	else
		xasprintf(cause, "\"%s\": not a port number", item);
	return (-1);
}

/* A port or range: "22", "1000-2000", "-1024", "60000-" or "-". */
static int
port_spec_range(struct port_spec_set *set, char *s, const char *item,
    unsigned protos, char **cause)
{
	char		*dash;
	unsigned	 lo = 1, hi = PORT_SPEC_MAX;

	if ((dash = strchr(s, '-')) == NULL) {
		if (port_spec_number(s, item, &lo, cause) != 0)
			return (-1);
		hi = lo;
	} else {
		*dash = '\0';
		if (*s != '\0' && port_spec_number(s, item, &lo, cause) != 0)
			return (-1);
		if (dash[1] != '\0' &&
		    port_spec_number(dash + 1, item, &hi, cause) != 0)
			return (-1);
		if (lo > hi) {
			xasprintf(cause, "\"%s\": reversed range", item);
			return (-1);
		}
	}
	port_spec_add(set, protos, lo, hi);
	return (0);
}

/* A service name: its port for each protocol in protos that has it. */
static int
port_spec_name(struct port_spec_set *set, const char *name,
    const char *item, unsigned protos, char **cause)
{
	struct servent	 se, *res;
	char		 buf[1024];
	size_t		 i;
	int		 found = 0;

	for (i = 0; i < PORT_SPEC_NPROTOS; i++) {
		if ((protos & port_spec_protos[i].proto) == 0)
			continue;
		if (getservbyname_r(name, port_spec_protos[i].name, &se, buf,
		    sizeof buf, &res) != 0 || res == NULL)
			continue;
		port_spec_add(set, port_spec_protos[i].proto,
		    ntohs(res->s_port), ntohs(res->s_port));
		found = 1;
	}
	if (!found) {
		xasprintf(cause, "\"%s\": unknown service", item);
		return (-1);
	}
	return (0);
}

/*
 * One comma-separated item. A T: or U: prefix sets the protocol of this
 * item and of those after it (current) until the next prefix.
 */
static int
port_spec_item(struct port_spec_set *set, char *item, unsigned scanned,
    unsigned *current, char **cause)
{
	char	*s = item, *copy;
	size_t	 i;
	int	 rc;

	if (isalpha((unsigned char)s[0]) && s[1] == ':') {
		for (i = 0; i < PORT_SPEC_NPROTOS; i++) {
			if (port_spec_protos[i].prefix == s[0])
				break;
		}
		if (i == PORT_SPEC_NPROTOS) {
			xasprintf(cause, "\"%s\": unknown protocol prefix "
			    "(T: or U:)", item);
			return (-1);
		}
		if ((scanned & port_spec_protos[i].proto) == 0) {
			xasprintf(cause, "\"%s\": %s is not being scanned",
			    item, port_spec_protos[i].label);
			return (-1);
		}
		*current = port_spec_protos[i].proto;
		s += 2;
		if (*s == '\0') {
			xasprintf(cause, "\"%s\": no port after the prefix",
			    item);
			return (-1);
		}
	}

	if (isdigit((unsigned char)*s) || *s == '-') {
		copy = xstrdup(s);
		rc = port_spec_range(set, copy, item, *current, cause);
		free(copy);
		return (rc);
	}
	if (isalpha((unsigned char)*s))
		return (port_spec_name(set, s, item, *current, cause));
	xasprintf(cause, "\"%s\": not a port, range or service name", item);
	return (-1);
}

int
port_spec_parse(struct port_list *pl, const char *spec, unsigned protos,
    char **cause)
{
	struct port_spec_set	*set;
	char			*copy, *item, *next;
	unsigned		 current = protos;
	int			 rc = 0;

	pl->v = NULL;
	pl->n = 0;
	if (protos == 0 || (protos & ~(PORT_TCP | PORT_UDP)) != 0) {
		xasprintf(cause, "no TCP or UDP scan to take ports");
		return (-1);
	}
	if (*spec == '\0') {
		xasprintf(cause, "\"\": empty port list");
		return (-1);
	}

	set = xcalloc(1, sizeof *set);
	copy = xstrdup(spec);
	for (item = copy; item != NULL; item = next) {
		if ((next = strchr(item, ',')) != NULL)
			*next++ = '\0';
		if (*item == '\0') {
			xasprintf(cause, "\"%s\": empty item", spec);
			rc = -1;
			break;
		}
		if ((rc = port_spec_item(set, item, protos, &current,
		    cause)) != 0)
			break;
	}
	if (rc == 0)
		port_spec_to_list(set, pl);
	free(copy);
	free(set);
	return (rc);
}

/*
 * One line of nmap-services: "name port/proto frequency [more]", with
 * comments after '#'. Returns -1 for a line that is not one of these.
 */
static int
port_spec_freq_line(char *line, struct port_spec_freq *f)
{
	char		*field[3] = { NULL, NULL, NULL }, *last, *slash;
	char		*why = NULL;
	uint64_t	 port;
	size_t		 i;

	line[strcspn(line, "#")] = '\0';
	field[0] = strtok_r(line, " \t\r\n", &last);
	for (i = 1; i < 3 && field[i - 1] != NULL; i++)
		field[i] = strtok_r(NULL, " \t\r\n", &last);
	if (field[0] == NULL || field[1] == NULL || field[2] == NULL)
		return (-1);

	if ((slash = strchr(field[1], '/')) == NULL)
		return (-1);
	*slash++ = '\0';
	for (i = 0; i < PORT_SPEC_NPROTOS; i++) {
		if (strcmp(slash, port_spec_protos[i].name) == 0)
			break;
	}
	if (i == PORT_SPEC_NPROTOS)
		return (-1);
	f->proto = port_spec_protos[i].proto;

	if (strnum_u64(field[1], 1, PORT_SPEC_MAX, &port, &why) != 0 ||
	    strnum_double(field[2], 0, 1, &f->freq, &why) != 0) {
		free(why);
		return (-1);
	}
	f->port = port;
	return (0);
}

/* Every usable line of an nmap-services file; others are skipped. */
static size_t
port_spec_freq_read(FILE *fp, struct port_spec_freq **out)
{
	struct port_spec_freq	*v = NULL, f;
	size_t			 n = 0, size = 0, linesize = 0;
	char			*line = NULL;

	while (getline(&line, &linesize, fp) != -1) {
		if (port_spec_freq_line(line, &f) != 0)
			continue;
		if (n == size) {
			size = size == 0 ? 1024 : size * 2;
			v = xreallocarray(v, size, sizeof *v);
		}
		v[n++] = f;
	}
	free(line);
	*out = v;
	return (n);
}

/* Most often open first; the lower port first among equals. */
static int
port_spec_freq_cmp(const void *a0, const void *b0)
{
	const struct port_spec_freq	*a = a0, *b = b0;

	if (a->freq != b->freq)
		return (a->freq > b->freq ? -1 : 1);
	return ((int)a->port - (int)b->port);
}

/* Add the n best ports of protocol i from v (sorted); return how many. */
static size_t
port_spec_top_file(struct port_spec_set *set, size_t n,
    struct port_spec_freq *v, size_t nv, unsigned i)
{
	size_t	j, got = 0;

	for (j = 0; j < nv && got < n; j++) {
		if (v[j].proto != port_spec_protos[i].proto ||
		    port_spec_has(set, i, v[j].port))
			continue;
		port_spec_add(set, v[j].proto, v[j].port, v[j].port);
		got++;
	}
	return (got);
}

/* Add the n best ports of protocol i from tact's own ranking. */
static void
port_spec_top_rank(struct port_spec_set *set, size_t n, unsigned i)
{
	const uint16_t	*rank;
	size_t		 j, nrank;

	rank = port_rank_list(port_spec_protos[i].proto, &nrank);
	for (j = 0; j < nrank && j < n; j++)
		port_spec_add(set, port_spec_protos[i].proto, rank[j], rank[j]);
}

int
port_spec_top(struct port_list *pl, unsigned n, unsigned protos,
    const char *path, char **cause)
{
	struct port_spec_set	*set;
	struct port_spec_freq	*v = NULL;
	FILE			*fp;
	size_t			 i, nv = 0;

	pl->v = NULL;
	pl->n = 0;
	if (protos == 0 || (protos & ~(PORT_TCP | PORT_UDP)) != 0) {
		xasprintf(cause, "no TCP or UDP scan to take ports");
		return (-1);
	}
	if (n == 0) {
		xasprintf(cause, "\"0\": out of range 1-%u", PORT_SPEC_MAX);
		return (-1);
	}

	if (path == NULL)
		path = PORT_SPEC_NMAP_SERVICES;
	if ((fp = fopen(path, "r")) != NULL) {
		nv = port_spec_freq_read(fp, &v);
		fclose(fp);
		if (nv != 0)
			qsort(v, nv, sizeof *v, port_spec_freq_cmp);
	}

	set = xcalloc(1, sizeof *set);
	for (i = 0; i < PORT_SPEC_NPROTOS; i++) {
		if ((protos & port_spec_protos[i].proto) == 0)
			continue;
		if (port_spec_top_file(set, n, v, nv, i) == 0)
			port_spec_top_rank(set, n, i);
	}
	port_spec_to_list(set, pl);
	free(set);
	free(v);
	return (0);
}

void
port_list_free(struct port_list *pl)
{
	free(pl->v);
	pl->v = NULL;
	pl->n = 0;
}

size_t
port_list_count(const struct port_list *pl, unsigned protos)
{
	size_t	i, n = 0;

	for (i = 0; i < pl->n; i++) {
		if (pl->v[i].proto & protos)
			n++;
	}
	return (n);
}

/* A name of the services database, and where it came in the file. */
struct port_spec_servent {
	uint16_t	 port;
	unsigned	 proto;
	size_t		 order;
	char		*name;
};

/* The services database, read once: sorted by protocol and port. */
static struct port_spec_servent	*port_spec_servents;
static size_t			 port_spec_nservents;
static bool			 port_spec_servents_read;

static int
port_spec_servent_cmp(const void *a0, const void *b0)
{
	const struct port_spec_servent	*a = a0, *b = b0;

	if (a->proto != b->proto)
		return (a->proto < b->proto ? -1 : 1);
	if (a->port != b->port)
		return (a->port < b->port ? -1 : 1);
	if (a->order != b->order)
		return (a->order < b->order ? -1 : 1);
	return (0);
}

/*
 * Read the services database into the table, once a process: an output
 * names every port it prints, and getservbyport() reads the whole file
 * again each time. Of a port's names, the first in the file, as
 * getservbyport() gives.
 */
static void
port_spec_servents_load(void)
{
	struct servent	*se;
	size_t		 i, n = 0, size = 0;

	port_spec_servents_read = true;
	setservent(0);
	while ((se = getservent()) != NULL) {
		for (i = 0; i < PORT_SPEC_NPROTOS; i++) {
			if (strcmp(se->s_proto, port_spec_protos[i].name) == 0)
				break;
		}
		if (i == PORT_SPEC_NPROTOS)
			continue;
		if (n == size) {
			size = size == 0 ? 1024 : size * 2;
			port_spec_servents = xreallocarray(port_spec_servents,
			    size, sizeof *port_spec_servents);
		}
		port_spec_servents[n].port = ntohs((uint16_t)se->s_port);
		port_spec_servents[n].proto = port_spec_protos[i].proto;
		port_spec_servents[n].order = n;
		port_spec_servents[n].name = xstrdup(se->s_name);
		n++;
	}
	endservent();
	qsort(port_spec_servents, n, sizeof *port_spec_servents,
	    port_spec_servent_cmp);
	port_spec_nservents = n;
}

/*
 * The name from the services database (/etc/services), or NULL. It is
 * the table's, kept to the end of the process.
 */
const char *
port_spec_service(uint16_t port, unsigned proto)
{
	size_t	lo = 0, hi, mid;

	if (!port_spec_servents_read)
		port_spec_servents_load();
	hi = port_spec_nservents;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (port_spec_servents[mid].proto < proto ||
		    (port_spec_servents[mid].proto == proto &&
		    port_spec_servents[mid].port < port))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == port_spec_nservents ||
	    port_spec_servents[lo].proto != proto ||
	    port_spec_servents[lo].port != port)
		return (NULL);
	return (port_spec_servents[lo].name);
}
