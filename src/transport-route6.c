/*
 * The route to an IPv6 target, as transport-raw.c finds IPv4's: connect
 * a UDP socket (no packet is sent), read back the source address the
 * kernel chose, and find the interface that holds it. A target inside
 * that address's prefix on an Ethernet interface is directly attached,
 * and can be asked for by Neighbor Solicitation, as IPv4's by ARP.
 */
#include <sys/socket.h>

#include <linux/if_packet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>

#include <errno.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "transport.h"
#include "xmalloc.h"

static bool	same_prefix(const uint8_t *, const uint8_t *, const uint8_t *);

/* Do a and b agree wherever mask has a bit set? */
static bool
same_prefix(const uint8_t *a, const uint8_t *b, const uint8_t *mask)
{
	size_t	i;

	for (i = 0; i < 16; i++)
		if ((a[i] & mask[i]) != (b[i] & mask[i]))
			return (false);
	return (true);
}

int
transport_route6(const struct target_addr *dst, struct probe_ctx *ctx,
    char *ifname, int *ifindex, char **cause)
{
	struct sockaddr_in6	 sin6;
	struct ifaddrs		*ifa, *i;
	struct sockaddr_ll	*sll;
	socklen_t		 len = sizeof sin6;
	bool			 onlink = false;
	int			 fd, direct = 0;

	memset(&sin6, 0, sizeof sin6);
	sin6.sin6_family = AF_INET6;
	sin6.sin6_port = htons(9);
	memcpy(&sin6.sin6_addr, dst->addr, 16);
	if ((fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sin6, sizeof sin6) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin6, &len) == -1) {
		xasprintf(cause, "no route to the target: %s", strerror(errno));
		if (fd != -1)
			close(fd);
		return (-1);
	}
	close(fd);
	probe_packet_addr6(&ctx->src, (const uint8_t *)&sin6.sin6_addr);
	if (getifaddrs(&ifa) == -1) {
		xasprintf(cause, "getifaddrs: %s", strerror(errno));
		return (-1);
	}
	ifname[0] = '\0';
	for (i = ifa; i != NULL; i = i->ifa_next) {
		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET6 ||
		    memcmp(&((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr,
		    &sin6.sin6_addr, 16) != 0)
			continue;
		snprintf(ifname, IF_NAMESIZE, "%s", i->ifa_name);
		onlink = i->ifa_netmask != NULL &&
		    (i->ifa_flags & IFF_LOOPBACK) == 0 &&
		    same_prefix(dst->addr, ctx->src.addr, (const uint8_t *)
		    &((struct sockaddr_in6 *)i->ifa_netmask)->sin6_addr);
		break;
	}
	for (i = ifa; i != NULL && onlink; i = i->ifa_next) {
		if (i->ifa_addr == NULL ||
		    i->ifa_addr->sa_family != AF_PACKET ||
		    strcmp(i->ifa_name, ifname) != 0)
			continue;
		sll = (struct sockaddr_ll *)i->ifa_addr;
		direct = sll->sll_hatype == ARPHRD_ETHER &&
		    sll->sll_halen == 6;
		if (direct)
			memcpy(ctx->src_mac, sll->sll_addr, 6);
		break;
	}
	freeifaddrs(ifa);
	if (ifname[0] == '\0') {
		xasprintf(cause, "no interface holds the source address");
		return (-1);
	}
	*ifindex = (int)if_nametoindex(ifname);
	return (direct);
}
