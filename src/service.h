/*
 * Service and version detection's database: probes to send to an open
 * port and the patterns that name what answers, in the grammar of Nmap's
 * nmap-service-probes (Probe, match and softmatch with m|regex|flags and
 * the p/ v/ i/ h/ o/ d/ cpe:/ templates, Exclude, ports, sslports,
 * totalwaitms, tcpwrappedms, rarity, fallback). It is read at run time
 * from an installed Nmap's file, or else from tact's own small table
 * (service-table.c), written in the same grammar from the protocols'
 * specifications. service-probes.c parses, service-match.c matches.
 */
#ifndef SERVICE_H
#define SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "port-spec.h"

/* Where an installed Nmap keeps its probes. */
#define SERVICE_PROBES_PATH	"/usr/share/nmap/nmap-service-probes"
#define SERVICE_PROBES_FILE	"nmap-service-probes"

#define SERVICE_INTENSITY_MAX	9
#define SERVICE_WAIT_MS		5000	/* totalwaitms a probe lacks */
#define SERVICE_WRAPPED_MS	3000	/* tcpwrappedms a probe lacks */
#define SERVICE_RARITY		5	/* rarity a probe lacks */
#define SERVICE_FILE_MAX	(16 * 1024 * 1024)
#define SERVICE_CPE_MAX		8	/* cpe:/ templates a match keeps */
#define SERVICE_VALUE_MAX	256	/* bytes of a field or a CPE */

/* The version fields of a match, in the order Nmap's XML lists them. */
enum service_field {
	SERVICE_PRODUCT,	/* p/ */
	SERVICE_VERSION,	/* v/ */
	SERVICE_EXTRAINFO,	/* i/ */
	SERVICE_HOSTNAME,	/* h/ */
	SERVICE_OSTYPE,		/* o/ */
	SERVICE_DEVICETYPE,	/* d/ */
	SERVICE_FIELD_MAX
};

struct service_match {
	char		*service;
	bool		 soft;		/* softmatch: the service, not the version */
	void		*re;		/* pcre2_code */
	char		*tmpl[SERVICE_FIELD_MAX];	/* NULL: none */
	char		*cpe[SERVICE_CPE_MAX];
	size_t		 ncpe;
	unsigned	 line;
};

struct service_probe {
	char			*name;
	uint8_t			 proto;		/* PORT_TCP or PORT_UDP */
	uint8_t			*data;		/* what is sent; NULL probe: none */
	size_t			 len;
	struct port_list	 ports;		/* likely on these ports */
	struct port_list	 sslports;	/* likely inside TLS there */
	unsigned		 rarity;	/* 1 (common) to 9 */
	unsigned		 totalwaitms;
	unsigned		 tcpwrappedms;
	size_t			*fallback;	/* probe indexes */
	size_t			 nfallback;
	struct service_match	*matches;
	size_t			 nmatches;
};

struct service_db {
	char			*source;	/* the path, or "tact" */
	struct service_probe	*probes;
	size_t			 nprobes;
	struct port_list	 exclude;	/* never probed */
	size_t			 nmatches;
};

/* What a match says of a service; every string NUL-terminated. */
struct service_info {
	char		*service;
	char		*field[SERVICE_FIELD_MAX];	/* NULL: not given */
	char		*cpe[SERVICE_CPE_MAX];	/* "cpe:/a:vendor:product" */
	size_t		 ncpe;
	bool		 soft;
	unsigned	 line;		/* of the match in its source */
};

/*
 * Read a database: path's file, or tact's own table when path is NULL.
 * NULL and cause ("path:line: reason") when it does not parse.
 */
struct service_db	*service_db_load(const char *, char **);
/* The same from bytes in memory; name is what errors call them. */
struct service_db	*service_db_parse(const char *, const char *, size_t,
			    char **);
void			 service_db_free(struct service_db *);
/* The index of the probe called name, or -1. */
long			 service_db_find(const struct service_db *,
			    const char *);

/*
 * The probes to try on a port, in order: the NULL probe (TCP), then the
 * probes that name the port in ports (sslports inside TLS), then the
 * others of rarity at most intensity, each in the order of the file.
 * Fills out (at least db->nprobes long) and returns how many; 0 for an
 * excluded port.
 */
size_t			 service_db_order(const struct service_db *, uint16_t,
			    uint8_t, bool, unsigned, size_t *);

/*
 * Match a response to probe i: its own matches, then its fallbacks' (or,
 * for a TCP probe without fallbacks, the NULL probe's), first match
 * wins. With only set, only matches for that service count (after a
 * softmatch). Returns 1 for a match, 0 for none (info untouched); info
 * is filled and must be freed with service_info_free().
 */
int			 service_db_match(const struct service_db *, size_t,
			    const uint8_t *, size_t, const char *,
			    struct service_info *);
/* Does any match of probe i (or its fallbacks) name service? */
bool			 service_db_may_name(const struct service_db *, size_t,
			    const char *);
void			 service_info_free(struct service_info *);

/*
 * Fill a template ("$1", "$P(2)", "$SUBST(1,\"_\",\".\")", "$I(1,\">\")")
 * from the match's groups (ovector pairs, n of them) in subject; at most
 * SERVICE_VALUE_MAX bytes. Returns NULL when the template refers to a
 * group that did not match.
 */
char			*service_subst(const char *, const uint8_t *,
			    const size_t *, size_t);

/* tact's own table, in the grammar of nmap-service-probes. */
extern const char	service_table[];
extern const size_t	service_table_len;

#endif
