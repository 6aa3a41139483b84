/*
 * lab-probe: the lab's independent witness. It asks a target the plain
 * questions a test needs answered without trusting tact: does a TCP port
 * connect, refuse or stay silent; does a UDP port answer, refuse or stay
 * silent; how many ICMP echo requests get a reply. All probes of one run
 * are in flight at once, so a rate limit at the target shows up as
 * answers missing within the timeout.
 */

#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <netinet/icmp6.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PROBE_MAX	512

struct probe_addr {
	struct sockaddr_storage	ss;
	socklen_t		len;
};

struct probe_errno {
	int		 error;
	const char	*state;
};

static const struct probe_errno probe_errnos[] = {
	{ 0, "open" },
	{ ECONNREFUSED, "closed" },
	{ EHOSTUNREACH, "unreach" },
	{ ENETUNREACH, "unreach" },
	{ ETIMEDOUT, "timeout" },
};

static void	 usage(void) __attribute__((noreturn));
static const char *state_of(int);
static void	 parse_addr(struct probe_addr *, const char *);
static int	 parse_ports(int, char **, int *);
static void	 set_port(struct probe_addr *, int);
static void	 deadline_in(struct timespec *, long);
static long	 ms_left(const struct timespec *);
static void	 probe_ports(int, const struct probe_addr *, int *, int,
		     int);
static uint16_t	 icmp_cksum(const void *, size_t);
static int	 echo_reply_seq(int, const char *, ssize_t, uint16_t);
static void	 probe_ping(const struct probe_addr *, int, int);

static void
usage(void)
{
	fprintf(stderr, "usage: lab-probe [-t ms] "
	    "tcp|udp address port[-port] ...\n"
	    "       lab-probe [-c count] [-t ms] ping address\n");
	exit(2);
}

static const char *
state_of(int error)
{
	size_t	i;

	for (i = 0; i < sizeof probe_errnos / sizeof probe_errnos[0]; i++) {
		if (probe_errnos[i].error == error)
			return (probe_errnos[i].state);
	}
	return ("error");
}

static void
parse_addr(struct probe_addr *pa, const char *s)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)&pa->ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&pa->ss;

	memset(pa, 0, sizeof *pa);
	if (inet_pton(AF_INET, s, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		pa->len = sizeof *sin;
	} else if (inet_pton(AF_INET6, s, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		pa->len = sizeof *sin6;
	} else
		errx(2, "\"%s\": bad address", s);
}

static int
parse_ports(int argc, char **argv, int *ports)
{
	char	*end;
	long	 lo, hi;
	int	 i, n = 0;

	for (i = 0; i < argc; i++) {
		errno = 0;
		lo = hi = strtol(argv[i], &end, 10);
		if (errno == 0 && *end == '-')
			hi = strtol(end + 1, &end, 10);
		if (errno != 0 || end == argv[i] || *end != '\0' || lo < 1 ||
		    hi > 65535 || lo > hi)
			errx(2, "\"%s\": bad port", argv[i]);
		for (; lo <= hi; lo++) {
			if (n == PROBE_MAX)
				errx(2, "more than %d ports", PROBE_MAX);
			ports[n++] = lo;
		}
	}
	return (n);
}

static void
set_port(struct probe_addr *pa, int port)
{
	if (pa->ss.ss_family == AF_INET)
		((struct sockaddr_in *)&pa->ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)&pa->ss)->sin6_port = htons(port);
}

static void
deadline_in(struct timespec *deadline, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, deadline);
	deadline->tv_sec += ms / 1000;
	deadline->tv_nsec += (ms % 1000) * 1000000;
	if (deadline->tv_nsec >= 1000000000) {
		deadline->tv_sec++;
		deadline->tv_nsec -= 1000000000;
	}
}

