/*
 * tact's own ranking of the ports most often open, used for -F and
 * --top-ports when no nmap-services file is installed.
 */
#ifndef PORT_RANK_H
#define PORT_RANK_H

#include <stddef.h>
#include <stdint.h>

/* The ports of one protocol (PORT_TCP or PORT_UDP), best first; NULL else. */
const uint16_t	*port_rank_list(unsigned, size_t *);

#endif
