/*
 * The connect probe on loopback, against ports this test opens itself on
 * 127.0.0.1: a listening port is open (syn-ack), a port bound but not
 * listening refuses (closed, conn-refused), closing the probe resets
 * the connection instead of ending it (linger 0: no TIME_WAIT), and
 * each connect() error means what Nmap says it means.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#include "event.h"
#include "probe.h"

static const uint8_t	lo4[4] = { 127, 0, 0, 1 };

/* A TCP socket on 127.0.0.1, port chosen by the kernel; listening? */
static int
port_open(bool listening, uint16_t *port)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof sin;
	int			fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	CU_ASSERT_FATAL(fd != -1);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	memcpy(&sin.sin_addr, lo4, 4);
	CU_ASSERT_FATAL(bind(fd, (struct sockaddr *)&sin, sizeof sin) == 0);
	if (listening)
		CU_ASSERT_FATAL(listen(fd, 4) == 0);
	CU_ASSERT_FATAL(getsockname(fd, (struct sockaddr *)&sin, &len) == 0);
	*port = ntohs(sin.sin_port);
	return (fd);
}

/* The connection waiting on lfd (5 s at most), or -1. */
static int
port_accept(int lfd)
{
	struct pollfd	pfd;

	pfd.fd = lfd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 5000) != 1)
		return (-1);
	return (accept(lfd, NULL, NULL));
}

/* Make the probe to 127.0.0.1:port and wait (5 s at most) for its end. */
static void
probe_run(uint16_t port, struct probe_packet *pkt, struct probe_reply *r)
{
	struct probe_ctx	 ctx;
	struct probe_target	 t;
	struct pollfd		 pfd;
	socklen_t		 len = sizeof r->error;
	char			*cause = NULL;

	memset(&ctx, 0, sizeof ctx);
	probe_packet_addr4(&ctx.src, lo4);
	memset(&t, 0, sizeof t);
	probe_packet_addr4(&t.dst, lo4);
	t.port = port;
	CU_ASSERT_FATAL(probe_tcp_connect.make(&ctx, &t, pkt, &cause) == 0);
	CU_ASSERT_FATAL(pkt->fd != -1);
	memset(r, 0, sizeof *r);
	r->type = PROBE_REPLY_SOCKET;
	if (pkt->done) {
		r->error = pkt->error;
		return;
	}
	pfd.fd = pkt->fd;
	pfd.events = POLLOUT;
	CU_ASSERT_FATAL(poll(&pfd, 1, 5000) == 1);
	CU_ASSERT_FATAL(getsockopt(pkt->fd, SOL_SOCKET, SO_ERROR, &r->error,
	    &len) == 0);
}

static void
test_probe_tcp_connect_is_a_socket_probe(void)
{
	const struct probe_ops *const	*p;
	unsigned			 named = 0;

	CU_ASSERT_EQUAL(probe_tcp_connect.kind, PROBE_SOCKET);
	CU_ASSERT_PTR_NULL(probe_tcp_connect.filter);
	CU_ASSERT_PTR_NULL(probe_tcp_connect.match);
	/* The registry holds it, the one probe of its name. */
	for (p = probe_registry; *p != NULL; p++) {
		if (strcmp((*p)->name, "tcp-connect") != 0)
			continue;
		named++;
		CU_ASSERT_PTR_EQUAL(*p, &probe_tcp_connect);
	}
	CU_ASSERT_EQUAL(named, 1);
}

static void
test_probe_tcp_connect_listening_port_is_open(void)
{
	struct probe_packet	pkt;
	struct probe_reply	r;
	struct probe_verdict	v;
	uint16_t		port;
	int			lfd, afd;

	lfd = port_open(true, &port);
	probe_run(port, &pkt, &r);
	CU_ASSERT_EQUAL(r.error, 0);
	probe_tcp_connect.classify(&r, &v);
	CU_ASSERT_EQUAL(v.port_state, EVENT_PORT_OPEN);
	CU_ASSERT_EQUAL(v.reason, EVENT_REASON_SYN_ACK);
	CU_ASSERT_TRUE(v.host_up);
	afd = port_accept(lfd);
	CU_ASSERT(afd != -1);
	close(pkt.fd);
	if (afd != -1)
		close(afd);
	close(lfd);
}

