/*
 * TCP connect probes, for users without CAP_NET_RAW: a non-blocking
 * connect() whose outcome the engine reads with epoll and SO_ERROR. The
 * socket lingers 0 so that closing it resets the connection at once and
 * leaves no TIME_WAIT behind on either side.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "event.h"
#include "probe.h"
#include "xmalloc.h"

static int	connect_make(const struct probe_ctx *,
		    const struct probe_target *, struct probe_packet *,
		    char **);
static void	connect_classify(const struct probe_reply *,
		    struct probe_verdict *);

const struct probe_ops probe_tcp_connect = {
	.name = "tcp-connect",
	.kind = PROBE_SOCKET,
	.make = connect_make,
	.classify = connect_classify,
};

/* What connect()'s errors mean, as Nmap reports them. */
static const struct {
	int		error;
	uint8_t		state;
	uint8_t		reason;
	bool		host_up;
} connect_errors[] = {
	{ 0, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK, true },
	{ ECONNREFUSED, EVENT_PORT_CLOSED, EVENT_REASON_CONN_REFUSED, true },
	{ EHOSTUNREACH, EVENT_PORT_FILTERED, EVENT_REASON_HOST_UNREACH,
	    false },
	{ ENETUNREACH, EVENT_PORT_FILTERED, EVENT_REASON_NET_UNREACH, false },
	{ EACCES, EVENT_PORT_FILTERED, EVENT_REASON_ADMIN_PROHIBITED, false },
	{ EPERM, EVENT_PORT_FILTERED, EVENT_REASON_ADMIN_PROHIBITED, false },
	{ ETIMEDOUT, EVENT_PORT_FILTERED, EVENT_REASON_NO_RESPONSE, false },
};

static bool
connect_known(int error)
{
	size_t	i;

	for (i = 0; i < sizeof connect_errors / sizeof connect_errors[0]; i++)
		if (connect_errors[i].error == error)
			return (true);
	return (false);
}

static int
connect_make(const struct probe_ctx *ctx, const struct probe_target *t,
    struct probe_packet *pkt, char **cause)
{
	struct sockaddr_in	sin;
	struct linger		l = { 1, 0 };
	int			fd;

	memset(pkt, 0, sizeof *pkt);
	pkt->fd = -1;
	if (t->dst.family != AF_INET) {
		xasprintf(cause, "connect: only IPv4 in this version");
		return (-1);
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		xasprintf(cause, "socket: %s", strerror(errno));
		return (-1);
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(t->port);
	memcpy(&sin.sin_addr, t->dst.addr, 4);
	if (connect(fd, (struct sockaddr *)&sin, sizeof sin) == 0) {
		pkt->done = true;
	} else if (errno != EINPROGRESS) {
		if (!connect_known(errno)) {
			xasprintf(cause, "connect: %s", strerror(errno));
			close(fd);
			return (-1);
		}
		pkt->done = true;
		pkt->error = errno;
	}
	pkt->fd = fd;
	return (0);
}

static void
connect_classify(const struct probe_reply *r, struct probe_verdict *v)
{
	size_t	i;

	memset(v, 0, sizeof *v);
	v->port_state = EVENT_PORT_FILTERED;
	v->reason = EVENT_REASON_NONE;
	for (i = 0; i < sizeof connect_errors / sizeof connect_errors[0];
	    i++) {
		if (connect_errors[i].error != r->error)
			continue;
		v->port_state = connect_errors[i].state;
		v->reason = connect_errors[i].reason;
		v->host_up = connect_errors[i].host_up;
		return;
	}
}
