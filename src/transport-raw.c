/*
 * The raw transport. The route comes from the kernel: connect() a UDP
 * socket to the target and read back the source address it chose, then
 * find the interface holding that address; or, with -e, take the
 * interface named, its address of the target's family, and bind the raw
 * socket to it. Replies are read with pcap in
 * immediate mode through a BPF filter built from the probes in use,
 * locked once set (SO_LOCK_FILTER) so that the engine, once it has
 * dropped its privileges, cannot widen what it captures; the link header
 * is stripped here and the rest left to probe_packet_parse(). IP probes
 * are queued and go out many to a system call, by a sending thread
 * (transport-batch.c), when the engine flushes; ARP and ND frames go out
 * at once.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>

#include <errno.h>
#include <ifaddrs.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "transport.h"
#include "transport-batch.h"
#include "xmalloc.h"

#define TRANSPORT_SNAPLEN	256
#define TRANSPORT_SNDBUF	(1024 * 1024)

struct transport {
	pcap_t		*pcap;
	int		 linktype;
	int		 raw;		/* IPv4, IP_HDRINCL */
	int		 link;		/* AF_PACKET for ARP and ND, or -1 */
	int		 ifindex;
	char		*iface;		/* -e, or NULL */
	void		(*fn)(void *, const struct probe_reply *);
	void		*arg;
	struct transport_batch batch;	/* IP probes not yet sent */
};

static int	route_iface(const struct target_addr *, const char *,
		    struct probe_ctx *, char *, int *, char **);
static int	route_forced(const struct target_addr *, const char *,
		    struct probe_ctx *, char **);
static void	transport_packet(u_char *, const struct pcap_pkthdr *,
		    const u_char *);
static int	raw_route(void *, const struct target_addr *,
		    struct probe_ctx *, char **);
static int	raw_fd(void *);
static int	raw_send(void *, const struct probe_target *, enum probe_kind,
		    const struct probe_packet *, char **);
static int	raw_read(void *, void (*)(void *, const struct probe_reply *),
		    void *, char **);
static int	raw_flush(void *, char **);
static void	raw_close(void *);

/*
 * -e: the source is iface's first address of dst's family (of the same
 * scope as dst, for IPv6: a link-local target needs a link-local
 * source); dst is direct when inside that address's prefix on Ethernet.
 */
static int
route_forced(const struct target_addr *dst, const char *iface,
    struct probe_ctx *ctx, char **cause)
{
	struct ifaddrs		*ifa, *i;
	struct sockaddr_ll	*sll;
	const uint8_t		*a, *m;
	size_t			 alen, k;
	bool			 found = false, onlink = false, ll;
	int			 direct = 0;

	alen = dst->family == AF_INET6 ? 16 : 4;
	if (getifaddrs(&ifa) == -1) {
		xasprintf(cause, "getifaddrs: %s", strerror(errno));
		return (-1);
	}
	ll = dst->family == AF_INET6 && dst->addr[0] == 0xfe &&
	    (dst->addr[1] & 0xc0) == 0x80;
	for (i = ifa; i != NULL && !found; i = i->ifa_next) {
		if (i->ifa_addr == NULL || strcmp(i->ifa_name, iface) != 0 ||
		    i->ifa_addr->sa_family != dst->family)
			continue;
		if (dst->family == AF_INET6) {
			a = (const uint8_t *)&((struct sockaddr_in6 *)
			    i->ifa_addr)->sin6_addr;
			m = i->ifa_netmask == NULL ? NULL : (const uint8_t *)
			    &((struct sockaddr_in6 *)i->ifa_netmask)->sin6_addr;
			if ((a[0] == 0xfe && (a[1] & 0xc0) == 0x80) != ll)
				continue;
			probe_packet_addr6(&ctx->src, a);
		} else {
			a = (const uint8_t *)&((struct sockaddr_in *)
			    i->ifa_addr)->sin_addr;
			m = i->ifa_netmask == NULL ? NULL : (const uint8_t *)
			    &((struct sockaddr_in *)i->ifa_netmask)->sin_addr;
			probe_packet_addr4(&ctx->src, a);
		}
		found = true;
		onlink = m != NULL && (i->ifa_flags & IFF_LOOPBACK) == 0;
		for (k = 0; onlink && k < alen; k++)
			onlink = (a[k] & m[k]) == (dst->addr[k] & m[k]);
	}
	for (i = ifa; i != NULL && onlink; i = i->ifa_next) {
		if (i->ifa_addr == NULL ||
		    i->ifa_addr->sa_family != AF_PACKET ||
		    strcmp(i->ifa_name, iface) != 0)
			continue;
		sll = (struct sockaddr_ll *)i->ifa_addr;
		direct = sll->sll_hatype == ARPHRD_ETHER && sll->sll_halen == 6;
		if (direct)
			memcpy(ctx->src_mac, sll->sll_addr, 6);
		break;
	}
	freeifaddrs(ifa);
	if (!found) {
		xasprintf(cause, "-e: %s: no %s address to send from", iface,
		    dst->family == AF_INET6 ? (ll ? "link-local IPv6" :
		    "IPv6") : "IPv4");
		return (-1);
	}
	return (direct);
}

