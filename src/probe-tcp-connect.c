/*
 * TCP connect probes, for users without CAP_NET_RAW: a non-blocking
 * connect() whose outcome the engine reads with epoll and SO_ERROR. The
 * socket lingers 0 so that closing it resets the connection at once and
 * leaves no TIME_WAIT behind on either side. A socket that connected to
 * itself (connect_self) is a closed port, not an open one.
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
static bool	connect_self(int, const struct probe_target *);

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

/*
 * Is the socket's own end the target's address and port? On a local
 * address the kernel may take the target port as the source port
 * (Linux does, about once in 30,000 connects from its ephemeral range),
 * and the SYN to itself opens the connection (a simultaneous open): the
 * port would read open with nothing listening on it. The kernel never
 * takes a port a socket is bound to, a listener's included, so nothing
 * listens there and a connect from any other port is refused: closed.
 */
static bool
connect_self(int fd, const struct probe_target *t)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t		 len = sizeof ss;

	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1 ||
	    ss.ss_family != t->dst.family)
		return (false);
	if (ss.ss_family == AF_INET6)
		return (ntohs(sin6->sin6_port) == t->port &&
		    memcmp(&sin6->sin6_addr, t->dst.addr, 16) == 0);
	return (ntohs(sin->sin_port) == t->port &&
	    memcmp(&sin->sin_addr, t->dst.addr, 4) == 0);
}

static int
connect_make(const struct probe_ctx *ctx, const struct probe_target *t,
    struct probe_packet *pkt, char **cause)
{
	struct sockaddr_storage	ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	struct linger		l = { 1, 0 };
	socklen_t		len;
	int			fd;

	memset(pkt, 0, sizeof *pkt);
	pkt->fd = -1;
	memset(&ss, 0, sizeof ss);
	if (t->dst.family == AF_INET6) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(t->port);
		memcpy(&sin6->sin6_addr, t->dst.addr, 16);
		len = sizeof *sin6;
	} else {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(t->port);
		memcpy(&sin->sin_addr, t->dst.addr, 4);
		len = sizeof *sin;
	}
	fd = socket(t->dst.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd == -1) {
		xasprintf(cause, "socket: %s", strerror(errno));
		return (-1);
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
	if (connect(fd, (struct sockaddr *)&ss, len) == 0) {
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
	if (pkt->error == 0 && connect_self(fd, t)) {
		pkt->done = true;
		pkt->error = ECONNREFUSED;
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
