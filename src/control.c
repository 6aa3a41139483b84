/*
 * The control socket: how anything outside the engine (stop, attach, the
 * dashboard) steers a running scan. A line protocol over a Unix stream
 * socket, one command a connection, so that it can be driven by hand
 * (socat) and needs no framing. The peer's uid comes from SO_PEERCRED:
 * the socket lives in a 0700 directory, and the engine checks again,
 * against the user who ran the scan (not its own uid after dropping
 * root: that user, nobody or tact, may be shared by other processes).
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control.h"
#include "xmalloc.h"

#define CONTROL_COMMAND_MS	1000	/* the engine waits for a command */
#define CONTROL_ANSWER_MS	5000	/* a client waits for the answer */

static const char *control_action_names[] = {
	[EVENT_CONTROL_PAUSE] = "pause",
	[EVENT_CONTROL_RESUME] = "resume",
	[EVENT_CONTROL_SLOWER] = "slower",
	[EVENT_CONTROL_FASTER] = "faster",
	[EVENT_CONTROL_STOP] = "stop",
};

#define CONTROL_NACTIONS \
	(sizeof control_action_names / sizeof control_action_names[0])

static int	control_address(const char *, struct sockaddr_un *, char **);
static int	control_read_line(int, char *, size_t, int);
static void	control_write_line(int, const char *);

const char *
control_action_name(enum event_control_action a)
{
	if ((size_t)a >= CONTROL_NACTIONS || control_action_names[a] == NULL)
		return ("unknown");
	return (control_action_names[a]);
}

int
control_action_parse(const char *s, enum event_control_action *a)
{
	size_t	i;

	for (i = 0; i < CONTROL_NACTIONS; i++) {
		if (control_action_names[i] != NULL &&
		    strcmp(control_action_names[i], s) == 0) {
			*a = (enum event_control_action)i;
			return (0);
		}
	}
	return (-1);
}

static int
control_address(const char *path, struct sockaddr_un *sun, char **cause)
{
	memset(sun, 0, sizeof *sun);
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun->sun_path) {
		xasprintf(cause, "%s: socket path too long", path);
		return (-1);
	}
	memcpy(sun->sun_path, path, strlen(path) + 1);
	return (0);
}

/* Read one line (without its newline) within ms; -1 if none. */
static int
control_read_line(int fd, char *buf, size_t size, int ms)
{
	struct pollfd	pfd = { .fd = fd, .events = POLLIN };
	size_t		len = 0;
	ssize_t		n;
	char		*nl;

	while (len < size - 1) {
		if (poll(&pfd, 1, ms) != 1)
			return (-1);
		n = read(fd, buf + len, size - 1 - len);
		if (n == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return (-1);
		len += (size_t)n;
		buf[len] = '\0';
		if ((nl = strchr(buf, '\n')) != NULL) {
			*nl = '\0';
			return (0);
		}
	}
	return (-1);
}

static void
control_write_line(int fd, const char *line)
{
	size_t	len = strlen(line);

	(void)send(fd, line, len, MSG_NOSIGNAL);
}

int
control_listen(const char *path, char **cause)
{
	struct sockaddr_un	sun;
	int			fd;

	if (control_address(path, &sun, cause) != 0)
		return (-1);
	fd = socket(AF_UNIX, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC, 0);
	if (fd == -1) {
		xasprintf(cause, "socket: %s", strerror(errno));
		return (-1);
	}
	if (bind(fd, (struct sockaddr *)&sun, sizeof sun) == -1 ||
	    chmod(path, 0600) == -1 || listen(fd, 8) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		close(fd);
		return (-1);
	}
	return (fd);
}

int
control_accept(int lfd, uid_t owner, enum event_control_action *action,
    uid_t *uid, char **cause)
{
	struct ucred	cred;
	socklen_t	len = sizeof cred;
	char		line[CONTROL_LINE_MAX];
	int		fd;

	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd == -1) {
		xasprintf(cause, "accept: %s", strerror(errno));
		return (-1);
	}
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1) {
		xasprintf(cause, "SO_PEERCRED: %s", strerror(errno));
		control_reply(fd, false, "cannot tell who you are");
		return (-1);
	}
	if (cred.uid != owner && cred.uid != 0) {
		xasprintf(cause, "uid %u may not control this scan",
		    (unsigned)cred.uid);
		control_reply(fd, false, "permission denied");
		return (-1);
	}
	if (control_read_line(fd, line, sizeof line, CONTROL_COMMAND_MS) != 0) {
		xasprintf(cause, "uid %u sent no command", (unsigned)cred.uid);
		control_reply(fd, false, "no command");
		return (-1);
	}
	if (control_action_parse(line, action) != 0) {
		xasprintf(cause, "uid %u sent an unknown command",
		    (unsigned)cred.uid);
		control_reply(fd, false, "unknown command (pause, resume, "
		    "slower, faster, stop)");
		return (-1);
	}
	*uid = cred.uid;
	return (fd);
}

void
control_reply(int fd, bool ok, const char *detail)
{
	char	line[CONTROL_LINE_MAX];

	if (ok && (detail == NULL || *detail == '\0'))
		snprintf(line, sizeof line, "ok\n");
	else if (ok)
		snprintf(line, sizeof line, "ok %s\n", detail);
	else
		snprintf(line, sizeof line, "error: %s\n", detail);
	control_write_line(fd, line);
	close(fd);
}

int
control_send(const char *path, enum event_control_action action,
    char **reply, char **cause)
{
	struct sockaddr_un	sun;
	char			line[CONTROL_LINE_MAX];
	int			fd;

	if (control_address(path, &sun, cause) != 0)
		return (-1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0)) == -1) {
		xasprintf(cause, "socket: %s", strerror(errno));
		return (-1);
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		if (errno == ENOENT || errno == ECONNREFUSED)
			xasprintf(cause, "the scan is not running");
		else
			xasprintf(cause, "%s: %s", path, strerror(errno));
		close(fd);
		return (-1);
	}
	snprintf(line, sizeof line, "%s\n", control_action_name(action));
	control_write_line(fd, line);
	if (control_read_line(fd, line, sizeof line, CONTROL_ANSWER_MS) != 0) {
		xasprintf(cause, "the scan did not answer");
		close(fd);
		return (-1);
	}
	close(fd);
	if (strncmp(line, "ok", 2) == 0 && (line[2] == '\0' ||
	    line[2] == ' ')) {
		*reply = xstrdup(line[2] == ' ' ? line + 3 : "");
		return (0);
	}
	if (strncmp(line, "error: ", 7) == 0)
		xasprintf(cause, "%s", line + 7);
	else
		xasprintf(cause, "bad answer from the scan");
	return (-1);
}
