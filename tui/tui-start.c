/*
 * Start a scan from the dashboard: run `tact scan --detach ...` as a
 * process of its own, read the scan ID it prints (or the one error line
 * it gives) and attach to that scan like to any other. The engine never
 * runs inside the dashboard's process.
 */
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scan-dir.h"
#include "tui.h"
#include "xmalloc.h"

/* How long `tact scan --detach` may take to hand the scan over. */
#define TUI_START_MS	15000

static int	tui_start_spawn(char **, int *, int *, char **);

/* Find a scan ID ("20261129-001500-3fa9") among the words of text. */
bool
tui_start_id(const char *text, char *id)
{
	const char	*p;
	size_t		 i;

	for (p = text; *p != '\0'; p++) {
		if (p != text && !isspace((unsigned char)p[-1]))
			continue;
		for (i = 0; i < SCAN_ID_LEN; i++) {
			if (i == 8 || i == 15) {
				if (p[i] != '-')
					break;
			} else if (!isxdigit((unsigned char)p[i]))
				break;
		}
		if (i == SCAN_ID_LEN && (p[i] == '\0' ||
		    isspace((unsigned char)p[i]) || p[i] == ':' ||
		    p[i] == ',' || p[i] == '.')) {
			memcpy(id, p, SCAN_ID_LEN);
			id[SCAN_ID_LEN] = '\0';
			return (true);
		}
	}
	return (false);
}

/* Run argv with its stdout and stderr on pipes and stdin on /dev/null. */
static int
tui_start_spawn(char **argv, int *out, int *err, char **cause)
{
	int	po[2], pe[2], null;
	pid_t	pid;

	if (pipe2(po, O_CLOEXEC) == -1) {
		xasprintf(cause, "pipe: %s", strerror(errno));
		return (-1);
	}
	if (pipe2(pe, O_CLOEXEC) == -1) {
		xasprintf(cause, "pipe: %s", strerror(errno));
		close(po[0]);
		close(po[1]);
		return (-1);
	}
	if ((pid = fork()) == -1) {
		xasprintf(cause, "fork: %s", strerror(errno));
		close(po[0]);
		close(po[1]);
		close(pe[0]);
		close(pe[1]);
		return (-1);
	}
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		if ((null = open("/dev/null", O_RDONLY)) != -1)
			dup2(null, STDIN_FILENO);
		dup2(po[1], STDOUT_FILENO);
		dup2(pe[1], STDERR_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	*out = po[0];
	*err = pe[0];
	return (pid);
}

/*
 * Start a scan as a process of its own (`tact scan --detach ...`) and
 * attach to it. The engine says its scan ID on stdout; an error is the
 * one line it writes on stderr.
 */
int
tui_start(struct tui *t, char **argv, char **cause)
{
	struct pollfd	 pfd[2];
	char		 out[4096], err[1024], id[SCAN_ID_LEN + 1], *nl;
	size_t		 nout = 0, nerr = 0;
	ssize_t		 n;
	int		 status, open_fds = 2, i;
	pid_t		 pid;

	if ((pid = tui_start_spawn(argv, &pfd[0].fd, &pfd[1].fd,
	    cause)) == -1)
		return (-1);
	pfd[0].events = pfd[1].events = POLLIN;
	while (open_fds > 0) {
		if (poll(pfd, 2, TUI_START_MS) <= 0)
			break;
		for (i = 0; i < 2; i++) {
			if (pfd[i].fd == -1 || pfd[i].revents == 0)
				continue;
			if (i == 0)
				n = read(pfd[i].fd, out + nout, sizeof out -
				    1 - nout);
			else
				n = read(pfd[i].fd, err + nerr, sizeof err -
				    1 - nerr);
			if (n <= 0) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
				open_fds--;
			} else if (i == 0)
				nout += (size_t)n;
			else
				nerr += (size_t)n;
		}
	}
	for (i = 0; i < 2; i++) {
		if (pfd[i].fd != -1)
			close(pfd[i].fd);
	}
	out[nout] = err[nerr] = '\0';
	if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		if ((nl = strchr(err, '\n')) != NULL)
			*nl = '\0';
		xasprintf(cause, "%s", nerr != 0 ? err :
		    "the scan did not start");
		return (-1);
	}
	if (!tui_start_id(out, id)) {
		xasprintf(cause, "the scan started but gave no scan ID");
		return (-1);
	}
	return (tui_attach(t, id, cause));
}
