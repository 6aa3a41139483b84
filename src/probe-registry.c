/*
 * The registry of every probe: one list, so that whatever must visit
 * each technique (the replay of captured packets in the fuzzers) finds
 * them all. It sits above the probes, which know nothing of it.
 */
#include <stddef.h>

#include "probe.h"

const struct probe_ops *const probe_registry[] = {
	&probe_tcp_syn,
	&probe_tcp_ack,
	&probe_tcp_connect,
	&probe_icmp_echo,
	&probe_icmp_tstamp,
	&probe_arp,
	&probe_nd,
	&probe_udp,
	NULL
};