static void
test_probe_tcp_connect_port_not_listening_is_closed(void)
{
	struct probe_packet	pkt;
	struct probe_reply	r;
	struct probe_verdict	v;
	uint16_t		port;
	int			fd;

	/* Bound, so no one else has it, but not listening: a RST. */
	fd = port_open(false, &port);
	probe_run(port, &pkt, &r);
	CU_ASSERT_EQUAL(r.error, ECONNREFUSED);
	probe_tcp_connect.classify(&r, &v);
	CU_ASSERT_EQUAL(v.port_state, EVENT_PORT_CLOSED);
	CU_ASSERT_EQUAL(v.reason, EVENT_REASON_CONN_REFUSED);
	CU_ASSERT_TRUE(v.host_up);
	close(pkt.fd);
	close(fd);
}

static void
test_probe_tcp_connect_close_resets_the_connection(void)
{
	struct probe_packet	pkt;
	struct probe_reply	r;
	struct linger		l;
	struct pollfd		pfd;
	socklen_t		len = sizeof l;
	uint16_t		port;
	char			c;
	int			lfd, afd;

	lfd = port_open(true, &port);
	probe_run(port, &pkt, &r);
	CU_ASSERT_EQUAL_FATAL(r.error, 0);
	CU_ASSERT_EQUAL(getsockopt(pkt.fd, SOL_SOCKET, SO_LINGER, &l, &len),
	    0);
	CU_ASSERT(l.l_onoff != 0 && l.l_linger == 0);
	afd = port_accept(lfd);
	CU_ASSERT_FATAL(afd != -1);
	close(pkt.fd);
	/* The server sees a reset, not an orderly end of the stream. */
	pfd.fd = afd;
	pfd.events = POLLIN;
	CU_ASSERT(poll(&pfd, 1, 5000) == 1);
	errno = 0;
	CU_ASSERT_EQUAL(read(afd, &c, 1), -1);
	CU_ASSERT_EQUAL(errno, ECONNRESET);
	close(afd);
	close(lfd);
}

static void
test_probe_tcp_connect_errors_mean_what_nmap_says(void)
{
	static const struct {
		int	error;
		uint8_t	state;
		uint8_t	reason;
		bool	up;
	} want[] = {
		{ 0, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK, true },
		{ ECONNREFUSED, EVENT_PORT_CLOSED, EVENT_REASON_CONN_REFUSED,
		    true },
		{ EHOSTUNREACH, EVENT_PORT_FILTERED,
		    EVENT_REASON_HOST_UNREACH, false },
		{ ENETUNREACH, EVENT_PORT_FILTERED, EVENT_REASON_NET_UNREACH,
		    false },
		{ EACCES, EVENT_PORT_FILTERED, EVENT_REASON_ADMIN_PROHIBITED,
		    false },
		{ EPERM, EVENT_PORT_FILTERED, EVENT_REASON_ADMIN_PROHIBITED,
		    false },
		{ ETIMEDOUT, EVENT_PORT_FILTERED, EVENT_REASON_NO_RESPONSE,
		    false },
		/* Anything else: filtered, for no known reason. */
		{ EINVAL, EVENT_PORT_FILTERED, EVENT_REASON_NONE, false },
		{ ENOBUFS, EVENT_PORT_FILTERED, EVENT_REASON_NONE, false },
	};
	struct probe_reply	r;
	struct probe_verdict	v;
	size_t			i;

	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		memset(&r, 0, sizeof r);
		r.type = PROBE_REPLY_SOCKET;
		r.error = want[i].error;
		memset(&v, 0xa5, sizeof v);
		probe_tcp_connect.classify(&r, &v);
		CU_ASSERT_EQUAL(v.port_state, want[i].state);
		CU_ASSERT_EQUAL(v.reason, want[i].reason);
		CU_ASSERT_EQUAL(v.host_up, want[i].up);
	}
}

static const struct unit_test tests[] = {
	TEST(test_probe_tcp_connect_is_a_socket_probe),
	TEST(test_probe_tcp_connect_listening_port_is_open),
	TEST(test_probe_tcp_connect_port_not_listening_is_closed),
	TEST(test_probe_tcp_connect_close_resets_the_connection),
	TEST(test_probe_tcp_connect_errors_mean_what_nmap_says),
	TEST_END
};

UNIT_MAIN("probe-tcp-connect", tests)
