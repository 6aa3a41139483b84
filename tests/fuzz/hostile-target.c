/*
 * A hostile target for tests/fuzz/hostile.sh: run inside a lab host's
 * namespace, it reads the frames arriving on an interface and answers
 * every TCP SYN with a reply that is malformed in the way the
 * destination port chooses (see the table), written as a raw Ethernet
 * frame so that nothing in the kernel can correct it. Only what it
 * reads is answered, on that one interface, to the sender's MAC: it
 * never sends anything of its own accord.
 *
 *	hostile-target IFNAME
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define HOSTILE_FRAME	256

/* The replies, by destination port of the SYN; see hostile.sh. */
enum hostile_kind {
	HOSTILE_SYNACK = 1,	/* a good SYN-ACK: the port is open */
	HOSTILE_TRUNCATED,	/* TCP header cut to 12 bytes */
	HOSTILE_BAD_IP_CKSUM,	/* a SYN-ACK with a wrong IP checksum */
	HOSTILE_BAD_TCP_CKSUM,	/* a RST with a wrong TCP checksum */
	HOSTILE_IHL_LONG,	/* IHL 15, longer than the packet */
	HOSTILE_IHL_SHORT,	/* IHL 4 */
	HOSTILE_HUGE_OPTIONS,	/* 40 bytes of TCP options, some absurd */
	HOSTILE_TOTAL_LONG,	/* total length 1500, more than was sent */
	HOSTILE_DOFF_ZERO,	/* a RST with data offset 0 */
	HOSTILE_VERSION_6,	/* version 6 in an IPv4 frame */
	HOSTILE_FRAGMENT,	/* a SYN-ACK with more fragments set */
	HOSTILE_ICMP_BAD_QUOTE,	/* port unreachable, quoting IHL 15 */
	HOSTILE_RUNT,		/* the frame cut in the IP header */
	HOSTILE_MAX
};

static uint16_t	cksum(uint32_t, const uint8_t *, size_t);
static size_t	make_ip(uint8_t *, const uint8_t *, uint8_t, size_t);
static size_t	make_tcp(uint8_t *, const uint8_t *, uint8_t, size_t);
static size_t	hostile_reply(uint8_t *, const uint8_t *, size_t);

static uint16_t
cksum(uint32_t sum, const uint8_t *p, size_t len)
{
	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)(p[0] << 8 | p[1]);
	if (len == 1)
		sum += (uint32_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ((uint16_t)~sum);
}

/* An IPv4 header at ip answering the one at in, for payload bytes. */
static size_t
make_ip(uint8_t *ip, const uint8_t *in, uint8_t proto, size_t payload)
{
	uint16_t	total = (uint16_t)(20 + payload), ck;

	memset(ip, 0, 20);
	ip[0] = 0x45;
	ip[2] = (uint8_t)(total >> 8);
	ip[3] = (uint8_t)total;
	ip[8] = 64;
	ip[9] = proto;
	memcpy(ip + 12, in + 16, 4);
	memcpy(ip + 16, in + 12, 4);
	ck = cksum(0, ip, 20);
	ip[10] = (uint8_t)(ck >> 8);
	ip[11] = (uint8_t)ck;
	return (20);
}

/*
 * A 20-byte TCP header (and optlen bytes of options) at tcp answering
 * the SYN at in (IP header first), with its checksum.
 */
static size_t
make_tcp(uint8_t *tcp, const uint8_t *in, uint8_t flags, size_t optlen)
{
	const uint8_t	*syn = in + (in[0] & 0xf) * 4;
	uint32_t	 ack, sum;
	uint16_t	 ck;
	size_t		 len = 20 + optlen, i;

	memset(tcp, 0, len);
	memcpy(tcp, syn + 2, 2);
	memcpy(tcp + 2, syn, 2);
	tcp[4] = 0x5e;
	ack = (uint32_t)syn[4] << 24 | (uint32_t)syn[5] << 16 |
	    (uint32_t)syn[6] << 8 | syn[7];
	ack++;
	tcp[8] = (uint8_t)(ack >> 24);
	tcp[9] = (uint8_t)(ack >> 16);
	tcp[10] = (uint8_t)(ack >> 8);
	tcp[11] = (uint8_t)ack;
	tcp[12] = (uint8_t)((len / 4) << 4);
	tcp[13] = flags;
	tcp[14] = 0x10;
	for (i = 20; i < len; i++)	/* options: kinds with silly lengths */
		tcp[i] = (uint8_t)(i % 3 == 0 ? 0xff : i % 3 == 1 ? 0 : 2);
	sum = 6 + (uint32_t)len;
	sum += (uint32_t)(in[12] << 8 | in[13]) + (uint32_t)(in[14] << 8 |
	    in[15]) + (uint32_t)(in[16] << 8 | in[17]) +
	    (uint32_t)(in[18] << 8 | in[19]);
	ck = cksum(sum, tcp, len);
	tcp[16] = (uint8_t)(ck >> 8);
	tcp[17] = (uint8_t)ck;
	return (len);
}

