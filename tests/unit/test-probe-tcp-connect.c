/*
 * The connect probe on loopback, against ports this test opens itself on
 * 127.0.0.1: a listening port is open (syn-ack), a port bound but not
 * listening refuses (closed, conn-refused), closing the probe resets
 * the connection instead of ending it (linger 0: no TIME_WAIT), a
 * socket that connected to itself is a closed port, and each connect()
 * error means what Nmap says it means.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <net/if.h>

#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#include "event.h"
#include "probe.h"

static const uint8_t	lo4[4] = { 127, 0, 0, 1 };
static const uint8_t	lo6[16] = { [15] = 1 };

#define SELF_PORT	40000	/* the one ephemeral port of the test's netns */

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

/*
 * In a network namespace of its own, with loopback up and SELF_PORT the
 * one port the kernel takes for a connect: the state of a probe from
 * there to family's loopback address at SELF_PORT, or 100 and up when
 * that cannot be set up (101: not root).
 */
static int
self_connect_state(int family)
{
	struct probe_ctx	 ctx;
	struct probe_target	 t;
	struct probe_packet	 pkt;
	struct probe_reply	 r;
	struct probe_verdict	 v;
	struct ifreq		 ifr;
	struct pollfd		 pfd;
	socklen_t		 len = sizeof r.error;
	char			*cause = NULL, range[32];
	int			 fd;

	if (unshare(CLONE_NEWNET) != 0)
		return (errno == EPERM ? 101 : 102);
	memset(&ifr, 0, sizeof ifr);
	strcpy(ifr.ifr_name, "lo");
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
	    ioctl(fd, SIOCGIFFLAGS, &ifr) == -1)
		return (103);
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) == -1)
		return (104);
	close(fd);
	snprintf(range, sizeof range, "%d %d\n", SELF_PORT, SELF_PORT);
	if ((fd = open("/proc/sys/net/ipv4/ip_local_port_range",
	    O_WRONLY)) == -1 ||
	    write(fd, range, strlen(range)) != (ssize_t)strlen(range))
		return (105);
	close(fd);
	memset(&ctx, 0, sizeof ctx);
	memset(&t, 0, sizeof t);
	if (family == AF_INET6)
		probe_packet_addr6(&t.dst, lo6);
	else
		probe_packet_addr4(&t.dst, lo4);
	t.port = SELF_PORT;
	if (probe_tcp_connect.make(&ctx, &t, &pkt, &cause) != 0)
		return (106);
	memset(&r, 0, sizeof r);
	r.type = PROBE_REPLY_SOCKET;
	r.error = pkt.error;
	if (!pkt.done) {
		pfd.fd = pkt.fd;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, 5000) != 1 || getsockopt(pkt.fd, SOL_SOCKET,
		    SO_ERROR, &r.error, &len) != 0)
			return (107);
	}
	probe_tcp_connect.classify(&r, &v);
	close(pkt.fd);
	return (v.port_state);
}

/*
 * The kernel may take the target port as the source port of a connect
 * to a local address, and the socket connects to itself: nothing
 * listens there, and the port is closed, not open.
 */
static void
test_probe_tcp_connect_to_itself_is_closed(void)
{
	static const int	 families[] = { AF_INET, AF_INET6 };
	pid_t			 pid;
	size_t			 i;
	int			 status;

	for (i = 0; i < sizeof families / sizeof families[0]; i++) {
		fflush(NULL);
		CU_ASSERT_FATAL((pid = fork()) != -1);
		if (pid == 0)
			_exit(self_connect_state(families[i]));
		CU_ASSERT_FATAL(waitpid(pid, &status, 0) == pid);
		CU_ASSERT_FATAL(WIFEXITED(status));
		if (WEXITSTATUS(status) == 101) {
			printf("skipped: a network namespace needs root ");
			return;
		}
		CU_ASSERT_EQUAL(WEXITSTATUS(status), EVENT_PORT_CLOSED);
	}
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
	TEST(test_probe_tcp_connect_to_itself_is_closed),
	TEST(test_probe_tcp_connect_errors_mean_what_nmap_says),
	TEST_END
};

UNIT_MAIN("probe-tcp-connect", tests)
