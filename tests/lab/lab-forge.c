/*
 * lab-forge: the lab's hostile target. Run in a scanned host's
 * namespace, it captures every probe sent to that host and, for each,
 * forges answers for other hosts' ports from what it saw: ICMP port
 * unreachables (as the other host and as itself) and administratively
 * prohibited (as a router would) quoting the probe's headers turned
 * toward the other host and port, with nearby source ports (other
 * tries), with no payload or the one it saw, checksums made right; and
 * SYN-ACKs from the other host's ports acknowledging the sequence number
 * it saw. A scanner whose replies carry only public or learnable values
 * takes some of them; tests/lab/scan-forged.sh checks tact takes none.
 * Once capturing, it writes its process id into the ready file; on
 * SIGTERM it prints how many probes it saw and packets it forged.
 *
 * IPv4 only; it learns only from probes to its own address, as a host on
 * a switch sees them.
 */

#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <pcap.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FORGE_PORTS	64
#define FORGE_VICTIMS	8
#define FORGE_TRY_LO	(-1)	/* source ports from seen - 1 ... */
#define FORGE_TRY_HI	2	/* ... to seen + 2 */

struct forge {
	int		 fd;		/* raw socket */
	uint8_t		 self[4];
	uint8_t		 victims[FORGE_VICTIMS][4];
	int		 nvictims;
	int		 tcp[FORGE_PORTS];
	int		 ntcp;
	int		 udp[FORGE_PORTS];
	int		 nudp;
	unsigned long	 seen;
	unsigned long	 forged;
};

static volatile sig_atomic_t	forge_stop;

static void	 usage(void) __attribute__((noreturn));
static void	 on_term(int);
static void	 parse_addr(uint8_t *, const char *);
static int	 parse_ports(const char *, int *);
static uint16_t	 get16(const uint8_t *);
static void	 put16(uint8_t *, uint16_t);
static uint16_t	 cksum(uint32_t, const uint8_t *, size_t);
static uint32_t	 pseudo(const uint8_t *, const uint8_t *, uint8_t, size_t);
static void	 send_ip(struct forge *, const uint8_t *, const uint8_t *,
		     uint8_t, const uint8_t *, size_t);
static void	 send_unreach(struct forge *, const uint8_t *,
		     const uint8_t *, uint8_t, const uint8_t *, size_t);
static void	 forge_udp(struct forge *, const uint8_t *, const uint8_t *,
		     size_t);
static void	 forge_tcp(struct forge *, const uint8_t *, const uint8_t *,
		     size_t);
static void	 forge_packet(u_char *, const struct pcap_pkthdr *,
		     const u_char *);

static void
usage(void)
{
	fprintf(stderr, "usage: lab-forge -i iface -r readyfile "
	    "-t ports -u ports self victim ...\n");
	exit(2);
}

static void
on_term(int sig)
{
	forge_stop = 1;
}

static void
parse_addr(uint8_t *a, const char *s)
{
	if (inet_pton(AF_INET, s, a) != 1)
		errx(2, "\"%s\": bad IPv4 address", s);
}

/* "22,200-209" into ports; return how many. */
static int
parse_ports(const char *s, int *ports)
{
	char	*end;
	long	 lo, hi;
	int	 n = 0;

	for (;;) {
		errno = 0;
		lo = hi = strtol(s, &end, 10);
		if (errno == 0 && *end == '-')
			hi = strtol(end + 1, &end, 10);
		if (errno != 0 || end == s || (*end != '\0' && *end != ',') ||
		    lo < 1 || hi > 65535 || lo > hi)
			errx(2, "\"%s\": bad ports", s);
		for (; lo <= hi; lo++) {
			if (n == FORGE_PORTS)
				errx(2, "more than %d ports", FORGE_PORTS);
			ports[n++] = (int)lo;
		}
		if (*end == '\0')
			return (n);
		s = end + 1;
	}
}

