/*
 * Detaching: `tact scan --detach` runs the engine in a process of its
 * own, out of the terminal's session (setsid, SIGHUP ignored, standard
 * streams on /dev/null). The parent waits until the engine says it has
 * started, prints the scan ID and returns.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "tact.h"
#include "xmalloc.h"

int
cmd_detach(const char *id, int *ready, char **cause)
{
	pid_t	pid;
	char	c = 0;
	int	p[2], fd;

	if (pipe2(p, O_CLOEXEC) == -1) {
		xasprintf(cause, "pipe: %s", strerror(errno));
		return (-1);
	}
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) == -1) {
		xasprintf(cause, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return (-1);
	}
	if (pid != 0) {
		close(p[1]);
		while (read(p[0], &c, 1) == -1 && errno == EINTR)
			continue;
		close(p[0]);
		if (c != 'r') {
			cmd_error("scan", "the detached scan failed to start");
			return (TACT_EXIT_RUNTIME);
		}
		printf("scan %s detached; follow it with: tact attach %s\n", id,
		    id);
		return (fflush(stdout) == 0 ? TACT_EXIT_OK : TACT_EXIT_RUNTIME);
	}

	close(p[0]);
	setsid();
	signal(SIGHUP, SIG_IGN);
	if ((fd = open("/dev/null", O_RDWR)) != -1) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	*ready = p[1];
	return (-2);
}

void
cmd_detach_ready(int ready)
{
	while (write(ready, "r", 1) == -1 && errno == EINTR)
		continue;
	close(ready);
}
