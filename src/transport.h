/*
 * The raw transport: a raw IPv4 socket to send probes, a packet socket
 * for ARP, and a pcap handle (immediate mode, non-blocking, its
 * descriptor in the engine's epoll) to read the replies. Opening it
 * needs CAP_NET_RAW; everything after works unprivileged.
 */
#ifndef TRANSPORT_H
#define TRANSPORT_H

#include <stdbool.h>

#include "probe.h"

struct transport;

/*
 * Route to dst: fill ctx with the source address (and MAC) the kernel
 * would use, or, given an interface (-e), that interface's address of
 * dst's family. Return 1 if dst is on a directly attached Ethernet
 * segment, 0 if not, -1 and cause on failure. Needs no privilege.
 */
int		 transport_route(const struct target_addr *, const char *,
		     struct probe_ctx *, char **);
/* transport_route for IPv6, also naming the interface (ifname, index). */
int		 transport_route6(const struct target_addr *,
		     struct probe_ctx *, char *, int *, char **);
/*
 * Open on the interface that reaches dst, or the one named (-e, which
 * the raw socket is then bound to), capturing with filter.
 */
struct transport *transport_raw_open(const struct target_addr *,
		     const char *, const char *, bool, char **);
void		 transport_raw_close(struct transport *);
int		 transport_raw_fd(const struct transport *);
/*
 * 0 sent (an IP probe: queued until the next flush), 1 try again later
 * (buffers full), -1 and cause.
 */
int		 transport_raw_send(struct transport *,
		     const struct probe_target *, enum probe_kind,
		     const struct probe_packet *, char **);
/* Send the IP probes queued; 0, or -1 and cause. */
int		 transport_raw_flush(struct transport *, char **);
/* Parse what pcap has waiting and call fn for each reply. */
int		 transport_raw_read(struct transport *,
		     void (*)(void *, const struct probe_reply *), void *,
		     char **);

/*
 * A transport as the engine sees it, so that the same engine runs over
 * the raw one or the simulated network (transport-sim.h). Each takes the
 * transport as its first argument; the functions behave as the raw
 * transport's of the same names.
 */
struct transport_ops {
	const char	*name;
	int		(*route)(void *, const struct target_addr *,
			    struct probe_ctx *, char **);
	int		(*fd)(void *);
	int		(*send)(void *, const struct probe_target *,
			    enum probe_kind, const struct probe_packet *,
			    char **);
	int		(*read)(void *,
			    void (*)(void *, const struct probe_reply *),
			    void *, char **);
	/* Send what send queued; NULL if send sends at once. */
	int		(*flush)(void *, char **);
	void		(*close)(void *);
};

extern const struct transport_ops transport_raw_ops;

#endif