static uint16_t
get16(const uint8_t *p)
{
	return ((uint16_t)(p[0] << 8 | p[1]));
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t
cksum(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t	i;

	for (i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len % 2)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ((uint16_t)~sum);
}

static uint32_t
pseudo(const uint8_t *src, const uint8_t *dst, uint8_t proto, size_t len)
{
	return ((uint32_t)get16(src) + get16(src + 2) + get16(dst) +
	    get16(dst + 2) + proto + (uint32_t)len);
}

/* An IPv4 packet from src to dst of proto carrying body. */
static void
send_ip(struct forge *f, const uint8_t *src, const uint8_t *dst,
    uint8_t proto, const uint8_t *body, size_t len)
{
	struct sockaddr_in	sin;
	uint8_t			pkt[1500];

	if (len > sizeof pkt - 20)
		return;
	memset(pkt, 0, 20);
	pkt[0] = 0x45;
	put16(pkt + 2, (uint16_t)(20 + len));
	pkt[8] = 64;
	pkt[9] = proto;
	memcpy(pkt + 12, src, 4);
	memcpy(pkt + 16, dst, 4);
	put16(pkt + 10, cksum(0, pkt, 20));
	memcpy(pkt + 20, body, len);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	memcpy(&sin.sin_addr, dst, 4);
	if (sendto(f->fd, pkt, 20 + len, 0, (struct sockaddr *)&sin,
	    sizeof sin) == -1)
		warn("sendto");
	else
		f->forged++;
}

/* ICMP destination unreachable of code from src to dst, quoting q. */
static void
send_unreach(struct forge *f, const uint8_t *src, const uint8_t *dst,
    uint8_t code, const uint8_t *q, size_t qlen)
{
	uint8_t	icmp[8 + 1472];

	if (qlen > sizeof icmp - 8)
		return;
	memset(icmp, 0, 8);
	icmp[0] = 3;
	icmp[1] = code;
	memcpy(icmp + 8, q, qlen);
	put16(icmp + 2, cksum(0, icmp, 8 + qlen));
	send_ip(f, src, dst, IPPROTO_ICMP, icmp, 8 + qlen);
}

/*
 * A UDP probe ip (header hl bytes, the datagram after it) to us: for
 * every victim's port and nearby source port, the probe's header turned
 * toward it, with no payload and with the payload seen, its checksum
 * right; as the victim's port unreachable, and as ours, and as a
 * router's prohibition.
 */
static void
forge_udp(struct forge *f, const uint8_t *ip, const uint8_t *udp,
    size_t ulen)
{
	uint8_t		q[20 + 1472];
	uint16_t	sport = get16(udp), len;
	int		v, i, d, keep;

	for (v = 0; v < f->nvictims; v++)
	for (i = 0; i < f->nudp; i++)
	for (d = FORGE_TRY_LO; d <= FORGE_TRY_HI; d++)
	for (keep = 0; keep <= 1; keep++) {
		len = (uint16_t)(keep ? ulen : 8);
		memcpy(q, ip, 20);
		q[0] = 0x45;
		put16(q + 2, (uint16_t)(20 + len));
		memcpy(q + 16, f->victims[v], 4);
		put16(q + 10, 0);
		put16(q + 10, cksum(0, q, 20));
		memcpy(q + 20, udp, len);
		put16(q + 20, (uint16_t)(sport + d));
		put16(q + 22, (uint16_t)f->udp[i]);
		put16(q + 24, len);
		put16(q + 26, 0);
		put16(q + 26, cksum(pseudo(q + 12, q + 16, IPPROTO_UDP, len),
		    q + 20, len));
		send_unreach(f, f->victims[v], ip + 12, 3, q, 20 + len);
		send_unreach(f, f->self, ip + 12, 3, q, 20 + len);
		send_unreach(f, f->self, ip + 12, 13, q, 20 + len);
	}
}

/*
 * A SYN ip to us: for every victim's port and nearby source port, a
 * SYN-ACK from that port acknowledging the sequence number seen, and
 * the probe turned toward it quoted as the victim's port unreachable
 * and as a router's prohibition.
 */
static void
forge_tcp(struct forge *f, const uint8_t *ip, const uint8_t *tcp,
    size_t tlen)
{
	uint8_t		seg[20], q[28];
	uint32_t	seq = (uint32_t)get16(tcp + 4) << 16 | get16(tcp + 6);
	uint16_t	sport = get16(tcp);
	int		v, i, d;

	for (v = 0; v < f->nvictims; v++)
	for (i = 0; i < f->ntcp; i++)
	for (d = FORGE_TRY_LO; d <= FORGE_TRY_HI; d++) {
		memset(seg, 0, sizeof seg);
		put16(seg, (uint16_t)f->tcp[i]);
		put16(seg + 2, (uint16_t)(sport + d));
		put16(seg + 4, 0x1234);		/* our sequence */
		put16(seg + 8, (uint16_t)((seq + 1) >> 16));
		put16(seg + 10, (uint16_t)(seq + 1));
		seg[12] = 0x50;
		seg[13] = 0x12;			/* SYN-ACK */
		put16(seg + 14, 64240);
		put16(seg + 16, cksum(pseudo(f->victims[v], ip + 12,
		    IPPROTO_TCP, sizeof seg), seg, sizeof seg));
		send_ip(f, f->victims[v], ip + 12, IPPROTO_TCP, seg,
		    sizeof seg);

		memcpy(q, ip, 20);
		q[0] = 0x45;
		put16(q + 2, (uint16_t)(20 + (tlen < 8 ? 8 : tlen)));
		memcpy(q + 16, f->victims[v], 4);
		put16(q + 10, 0);
		put16(q + 10, cksum(0, q, 20));
		memcpy(q + 20, tcp, 8);
		put16(q + 20, (uint16_t)(sport + d));
		put16(q + 22, (uint16_t)f->tcp[i]);
		send_unreach(f, f->victims[v], ip + 12, 3, q, sizeof q);
		send_unreach(f, f->self, ip + 12, 13, q, sizeof q);
	}
}

/* An Ethernet frame from the capture: a probe to us, or nothing. */
static void
forge_packet(u_char *arg, const struct pcap_pkthdr *h, const u_char *p)
{
	struct forge	*f = (struct forge *)arg;
	const uint8_t	*ip = p + 14, *l4;
	size_t		 len, hl, total;

	if (h->caplen < 14 + 20 || get16(p + 12) != 0x0800)
		return;
	len = h->caplen - 14;
	hl = (size_t)(ip[0] & 0xf) * 4;
	total = get16(ip + 2);
	if ((ip[0] >> 4) != 4 || hl < 20 || total < hl + 8 || total > len ||
	    memcmp(ip + 16, f->self, 4) != 0)
		return;
	l4 = ip + hl;
	if (ip[9] == IPPROTO_UDP && get16(l4 + 4) >= 8 &&
	    get16(l4 + 4) <= total - hl && get16(l4 + 4) <= 512) {
		f->seen++;
		forge_udp(f, ip, l4, get16(l4 + 4));
	} else if (ip[9] == IPPROTO_TCP && total >= hl + 20 &&
	    (l4[13] & 0x12) == 0x02) {
		f->seen++;
		forge_tcp(f, ip, l4, total - hl);
	}
}

int
main(int argc, char **argv)
{
	struct forge		 f;
	struct sigaction	 sa;
	struct bpf_program	 prog;
	struct pollfd		 pfd;
	char			 errbuf[PCAP_ERRBUF_SIZE], filter[128];
	const char		*iface = NULL, *ready = NULL;
	pcap_t			*pc;
	FILE			*fp;
	int			 ch, i;

	memset(&f, 0, sizeof f);
	while ((ch = getopt(argc, argv, "i:r:t:u:")) != -1) {
		switch (ch) {
		case 'i':
			iface = optarg;
			break;
		case 'r':
			ready = optarg;
			break;
		case 't':
			f.ntcp = parse_ports(optarg, f.tcp);
			break;
		case 'u':
			f.nudp = parse_ports(optarg, f.udp);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (iface == NULL || ready == NULL || argc < 2 ||
	    argc - 1 > FORGE_VICTIMS)
		usage();
	parse_addr(f.self, argv[0]);
	for (i = 1; i < argc; i++)
		parse_addr(f.victims[f.nvictims++], argv[i]);

	if ((f.fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW)) == -1)
		err(1, "raw socket");
	if ((pc = pcap_create(iface, errbuf)) == NULL)
		errx(1, "pcap: %s", errbuf);
	if (pcap_set_snaplen(pc, 1514) != 0 ||
	    pcap_set_immediate_mode(pc, 1) != 0 ||
	    pcap_activate(pc) < 0 || pcap_setnonblock(pc, 1, errbuf) != 0)
		errx(1, "pcap: %s: %s", iface, pcap_geterr(pc));
	if (pcap_datalink(pc) != DLT_EN10MB)
		errx(1, "%s: not Ethernet", iface);
	snprintf(filter, sizeof filter, "ip dst host %s and (udp or tcp)",
	    argv[0]);
	if (pcap_compile(pc, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0 ||
	    pcap_setfilter(pc, &prog) != 0 ||
	    pcap_setdirection(pc, PCAP_D_IN) != 0)
		errx(1, "pcap: %s", pcap_geterr(pc));
	pcap_freecode(&prog);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if ((fp = fopen(ready, "w")) == NULL ||
	    fprintf(fp, "%ld\n", (long)getpid()) < 0 || fclose(fp) != 0)
		err(1, "%s", ready);

	pfd.fd = pcap_get_selectable_fd(pc);
	pfd.events = POLLIN;
	while (!forge_stop) {
		if (poll(&pfd, 1, 100) == -1 && errno != EINTR)
			err(1, "poll");
		if (pcap_dispatch(pc, -1, forge_packet, (u_char *)&f) == -1)
			errx(1, "pcap: %s", pcap_geterr(pc));
	}
	printf("seen %lu forged %lu\n", f.seen, f.forged);
	pcap_close(pc);
	close(f.fd);
	return (0);
}