/*
 * The reply to the frame in (Ethernet, IPv4, a TCP SYN) in out: its
 * length, or 0 for a frame that is not a SYN to answer.
 */
static size_t
hostile_reply(uint8_t *out, const uint8_t *in, size_t len)
{
	const uint8_t	*ip = in + 14;
	uint8_t		*o = out + 14, *tcp;
	size_t		 n;
	uint16_t	 port, ck;

	if (len < 14 + 20 + 20 || in[12] != 0x08 || in[13] != 0x00 ||
	    ip[0] != 0x45 || ip[9] != IPPROTO_TCP)
		return (0);
	if (ip[20 + 13] != 0x02)	/* SYN alone */
		return (0);
	port = (uint16_t)(ip[20 + 2] << 8 | ip[20 + 3]);
	if (port == 0 || port >= HOSTILE_MAX)
		return (0);

	memcpy(out, in + 6, 6);
	memcpy(out + 6, in, 6);
	out[12] = 0x08;
	out[13] = 0x00;
	tcp = o + 20;
	switch (port) {
	case HOSTILE_SYNACK:
	case HOSTILE_BAD_IP_CKSUM:
	case HOSTILE_FRAGMENT:
	case HOSTILE_TOTAL_LONG:
	case HOSTILE_IHL_SHORT:
	case HOSTILE_VERSION_6:
		n = make_tcp(tcp, ip, 0x12, 0);
		make_ip(o, ip, IPPROTO_TCP, n);
		if (port == HOSTILE_BAD_IP_CKSUM)
			o[10] ^= 0x5a;
		else if (port == HOSTILE_FRAGMENT)
			o[6] = 0x20;
		else if (port == HOSTILE_TOTAL_LONG) {
			o[2] = 0x05;
			o[3] = 0xdc;
		} else if (port == HOSTILE_IHL_SHORT)
			o[0] = 0x44;
		else if (port == HOSTILE_VERSION_6)
			o[0] = 0x65;
		return (14 + 20 + n);
	case HOSTILE_TRUNCATED:
		make_tcp(tcp, ip, 0x12, 0);
		make_ip(o, ip, IPPROTO_TCP, 12);
		return (14 + 20 + 12);
	case HOSTILE_BAD_TCP_CKSUM:
		n = make_tcp(tcp, ip, 0x14, 0);
		tcp[16] ^= 0x5a;
		make_ip(o, ip, IPPROTO_TCP, n);
		return (14 + 20 + n);
	case HOSTILE_IHL_LONG:
		n = make_tcp(tcp, ip, 0x12, 0);
		make_ip(o, ip, IPPROTO_TCP, n);
		o[0] = 0x4f;
		return (14 + 20 + n);
	case HOSTILE_HUGE_OPTIONS:
		n = make_tcp(tcp, ip, 0x12, 40);
		make_ip(o, ip, IPPROTO_TCP, n);
		return (14 + 20 + n);
	case HOSTILE_DOFF_ZERO:
		n = make_tcp(tcp, ip, 0x14, 0);
		tcp[12] = 0;
		make_ip(o, ip, IPPROTO_TCP, n);
		return (14 + 20 + n);
	case HOSTILE_ICMP_BAD_QUOTE:
		memset(tcp, 0, 8);
		tcp[0] = 3;
		tcp[1] = 3;
		memcpy(tcp + 8, ip, 28);
		tcp[8] = 0x4f;
		n = 8 + 28;
		make_ip(o, ip, IPPROTO_ICMP, n);
		ck = cksum(0, tcp, n);
		tcp[2] = (uint8_t)(ck >> 8);
		tcp[3] = (uint8_t)ck;
		return (14 + 20 + n);
	case HOSTILE_RUNT:
		n = make_tcp(tcp, ip, 0x12, 0);
		make_ip(o, ip, IPPROTO_TCP, n);
		return (14 + 10);
	}
	return (0);
}

int
main(int argc, char **argv)
{
	struct sockaddr_ll	sll;
	uint8_t			in[HOSTILE_FRAME], out[HOSTILE_FRAME + 64];
	ssize_t			n;
	size_t			len;
	int			fd, ifindex;

	if (argc != 2)
		errx(2, "usage: hostile-target ifname");
	if ((ifindex = (int)if_nametoindex(argv[1])) == 0)
		err(1, "%s", argv[1]);
	if ((fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_IP))) == -1)
		err(1, "socket");
	memset(&sll, 0, sizeof sll);
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_IP);
	sll.sll_ifindex = ifindex;
	if (bind(fd, (struct sockaddr *)&sll, sizeof sll) == -1)
		err(1, "bind");
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		socklen_t	slen = sizeof sll;

		n = recvfrom(fd, in, sizeof in, 0, (struct sockaddr *)&sll,
		    &slen);
		if (n == -1)
			err(1, "recvfrom");
		if (sll.sll_pkttype != PACKET_HOST)
			continue;
		memset(out, 0, sizeof out);
		if ((len = hostile_reply(out, in, (size_t)n)) == 0)
			continue;
		if (send(fd, out, len, 0) == -1)
			warn("send");
	}
}
