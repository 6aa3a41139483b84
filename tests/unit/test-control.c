/*
 * The control socket: every command goes through and is answered, junk
 * and strangers are turned away with an answer, and a client is told
 * when no scan is listening.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#include "control.h"
#include "xmalloc.h"

static char	*scratch_dir(void);
static int	 wait_accept(int, uid_t, enum event_control_action *,
		     uid_t *, char **);
static int	 client_as(const char *, uid_t, const char *);
static int	 child_status(pid_t);

static char *
scratch_dir(void)
{
	char	*dir;

	dir = xstrdup("/tmp/tact-control-XXXXXX");
	if (mkdtemp(dir) == NULL)
		abort();
	return (dir);
}

static int
wait_accept(int lfd, uid_t owner, enum event_control_action *a, uid_t *uid,
    char **cause)
{
	struct pollfd	pfd = { .fd = lfd, .events = POLLIN };

	if (poll(&pfd, 1, 5000) != 1)
		return (-2);
	return (control_accept(lfd, owner, a, uid, cause));
}

/*
 * As uid, send stop to the socket at path; 0 when the answer is want
 * ("ok" or the error's reason).
 */
static int
client_as(const char *path, uid_t uid, const char *want)
{
	char	*reply, *cause;
	pid_t	 pid;

	if ((pid = fork()) == 0) {
		if (setgid(uid) != 0 || setuid(uid) != 0)
			_exit(1);
		if (control_send(path, EVENT_CONTROL_STOP, &reply,
		    &cause) == 0)
			_exit(strcmp(want, "ok") == 0 ? 0 : 2);
		_exit(strcmp(cause, want) == 0 ? 0 : 3);
	}
	return (child_status(pid));
}

static int
child_status(pid_t pid)
{
	int	status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return (-1);
	return (WEXITSTATUS(status));
}

static void
test_control_every_action_is_received_and_answered(void)
{
	enum event_control_action	 a, got;
	char				*dir = scratch_dir(), *path;
	char				*reply, *cause = NULL;
	uid_t				 uid;
	pid_t				 pid;
	int				 lfd, fd;

	xasprintf(&path, "%s/control", dir);
	lfd = control_listen(path, &cause);
	CU_ASSERT_FATAL(lfd >= 0);
	for (a = EVENT_CONTROL_PAUSE; a <= EVENT_CONTROL_STOP; a++) {
		if ((pid = fork()) == 0) {
			if (control_send(path, a, &reply, &cause) != 0)
				_exit(1);
			_exit(strcmp(reply, control_action_name(a)) == 0 ?
			    0 : 2);
		}
		fd = wait_accept(lfd, getuid(), &got, &uid, &cause);
		CU_ASSERT_FATAL(fd >= 0);
		CU_ASSERT_EQUAL(got, a);
		CU_ASSERT_EQUAL(uid, geteuid());
		control_reply(fd, true, control_action_name(got));
		CU_ASSERT_EQUAL(child_status(pid), 0);
	}
	close(lfd);
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
}

static void
test_control_error_reply_reaches_the_client(void)
{
	char	*dir = scratch_dir(), *path, *reply, *cause = NULL;
	enum event_control_action a;
	uid_t	 uid;
	pid_t	 pid;
	int	 lfd, fd;

	xasprintf(&path, "%s/control", dir);
	lfd = control_listen(path, &cause);
	CU_ASSERT_FATAL(lfd >= 0);
	if ((pid = fork()) == 0) {
		if (control_send(path, EVENT_CONTROL_FASTER, &reply,
		    &cause) == 0)
			_exit(1);
		_exit(strcmp(cause, "already at the profile's limit") == 0 ?
		    0 : 2);
	}
	fd = wait_accept(lfd, getuid(), &a, &uid, &cause);
	CU_ASSERT_FATAL(fd >= 0);
	control_reply(fd, false, "already at the profile's limit");
	CU_ASSERT_EQUAL(child_status(pid), 0);
	close(lfd);
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
}

static void
test_control_unknown_command_is_refused_with_an_answer(void)
{
	struct sockaddr_un	 sun;
	enum event_control_action a;
	char			*dir = scratch_dir(), *path, *cause = NULL;
	char			 buf[128];
	uid_t			 uid;
	pid_t			 pid;
	ssize_t			 n;
	int			 lfd, cfd;

	xasprintf(&path, "%s/control", dir);
	lfd = control_listen(path, &cause);
	CU_ASSERT_FATAL(lfd >= 0);
	if ((pid = fork()) == 0) {
		memset(&sun, 0, sizeof sun);
		sun.sun_family = AF_UNIX;
		strncpy(sun.sun_path, path, sizeof sun.sun_path - 1);
		cfd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (connect(cfd, (struct sockaddr *)&sun, sizeof sun) != 0 ||
		    write(cfd, "dance\n", 6) != 6)
			_exit(1);
		n = read(cfd, buf, sizeof buf - 1);
		if (n <= 0)
			_exit(2);
		buf[n] = '\0';
		_exit(strncmp(buf, "error: unknown command", 22) == 0 ? 0 : 3);
	}
	CU_ASSERT_EQUAL(wait_accept(lfd, getuid(), &a, &uid, &cause), -1);
	CU_ASSERT(cause != NULL && strstr(cause, "unknown command") != NULL);
	free(cause);
	CU_ASSERT_EQUAL(child_status(pid), 0);
	close(lfd);
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
}

