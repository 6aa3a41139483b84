/*
 * Probes: one table of operations per technique (TCP SYN, TCP ACK, TCP
 * connect, ICMP echo and timestamp, ARP). The engine (scan.c) knows
 * nothing about packets: it asks a probe to make one, hands every reply
 * to the probes' match functions and records what classify decides.
 */
#ifndef PROBE_H
#define PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "target.h"

#define PROBE_PACKET_MAX	256
/* The IPv4 TTL and IPv6 hop limit of a probe when --ttl is not given. */
#define PROBE_TTL		64
#define PROBE_TRIES_MAX		16	/* tries a reply can tell apart */

/* Big-endian fields of a packet, for the parsers of either family. */
static inline uint16_t
probe_get16(const uint8_t *p)
{
	return ((uint16_t)(p[0] << 8 | p[1]));
}

static inline uint32_t
probe_get32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3]);
}

/*
 * The ones' complement sum of buf, added to sum, folded and inverted:
 * here, not in a module, so that the family leaves and the probes above
 * them share it without depending on each other.
 */
static inline uint16_t
probe_packet_cksum(uint32_t sum, const void *buf, size_t len)
{
	const uint8_t	*p = buf;

	while (len > 1) {
		sum += probe_get16(p);
		p += 2;
		len -= 2;
	}
	if (len == 1)
		sum += (uint32_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ((uint16_t)~sum);
}

/* How a probe reaches the wire. */
enum probe_kind {
	PROBE_RAW_IP,		/* an IPv4 packet through the raw socket */
	PROBE_RAW_LINK,		/* an Ethernet frame (ARP, ND) */
	PROBE_SOCKET		/* a non-blocking socket of its own */
};

/* What the probes share: addresses and the secret of the cookies. */
struct probe_ctx {
	struct target_addr	src;		/* our address */
	uint8_t			src_mac[6];
	uint64_t		secret[2];	/* SipHash key */
	uint16_t		sport_base;	/* offset of the keyed source ports */
	uint16_t		sport_fixed;	/* -g; 0: keyed ports */
	uint8_t			ttl;	/* IPv4 TTL, IPv6 hop limit; 0: 64 */
};

/* One probe to make: to whom, which port, which try (from 0). */
struct probe_target {
	struct target_addr	dst;
	uint16_t		port;		/* TCP port; 0 for ICMP, ARP */
	uint8_t			try;
	/* Keyed source ports: the first try's, once known; 0: not yet. */
	uint16_t		sport0;
};

/* A made probe: a packet, or a socket whose connect() has begun. */
struct probe_packet {
	uint8_t		buf[PROBE_PACKET_MAX];
	size_t		len;
	int		fd;		/* PROBE_SOCKET: -1 if it failed */
	int		error;		/* PROBE_SOCKET: an immediate result */
	bool		done;		/* PROBE_SOCKET: error is final now */
	uint16_t	sport0;		/* the first try's keyed port; 0: none */
};

enum probe_reply_type {
	PROBE_REPLY_TCP = 1,
	PROBE_REPLY_ICMP,		/* echo or timestamp reply */
	PROBE_REPLY_ICMP_ERROR,		/* unreachable, quoting our packet */
	PROBE_REPLY_ARP,
	PROBE_REPLY_SOCKET,		/* a connect() finished */
	PROBE_REPLY_UDP,		/* a datagram from the port */
	PROBE_REPLY_ND			/* a Neighbor Advertisement */
};

/* A reply, parsed from the wire by probe_packet_parse() or a socket. */
struct probe_reply {
	enum probe_reply_type	type;
	struct target_addr	from;
	struct target_addr	to;
	uint8_t			ttl;
	/* TCP */
	uint16_t		sport;
	uint16_t		dport;
	uint32_t		seq;
	uint32_t		ack;
	uint8_t			flags;
	/* ICMP */
	uint8_t			icmp_type;
	uint8_t			icmp_code;
	uint16_t		icmp_id;
	uint16_t		icmp_seq;
	/*
	 * ICMP error: the header of the packet it quotes; q_mark is its
	 * IPv4 identifier or IPv6 flow label.
	 */
	struct target_addr	q_dst;
	uint32_t		q_mark;
	uint8_t			q_proto;
	uint16_t		q_sport;
	uint16_t		q_dport;
	uint32_t		q_seq;
	/*
	 * ARP: from is the sender, mac its hardware address; ND: from is
	 * the advertised target address.
	 */
	uint8_t			mac[6];
	/* PROBE_REPLY_SOCKET: 0 or the errno of connect() */
	int			error;
};

/* What a reply means. */
struct probe_verdict {
	uint8_t		port_state;	/* enum event_port_state; 0: none */
	uint8_t		reason;		/* enum event_reason */
	bool		host_up;	/* the host answered */
};

struct probe_ops {
	const char	*name;
	enum probe_kind	 kind;
	/* A pcap filter for its replies; NULL for PROBE_SOCKET. */
	const char	*filter;
	/* Check the probe can run here; NULL when there is nothing to do. */
	int		(*prepare)(struct probe_ctx *, char **);
	/* Make the probe for t. -1 and cause if it cannot. */
	int		(*make)(const struct probe_ctx *,
			    const struct probe_target *, struct probe_packet *,
			    char **);
	/*
	 * Is r a genuine reply to one of our probes (its cookie checks
	 * out)? Fill t with the probe's address and port. NULL for
	 * PROBE_SOCKET, whose descriptor says which probe it is.
	 */
	bool		(*match)(const struct probe_ctx *,
			    const struct probe_reply *, struct probe_target *);
	void		(*classify)(const struct probe_reply *,
			    struct probe_verdict *);
};

extern const struct probe_ops probe_tcp_syn;
extern const struct probe_ops probe_tcp_ack;
extern const struct probe_ops probe_tcp_connect;
extern const struct probe_ops probe_icmp_echo;
extern const struct probe_ops probe_icmp_tstamp;
extern const struct probe_ops probe_arp;
extern const struct probe_ops probe_nd;
extern const struct probe_ops probe_udp;
/* Every probe, in one registry (probe-registry.c), NULL-terminated. */
extern const struct probe_ops *const probe_registry[];

/* Packet helpers for the probes, either family (probe-packet.c). */
uint64_t	probe_packet_siphash(const uint64_t *, const void *, size_t);
void		probe_packet_keys(const struct probe_ctx *,
		    const struct target_addr *, uint16_t, uint16_t, uint32_t *,
		    uint32_t *);
uint32_t	probe_packet_cookie(const struct probe_ctx *,
		    const struct target_addr *, uint16_t, uint16_t);
uint32_t	probe_packet_mark(const struct probe_ctx *,
		    const struct target_addr *, uint16_t, uint16_t);
uint16_t	probe_packet_sport(const struct probe_ctx *,
		    const struct target_addr *, uint16_t, uint8_t);
uint16_t	probe_packet_sport_of(const struct probe_ctx *,
		    const struct probe_target *, struct probe_packet *);
uint16_t	probe_packet_key(const struct probe_ctx *, uint16_t, uint8_t);
bool		probe_packet_sport_tries(const struct probe_ctx *,
		    const struct target_addr *, uint16_t, uint16_t, uint8_t *,
		    uint8_t *);
size_t		probe_packet_ip(uint8_t *, size_t,
		    const struct probe_ctx *, const struct target_addr *,
		    uint8_t, uint16_t, uint32_t);
uint32_t	probe_packet_pseudo(const struct target_addr *,
		    const struct target_addr *, uint8_t, uint16_t);
int		probe_packet_parse(const uint8_t *, size_t,
		    struct probe_reply *);

/*
 * The transport header a family's parser leaves for probe_packet_parse():
 * proto's header and payload, len bytes at p.
 */
struct probe_payload {
	uint8_t		 proto;
	const uint8_t	*p;
	size_t		 len;
};

/*
 * The families, leaves that know nothing of each other or of the
 * transports: IPv4 (probe-packet4.c) and IPv6 (probe-packet6.c). Their
 * parsers read the IP header into r (zeroed by the caller) and an ICMP
 * or ICMPv6 message whole: -1 refused, 0 r is complete, 1 the transport
 * header is left in the payload.
 */
size_t		probe_packet_ip4(uint8_t *, size_t, const struct target_addr *,
		    const struct target_addr *, uint8_t, uint16_t, uint32_t,
		    uint8_t);
int		probe_packet_parse4(const uint8_t *, size_t,
		    struct probe_reply *, struct probe_payload *);
int		probe_packet_parse_arp(const uint8_t *, size_t,
		    struct probe_reply *);
void		probe_packet_addr4(struct target_addr *, const uint8_t *);

size_t		probe_packet_ip6(uint8_t *, size_t, const struct target_addr *,
		    const struct target_addr *, uint8_t, uint16_t, uint32_t,
		    uint8_t);
int		probe_packet_parse6(const uint8_t *, size_t,
		    struct probe_reply *, struct probe_payload *);
void		probe_packet_addr6(struct target_addr *, const uint8_t *);

#endif
