/*
 * Port lists: -p 22,80,1000-2000,T:443,U:53, -p-, -F, --top-ports N, and
 * service names for ports (from /etc/services).
 */
#ifndef PORT_SPEC_H
#define PORT_SPEC_H

#include <stddef.h>
#include <stdint.h>

#define PORT_TCP	0x1
#define PORT_UDP	0x2

struct port_entry {
	uint16_t	port;
	uint8_t		proto;		/* PORT_TCP or PORT_UDP */
};

/* Sorted by protocol (TCP first), then port; no duplicates. */
struct port_list {
	struct port_entry	*v;
	size_t			 n;
};

/*
 * Parse a -p specification. Ports without a T: or U: prefix belong to
 * every protocol in protos (PORT_TCP|PORT_UDP for -sS -sU).
 */
int		 port_spec_parse(struct port_list *, const char *, unsigned,
		     char **);
/*
 * The n most often open ports of each protocol in protos, ranked by the
 * nmap-services file at path when it is readable, else by tact's own
 * list (port-rank.c). path may be NULL for the default location.
 */
int		 port_spec_top(struct port_list *, unsigned, unsigned,
		     const char *, char **);
void		 port_list_free(struct port_list *);
size_t		 port_list_count(const struct port_list *, unsigned);

/* The service name of a port ("ssh"), or NULL when there is none. */
const char	*port_spec_service(uint16_t, unsigned);

#endif
