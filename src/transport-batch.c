/*
 * Batched sends for the raw transport (transport-batch.h): at line rate
 * a system call a probe costs as much as making the probe, so packets
 * are copied into a batch of TRANSPORT_BATCH_MAX and handed to the
 * kernel with one sendmmsg. The kernel may take fewer than it is given
 * (a short count); the rest go in the next call.
 */
#include <sys/socket.h>

#include <errno.h>
#include <string.h>

#include "transport-batch.h"
#include "xmalloc.h"

void
transport_batch_init(struct transport_batch *b, int fd)
{
	b->fd = fd;
	b->sendmmsg = sendmmsg;
	b->n = 0;
}

int
transport_batch_add(struct transport_batch *b, const void *buf, size_t len,
    const struct sockaddr *sa, socklen_t salen, char **cause)
{
	struct mmsghdr	*m;

	if (b->n == TRANSPORT_BATCH_MAX &&
	    transport_batch_flush(b, cause) != 0)
		return (-1);
	if (len > sizeof b->buf[0] || salen > sizeof b->addr[0]) {
		xasprintf(cause, "send: packet too long");
		return (-1);
	}
	memcpy(b->buf[b->n], buf, len);
	memcpy(&b->addr[b->n], sa, salen);
	b->iov[b->n].iov_base = b->buf[b->n];
	b->iov[b->n].iov_len = len;
	m = &b->msg[b->n];
	memset(m, 0, sizeof *m);
	m->msg_hdr.msg_name = &b->addr[b->n];
	m->msg_hdr.msg_namelen = salen;
	m->msg_hdr.msg_iov = &b->iov[b->n];
	m->msg_hdr.msg_iovlen = 1;
	b->n++;
	return (0);
}

int
transport_batch_flush(struct transport_batch *b, char **cause)
{
	unsigned int	off = 0;
	int		r;

	while (off < b->n) {
		r = b->sendmmsg(b->fd, b->msg + off, b->n - off, 0);
		if (r > 0) {
			off += (unsigned int)r;
			continue;
		}
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && (errno == ENOBUFS || errno == EAGAIN)) {
			off++;
			continue;
		}
		xasprintf(cause, "send: %s", r == -1 ? strerror(errno) :
		    "nothing sent");
		b->n = 0;
		return (-1);
	}
	b->n = 0;
	return (0);
}