static long
ms_left(const struct timespec *deadline)
{
	struct timespec	now;
	long		ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (deadline->tv_sec - now.tv_sec) * 1000 +
	    (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return (ms > 0 ? ms : 0);
}

/*
 * TCP: a non-blocking connect per port, settled by writability. UDP: a
 * connected socket per port sends one datagram; a reply or an ICMP error
 * (reported on the socket) settles it.
 */
static void
probe_ports(int type, const struct probe_addr *pa, int *ports, int n,
    int timeout)
{
	struct pollfd		 pfd[PROBE_MAX];
	int			 result[PROBE_MAX];
	struct probe_addr	 to = *pa;
	struct timespec		 deadline;
	socklen_t		 len;
	char			 buf[512];
	int			 error, i, left, r;

	deadline_in(&deadline, timeout);
	for (i = 0; i < n; i++) {
		set_port(&to, ports[i]);
		pfd[i].fd = socket(to.ss.ss_family, type | SOCK_NONBLOCK, 0);
		if (pfd[i].fd == -1)
			err(1, "socket");
		pfd[i].events = type == SOCK_STREAM ? POLLOUT : POLLIN;
		result[i] = ETIMEDOUT;
		r = connect(pfd[i].fd, (struct sockaddr *)&to.ss, to.len);
		if (r == -1 && errno != EINPROGRESS)
			err(1, "connect %d", ports[i]);
		if (type == SOCK_DGRAM &&
		    send(pfd[i].fd, "lab-probe\n", 10, 0) == -1)
			err(1, "send %d", ports[i]);
	}

	left = n;
	r = 0;
	while (left > 0 && (r = poll(pfd, n, ms_left(&deadline))) > 0) {
		for (i = 0; i < n; i++) {
			if (pfd[i].fd == -1 || pfd[i].revents == 0)
				continue;
			if (type == SOCK_STREAM) {
				len = sizeof error;
				if (getsockopt(pfd[i].fd, SOL_SOCKET, SO_ERROR,
				    &error, &len) == -1)
					err(1, "SO_ERROR");
			} else if (recv(pfd[i].fd, buf, sizeof buf, 0) == -1)
				error = errno;
			else
				error = 0;
			result[i] = error;
			close(pfd[i].fd);
			pfd[i].fd = -1;
			left--;
		}
	}
	if (r == -1)
		err(1, "poll");
	for (i = 0; i < n; i++) {
		if (pfd[i].fd != -1)
			close(pfd[i].fd);
		printf("%d %s\n", ports[i], state_of(result[i]));
	}
}

static uint16_t
icmp_cksum(const void *p, size_t len)
{
	const uint8_t	*b = p;
	uint32_t	 sum = 0;
	size_t		 i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (b[i] << 8) | b[i + 1];
	if (len & 1)
		sum += b[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (htons(~sum & 0xffff));
}

/*
 * The sequence number of an echo reply with our identifier, or -1. An
 * IPv4 raw socket hands over the IP header too; an IPv6 one does not.
 */
static int
echo_reply_seq(int family, const char *buf, ssize_t n, uint16_t id)
{
	const struct ip		*ip = (const struct ip *)buf;
	const struct icmp	*icmp;
	const struct icmp6_hdr	*icmp6;
	size_t			 hl;

	if (family == AF_INET6) {
		if (n < (ssize_t)sizeof *icmp6)
			return (-1);
		icmp6 = (const struct icmp6_hdr *)buf;
		if (icmp6->icmp6_type != ICMP6_ECHO_REPLY ||
		    icmp6->icmp6_id != id)
			return (-1);
		return (ntohs(icmp6->icmp6_seq));
	}
	if (n < (ssize_t)sizeof *ip)
		return (-1);
	hl = ip->ip_hl * 4;
	if (n < (ssize_t)(hl + ICMP_MINLEN))
		return (-1);
	icmp = (const struct icmp *)(buf + hl);
	if (icmp->icmp_type != ICMP_ECHOREPLY || icmp->icmp_id != id)
		return (-1);
	return (ntohs(icmp->icmp_seq));
}

/*
 * Send count echo requests at once; print how many got a reply. An echo
 * request's first eight bytes are laid out alike in ICMP and ICMPv6, and
 * the kernel sums an ICMPv6 one itself.
 */
static void
probe_ping(const struct probe_addr *pa, int count, int timeout)
{
	struct icmp		 echo;
	struct pollfd		 pfd;
	struct timespec		 deadline;
	struct sockaddr_storage	 from;
	socklen_t		 fromlen;
	char			 seen[PROBE_MAX], buf[1500];
	uint16_t		 id = htons(getpid() & 0xffff);
	ssize_t			 n;
	int			 family = pa->ss.ss_family, i, replies = 0;
	int			 seq;

	pfd.fd = socket(family, SOCK_RAW, family == AF_INET ? IPPROTO_ICMP :
	    IPPROTO_ICMPV6);
	if (pfd.fd == -1)
		err(1, "raw socket");
	pfd.events = POLLIN;
	for (i = 0; i < count; i++) {
		memset(&echo, 0, sizeof echo);
		echo.icmp_type = family == AF_INET ? ICMP_ECHO :
		    ICMP6_ECHO_REQUEST;
		echo.icmp_id = id;
		echo.icmp_seq = htons(i);
		if (family == AF_INET)
			echo.icmp_cksum = icmp_cksum(&echo, ICMP_MINLEN);
		if (sendto(pfd.fd, &echo, ICMP_MINLEN, 0,
		    (const struct sockaddr *)&pa->ss, pa->len) == -1)
			err(1, "sendto");
	}

	memset(seen, 0, sizeof seen);
	deadline_in(&deadline, timeout);
	while (replies < count && poll(&pfd, 1, ms_left(&deadline)) > 0) {
		fromlen = sizeof from;
		n = recvfrom(pfd.fd, buf, sizeof buf, 0,
		    (struct sockaddr *)&from, &fromlen);
		if (n == -1)
			err(1, "recvfrom");
		seq = echo_reply_seq(family, buf, n, id);
		if (seq >= 0 && seq < count && !seen[seq]) {
			seen[seq] = 1;
			replies++;
		}
	}
	close(pfd.fd);
	printf("%d\n", replies);
}

int
main(int argc, char **argv)
{
	struct probe_addr	 pa;
	int			 ports[PROBE_MAX];
	char			*end;
	long			 count = 1, timeout = 1000;
	int			 ch, n;

	while ((ch = getopt(argc, argv, "c:t:")) != -1) {
		switch (ch) {
		case 'c':
			count = strtol(optarg, &end, 10);
			if (*end != '\0' || count < 1 || count > PROBE_MAX)
				errx(2, "-c: \"%s\": bad count", optarg);
			break;
		case 't':
			timeout = strtol(optarg, &end, 10);
			if (*end != '\0' || timeout < 1 || timeout > 600000)
				errx(2, "-t: \"%s\": bad timeout", optarg);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		usage();
	parse_addr(&pa, argv[1]);

	if (strcmp(argv[0], "ping") == 0 && argc == 2)
		probe_ping(&pa, count, timeout);
	else if (strcmp(argv[0], "tcp") == 0 && argc > 2) {
		n = parse_ports(argc - 2, argv + 2, ports);
		probe_ports(SOCK_STREAM, &pa, ports, n, timeout);
	} else if (strcmp(argv[0], "udp") == 0 && argc > 2) {
		n = parse_ports(argc - 2, argv + 2, ports);
		probe_ports(SOCK_DGRAM, &pa, ports, n, timeout);
	} else
		usage();
	return (0);
}