static void
test_control_send_without_a_scan_says_not_running(void)
{
	char	*dir = scratch_dir(), *path, *reply, *cause = NULL;

	xasprintf(&path, "%s/control", dir);
	CU_ASSERT_EQUAL(control_send(path, EVENT_CONTROL_STOP, &reply,
	    &cause), -1);
	CU_ASSERT(cause != NULL && strcmp(cause, "the scan is not running") ==
	    0);
	free(cause);
	rmdir(dir);
	free(path);
	free(dir);
}

static void
test_control_socket_is_private_to_its_owner(void)
{
	struct stat	 sb;
	char		*dir = scratch_dir(), *path, *cause = NULL;
	int		 lfd;

	xasprintf(&path, "%s/control", dir);
	lfd = control_listen(path, &cause);
	CU_ASSERT_FATAL(lfd >= 0);
	CU_ASSERT_EQUAL(stat(path, &sb), 0);
	CU_ASSERT(S_ISSOCK(sb.st_mode));
	CU_ASSERT_EQUAL(sb.st_mode & 0777, 0600);
	close(lfd);
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
}

/*
 * SO_PEERCRED: even with the socket opened to all, another user is
 * answered "permission denied". Needs root to become that user.
 */
static void
test_control_refuses_another_user(void)
{
	enum event_control_action a;
	char	*dir = scratch_dir(), *path, *reply, *cause = NULL;
	uid_t	 uid;
	pid_t	 pid;
	int	 lfd;

	if (geteuid() != 0) {
		fprintf(stderr, "\n  not root: another user cannot be tried\n");
		rmdir(dir);
		free(dir);
		return;
	}
	xasprintf(&path, "%s/control", dir);
	lfd = control_listen(path, &cause);
	CU_ASSERT_FATAL(lfd >= 0);
	CU_ASSERT_EQUAL(chmod(dir, 0755), 0);
	CU_ASSERT_EQUAL(chmod(path, 0666), 0);
	if ((pid = fork()) == 0) {
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(1);
		if (control_send(path, EVENT_CONTROL_STOP, &reply,
		    &cause) == 0)
			_exit(2);
		_exit(strcmp(cause, "permission denied") == 0 ? 0 : 3);
	}
	CU_ASSERT_EQUAL(wait_accept(lfd, getuid(), &a, &uid, &cause), -1);
	CU_ASSERT(cause != NULL &&
	    strcmp(cause, "uid 65534 may not control this scan") == 0);
	free(cause);
	CU_ASSERT_EQUAL(child_status(pid), 0);
	close(lfd);
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
}

/*
 * An engine that dropped root runs as nobody (or tact), which other
 * processes share: it hears the user who ran the scan, given as owner,
 * and not a client that merely has its own uid. Needs root.
 */
static void
test_control_hears_its_owner_not_its_own_uid(void)
{
	enum event_control_action a;
	char	*dir = scratch_dir(), *path, *cause = NULL;
	uid_t	 uid;
	pid_t	 engine;
	int	 lfd, fd;

	if (geteuid() != 0) {
		fprintf(stderr, "\n  not root: other users cannot be tried\n");
		rmdir(dir);
		free(dir);
		return;
	}
	xasprintf(&path, "%s/control", dir);
	lfd = control_listen(path, &cause);
	CU_ASSERT_FATAL(lfd >= 0);
	CU_ASSERT_EQUAL(chmod(dir, 0755), 0);
	CU_ASSERT_EQUAL(chmod(path, 0666), 0);
	if ((engine = fork()) == 0) {
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(1);
		if (wait_accept(lfd, 4321, &a, &uid, &cause) != -1 ||
		    strcmp(cause, "uid 65534 may not control this scan") != 0)
			_exit(2);
		fd = wait_accept(lfd, 4321, &a, &uid, &cause);
		if (fd < 0 || uid != 4321 || a != EVENT_CONTROL_STOP)
			_exit(3);
		control_reply(fd, true, NULL);
		_exit(0);
	}
	CU_ASSERT_EQUAL(client_as(path, 65534, "permission denied"), 0);
	CU_ASSERT_EQUAL(client_as(path, 4321, "ok"), 0);
	CU_ASSERT_EQUAL(child_status(engine), 0);
	close(lfd);
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
}

static void
test_control_action_names_parse_back(void)
{
	enum event_control_action	a, b;

	for (a = EVENT_CONTROL_PAUSE; a <= EVENT_CONTROL_STOP; a++) {
		CU_ASSERT_EQUAL(control_action_parse(control_action_name(a),
		    &b), 0);
		CU_ASSERT_EQUAL(a, b);
	}
	CU_ASSERT_EQUAL(control_action_parse("unknown", &b), -1);
	CU_ASSERT_EQUAL(control_action_parse("", &b), -1);
}

static const struct unit_test tests[] = {
	TEST(test_control_every_action_is_received_and_answered),
	TEST(test_control_error_reply_reaches_the_client),
	TEST(test_control_unknown_command_is_refused_with_an_answer),
	TEST(test_control_send_without_a_scan_says_not_running),
	TEST(test_control_socket_is_private_to_its_owner),
	TEST(test_control_refuses_another_user),
	TEST(test_control_hears_its_owner_not_its_own_uid),
	TEST(test_control_action_names_parse_back),
	TEST_END
};

UNIT_MAIN("control", tests)