/* Find the source address and interface for dst (iface, if given). */
static int
route_iface(const struct target_addr *dst, const char *iface,
    struct probe_ctx *ctx, char *ifname, int *ifindex, char **cause)
{
	struct sockaddr_in	 sin;
	struct ifaddrs		*ifa, *i;
	socklen_t		 len = sizeof sin;
	uint32_t		 mask = 0, a, b;
	int			 fd, direct = 0, loopback = 0;

	if (iface != NULL) {
		if ((direct = route_forced(dst, iface, ctx, cause)) == -1)
			return (-1);
		snprintf(ifname, IF_NAMESIZE, "%s", iface);
		if ((*ifindex = (int)if_nametoindex(iface)) == 0) {
			xasprintf(cause, "-e: \"%s\": no such interface",
			    iface);
			return (-1);
		}
		return (direct);
	}
	if (dst->family == AF_INET6)
		return (transport_route6(dst, ctx, ifname, ifindex, cause));
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(9);
	memcpy(&sin.sin_addr, dst->addr, 4);
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1) {
		xasprintf(cause, "no route to the target: %s", strerror(errno));
		if (fd != -1)
			close(fd);
		return (-1);
	}
	close(fd);
	probe_packet_addr4(&ctx->src, (const uint8_t *)&sin.sin_addr);
	if (getifaddrs(&ifa) == -1) {
		xasprintf(cause, "getifaddrs: %s", strerror(errno));
		return (-1);
	}
	ifname[0] = '\0';
	for (i = ifa; i != NULL; i = i->ifa_next) {
		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET ||
		    memcmp(&((struct sockaddr_in *)i->ifa_addr)->sin_addr,
		    &sin.sin_addr, 4) != 0)
			continue;
		snprintf(ifname, IF_NAMESIZE, "%s", i->ifa_name);
		if (i->ifa_netmask != NULL)
			mask = ((struct sockaddr_in *)i->ifa_netmask)->
			    sin_addr.s_addr;
		loopback = (i->ifa_flags & IFF_LOOPBACK) != 0;
		break;
	}
	for (i = ifa; i != NULL && ifname[0] != '\0'; i = i->ifa_next) {
		struct sockaddr_ll	*sll;

		if (i->ifa_addr == NULL ||
		    i->ifa_addr->sa_family != AF_PACKET ||
		    strcmp(i->ifa_name, ifname) != 0)
			continue;
		sll = (struct sockaddr_ll *)i->ifa_addr;
		if (sll->sll_hatype == ARPHRD_ETHER && sll->sll_halen == 6 &&
		    !loopback) {
			memcpy(ctx->src_mac, sll->sll_addr, 6);
			memcpy(&a, dst->addr, 4);
			memcpy(&b, ctx->src.addr, 4);
			direct = mask != 0 && (a & mask) == (b & mask);
		}
	}
	freeifaddrs(ifa);
	if (ifname[0] == '\0') {
		xasprintf(cause, "no interface holds the source address");
		return (-1);
	}
	*ifindex = (int)if_nametoindex(ifname);
	return (direct);
}

int
transport_route(const struct target_addr *dst, const char *iface,
    struct probe_ctx *ctx, char **cause)
{
	char	ifname[IF_NAMESIZE];
	int	ifindex;

	return (route_iface(dst, iface, ctx, ifname, &ifindex, cause));
}

