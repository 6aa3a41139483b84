/*
 * Probes on their way to a raw socket, sent many to a system call
 * (sendmmsg): the raw transport queues each packet here and the engine
 * flushes what is queued once it has sent what its limits allow.
 */
#ifndef TRANSPORT_BATCH_H
#define TRANSPORT_BATCH_H

#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>

#include "probe.h"

#define TRANSPORT_BATCH_MAX	64

struct transport_batch {
	int			 fd;
	/* sendmmsg(2); a test puts its own here. */
	int			(*sendmmsg)(int, struct mmsghdr *, unsigned int,
				    int);
	unsigned int		 n;
	struct mmsghdr		 msg[TRANSPORT_BATCH_MAX];
	struct iovec		 iov[TRANSPORT_BATCH_MAX];
	struct sockaddr_storage	 addr[TRANSPORT_BATCH_MAX];
	uint8_t			 buf[TRANSPORT_BATCH_MAX][PROBE_PACKET_MAX];
};

void	transport_batch_init(struct transport_batch *, int);
/* Queue a packet to addr; a full batch is flushed first. 0, or -1. */
int	transport_batch_add(struct transport_batch *, const void *, size_t,
	    const struct sockaddr *, socklen_t, char **);
/*
 * Send every packet queued, in order, however few each call takes; one
 * the kernel has no buffer for (ENOBUFS, EAGAIN) is dropped, as a probe
 * lost on the way. 0, or -1 and cause on any other error.
 */
int	transport_batch_flush(struct transport_batch *, char **);

#endif
