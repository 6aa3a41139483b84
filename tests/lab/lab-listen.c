/*
 * lab-listen: the services of a lab target. One process listens on many
 * TCP or UDP ports (IPv4 and IPv6 through one dual-stack socket each), so
 * a lab host needs no swarm of helpers. A TCP connection is accepted,
 * sent the banner if there is one, and closed; a UDP datagram is answered
 * with the banner, or echoed when there is none. It creates the ready
 * file once every port is bound, and runs until it is killed.
 */

#include <sys/socket.h>

#include <netinet/in.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LISTEN_MAX	1024

static void	usage(void) __attribute__((noreturn));
static int	parse_port(const char *);
static int	open_port(int, int);
static void	serve_tcp(int, const char *, size_t);
static void	serve_udp(int, const char *, size_t);

static void
usage(void)
{
	fprintf(stderr,
	    "usage: lab-listen [-b banner] [-r readyfile] tcp|udp port ...\n");
	exit(2);
}

static int
parse_port(const char *s)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < 1 || n > 65535)
		errx(2, "\"%s\": bad port", s);
	return (n);
}

static int
open_port(int type, int port)
{
	struct sockaddr_in6	sin6;
	int			fd, off = 0, on = 1;

	if ((fd = socket(AF_INET6, type | SOCK_NONBLOCK, 0)) == -1)
		err(1, "socket");
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off) == -1)
		err(1, "IPV6_V6ONLY");
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == -1)
		err(1, "SO_REUSEADDR");
	memset(&sin6, 0, sizeof sin6);
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr = in6addr_any;
	sin6.sin6_port = htons(port);
	if (bind(fd, (struct sockaddr *)&sin6, sizeof sin6) == -1)
		err(1, "%s %d", type == SOCK_STREAM ? "tcp" : "udp", port);
	if (type == SOCK_STREAM && listen(fd, SOMAXCONN) == -1)
		err(1, "listen %d", port);
	return (fd);
}

static void
serve_tcp(int fd, const char *banner, size_t len)
{
	int	c;

	while ((c = accept(fd, NULL, NULL)) != -1) {
		if (len != 0 && write(c, banner, len) == -1)
			warn("write");
		close(c);
	}
	if (errno != EAGAIN && errno != ECONNABORTED)
		warn("accept");
}

static void
serve_udp(int fd, const char *banner, size_t len)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;
	char			 buf[65536];
	ssize_t			 n;

	for (;;) {
		sslen = sizeof ss;
		n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&ss,
		    &sslen);
		if (n == -1)
			break;
		if (len != 0)
			n = sendto(fd, banner, len, 0, (struct sockaddr *)&ss,
			    sslen);
		else
			n = sendto(fd, buf, n, 0, (struct sockaddr *)&ss,
			    sslen);
		if (n == -1)
			warn("sendto");
	}
	if (errno != EAGAIN)
		warn("recvfrom");
}

int
main(int argc, char **argv)
{
	struct pollfd	 pfd[LISTEN_MAX];
	const char	*ready = NULL;
	char		*banner = NULL;
	size_t		 len = 0;
	int		 ch, fd, i, n, type;

	while ((ch = getopt(argc, argv, "b:r:")) != -1) {
		switch (ch) {
		case 'b':
			len = strlen(optarg) + 2;
			if ((banner = malloc(len + 1)) == NULL)
				err(1, NULL);
			snprintf(banner, len + 1, "%s\r\n", optarg);
			break;
		case 'r':
			ready = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2 || argc - 1 > LISTEN_MAX)
		usage();
	if (strcmp(argv[0], "tcp") == 0)
		type = SOCK_STREAM;
	else if (strcmp(argv[0], "udp") == 0)
		type = SOCK_DGRAM;
	else
		usage();

	n = argc - 1;
	for (i = 0; i < n; i++) {
		pfd[i].fd = open_port(type, parse_port(argv[i + 1]));
		pfd[i].events = POLLIN;
	}
	if (ready != NULL) {
		if ((fd = open(ready, O_WRONLY|O_CREAT|O_TRUNC, 0644)) == -1)
			err(1, "%s", ready);
		close(fd);
	}

	for (;;) {
		if (poll(pfd, n, -1) == -1) {
			if (errno == EINTR)
				continue;
			err(1, "poll");
		}
		for (i = 0; i < n; i++) {
			if ((pfd[i].revents & POLLIN) == 0)
				continue;
			if (type == SOCK_STREAM)
				serve_tcp(pfd[i].fd, banner, len);
			else
				serve_udp(pfd[i].fd, banner, len);
		}
	}
}