struct transport *
transport_raw_open(const struct target_addr *dst, const char *iface,
    const char *filter, bool link, char **cause)
{
	struct transport	*t;
	struct probe_ctx	 ctx;
	struct bpf_program	 prog;
	char			 ifname[IF_NAMESIZE], err[PCAP_ERRBUF_SIZE];
	int			 sndbuf = TRANSPORT_SNDBUF, one = 1;

	memset(&ctx, 0, sizeof ctx);
	t = xcalloc(1, sizeof *t);
	t->raw = t->link = -1;
	transport_batch_init(&t->batch, -1);
	if (route_iface(dst, iface, &ctx, ifname, &t->ifindex, cause) == -1)
		goto fail;
	if ((t->raw = socket(dst->family, SOCK_RAW | SOCK_CLOEXEC,
	    IPPROTO_RAW)) == -1) {
		xasprintf(cause, "raw socket: %s", strerror(errno));
		goto fail;
	}
	if (iface != NULL) {
		t->iface = xstrdup(iface);
		if (setsockopt(t->raw, SOL_SOCKET, SO_BINDTODEVICE, iface,
		    (socklen_t)strlen(iface) + 1) == -1) {
			xasprintf(cause, "-e: %s: %s", iface, strerror(errno));
			goto fail;
		}
	}
	(void)setsockopt(t->raw, SOL_SOCKET, SO_SNDBUF, &sndbuf,
	    sizeof sndbuf);
	t->batch.fd = t->raw;
	if (link && (t->link = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC,
	    htons(ETH_P_ARP))) == -1) {
		xasprintf(cause, "packet socket: %s", strerror(errno));
		goto fail;
	}
	err[0] = '\0';
	if ((t->pcap = pcap_create(ifname, err)) == NULL) {
		xasprintf(cause, "pcap: %s: %s", ifname, err);
		goto fail;
	}
	if (pcap_set_snaplen(t->pcap, TRANSPORT_SNAPLEN) != 0 ||
	    pcap_set_immediate_mode(t->pcap, 1) != 0 ||
	    pcap_set_buffer_size(t->pcap, 4 * 1024 * 1024) != 0 ||
	    pcap_activate(t->pcap) < 0 ||
	    pcap_setnonblock(t->pcap, 1, err) != 0) {
		xasprintf(cause, "pcap: %s: %s", ifname,
		    pcap_geterr(t->pcap));
		goto fail;
	}
	t->linktype = pcap_datalink(t->pcap);
	if (pcap_compile(t->pcap, &prog, filter, 1,
	    PCAP_NETMASK_UNKNOWN) != 0) {
		xasprintf(cause, "pcap filter: %s", pcap_geterr(t->pcap));
		goto fail;
	}
	if (pcap_setfilter(t->pcap, &prog) != 0) {
		pcap_freecode(&prog);
		xasprintf(cause, "pcap filter: %s", pcap_geterr(t->pcap));
		goto fail;
	}
	pcap_freecode(&prog);
	if (setsockopt(pcap_fileno(t->pcap), SOL_SOCKET, SO_LOCK_FILTER, &one,
	    sizeof one) == -1) {
		xasprintf(cause, "pcap filter: lock: %s", strerror(errno));
		goto fail;
	}
	return (t);

fail:
	transport_raw_close(t);
	return (NULL);
}

void
transport_raw_close(struct transport *t)
{
	if (t == NULL)
		return;
	transport_batch_free(&t->batch);
	if (t->pcap != NULL)
		pcap_close(t->pcap);
	if (t->raw != -1)
		close(t->raw);
	if (t->link != -1)
		close(t->link);
	free(t->iface);
	free(t);
}

int
transport_raw_fd(const struct transport *t)
{
	return (pcap_get_selectable_fd(t->pcap));
}

int
transport_raw_send(struct transport *t, const struct probe_target *dst,
    enum probe_kind kind, const struct probe_packet *pkt, char **cause)
{
	struct sockaddr_in	sin;
	struct sockaddr_in6	sin6;
	struct sockaddr_ll	sll;
	ssize_t			n;

	if (kind == PROBE_RAW_LINK) {
		if (t->link == -1) {
			xasprintf(cause, "no packet socket for link frames");
			return (-1);
		}
		/* The frame's own Ethernet header says where and what. */
		memset(&sll, 0, sizeof sll);
		sll.sll_family = AF_PACKET;
		memcpy(&sll.sll_protocol, pkt->buf + 12, 2);
		sll.sll_ifindex = t->ifindex;
		sll.sll_halen = 6;
		memcpy(sll.sll_addr, pkt->buf, 6);
		n = sendto(t->link, pkt->buf, pkt->len, 0,
		    (struct sockaddr *)&sll, sizeof sll);
		if (n == (ssize_t)pkt->len)
			return (0);
		if (n == -1 && (errno == ENOBUFS || errno == EAGAIN ||
		    errno == EINTR))
			return (1);
		xasprintf(cause, "send: %s", n == -1 ? strerror(errno) :
		    "short");
		return (-1);
	}
	if (dst->dst.family == AF_INET6) {
		memset(&sin6, 0, sizeof sin6);
		sin6.sin6_family = AF_INET6;
		memcpy(&sin6.sin6_addr, dst->dst.addr, 16);
		return (transport_batch_add(&t->batch, pkt->buf, pkt->len,
		    (struct sockaddr *)&sin6, sizeof sin6, cause));
	}
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	memcpy(&sin.sin_addr, dst->dst.addr, 4);
	return (transport_batch_add(&t->batch, pkt->buf, pkt->len,
	    (struct sockaddr *)&sin, sizeof sin, cause));
}

int
transport_raw_flush(struct transport *t, char **cause)
{
	return (transport_batch_flush(&t->batch, cause));
}

/* One captured frame: strip the link header, parse, hand it on. */
static void
transport_packet(u_char *arg, const struct pcap_pkthdr *h, const u_char *p)
{
	struct transport	*t = (struct transport *)arg;
	struct probe_reply	 r;
	size_t			 len = h->caplen, off;
	uint16_t		 type;

	switch (t->linktype) {
	case DLT_EN10MB:
		off = 14;
		if (len < off)
			return;
		type = (uint16_t)(p[12] << 8 | p[13]);
		break;
	case DLT_LINUX_SLL:
		off = 16;
		if (len < off)
			return;
		type = (uint16_t)(p[14] << 8 | p[15]);
		break;
	case DLT_RAW:
		off = 0;
		type = len > 0 && (p[0] >> 4) == 6 ? ETHERTYPE_IPV6 :
		    ETHERTYPE_IP;
		break;
	default:
		return;
	}
	if (type == ETHERTYPE_IP || type == ETHERTYPE_IPV6) {
		if (probe_packet_parse(p + off, len - off, &r) != 0)
			return;
	} else if (type == ETHERTYPE_ARP) {
		if (probe_packet_parse_arp(p + off, len - off, &r) != 0)
			return;
	} else
		return;
	t->fn(t->arg, &r);
}

int
transport_raw_read(struct transport *t,
    void (*fn)(void *, const struct probe_reply *), void *arg, char **cause)
{
	int	n;

	t->fn = fn;
	t->arg = arg;
	do {
		n = pcap_dispatch(t->pcap, 256, transport_packet, (u_char *)t);
	} while (n > 0);
	if (n == PCAP_ERROR) {
		xasprintf(cause, "pcap: %s", pcap_geterr(t->pcap));
		return (-1);
	}
	return (0);
}

/* The engine's table; route needs only the interface -e named. */
static int
raw_route(void *t, const struct target_addr *dst, struct probe_ctx *ctx,
    char **cause)
{
	return (transport_route(dst, ((struct transport *)t)->iface, ctx,
	    cause));
}

static int
raw_fd(void *t)
{
	return (transport_raw_fd(t));
}

static int
raw_send(void *t, const struct probe_target *dst, enum probe_kind kind,
    const struct probe_packet *pkt, char **cause)
{
	return (transport_raw_send(t, dst, kind, pkt, cause));
}

static int
raw_read(void *t, void (*fn)(void *, const struct probe_reply *), void *arg,
    char **cause)
{
	return (transport_raw_read(t, fn, arg, cause));
}

static int
raw_flush(void *t, char **cause)
{
	return (transport_raw_flush(t, cause));
}

static void
raw_close(void *t)
{
	transport_raw_close(t);
}

const struct transport_ops transport_raw_ops = {
	.name = "raw",
	.route = raw_route,
	.fd = raw_fd,
	.send = raw_send,
	.read = raw_read,
	.flush = raw_flush,
	.close = raw_close,
};
