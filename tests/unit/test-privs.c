/*
 * Dropping privileges (privs.c): the user sudo ran us for comes from the
 * values the front end passes in, never from the environment; without
 * them root becomes the user tact, or nobody when there is none (and
 * says so); a bad SUDO_GID or group 0 is refused before anything
 * changes; the bounding set is emptied; raw sockets go with root. The
 * system call filter (privs-seccomp.c) lets the engine's calls through
 * and kills the process on any other. Each drop runs in a child, so the
 * suite keeps its root; the users the drop finds are set in a private
 * /etc/passwd, bind-mounted in the child's own mount namespace. Needs
 * root: otherwise it says SKIP.
 */
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <linux/netlink.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"

#include "privs.h"

static int	privs_child(int (*)(void));
static int	privs_child_signal(int (*)(void));
static int	privs_nobody(uid_t *);
static int	privs_passwd(const char *);
static int	privs_sandboxed(void);
static int	child_given_sudo_user(void);
static int	child_environment_ignored(void);
static int	child_bad_sudo_gid(void);
static int	child_sudo_gid_0(void);
static int	child_tact_group_0(void);
static int	child_tact_user(void);
static int	child_raw_goes_with_root(void);
static int	child_bounding_set_empty(void);
static int	child_invoker(void);
static int	child_seccomp_allows_the_engine(void);
static int	child_seccomp_exec(void);
static int	child_seccomp_open_write(void);
static int	child_seccomp_netlink_socket(void);
static int	child_seccomp_exec_memory(void);
static int	child_seccomp_fork(void);
static void	*child_thread(void *);

/* Run fn in a child; its exit status (0: every check held). */
static int
privs_child(int (*fn)(void))
{
	pid_t	pid;
	int	status;

	if ((pid = fork()) == -1)
		abort();
	if (pid == 0)
		_exit(fn());
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return (-1);
	return (WEXITSTATUS(status));
}

/* Run fn in a child; the signal that killed it, -1 if none did. */
static int
privs_child_signal(int (*fn)(void))
{
	pid_t	pid;
	int	status;

	if ((pid = fork()) == -1)
		abort();
	if (pid == 0)
		_exit(fn());
	if (waitpid(pid, &status, 0) != pid || !WIFSIGNALED(status))
		return (-1);
	return (WTERMSIG(status));
}

/*
 * In this child only: /etc/passwd as it is, without any user tact, plus
 * line (NULL: none).
 */
static int
privs_passwd(const char *line)
{
	char	 path[] = "/tmp/test-privs-passwd.XXXXXX", buf[1024];
	FILE	*in, *out;
	int	 fd, ret;

	if (unshare(CLONE_NEWNS) != 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		return (-1);
	if ((fd = mkstemp(path)) == -1)
		return (-1);
	if ((in = fopen("/etc/passwd", "r")) == NULL ||
	    (out = fdopen(fd, "w")) == NULL)
		return (-1);
	while (fgets(buf, sizeof buf, in) != NULL) {
		if (strncmp(buf, "tact:", 5) != 0)
			fputs(buf, out);
	}
	if (line != NULL)
		fprintf(out, "%s\n", line);
	fclose(in);
	if (fclose(out) != 0)
		return (-1);
	ret = mount(path, "/etc/passwd", NULL, MS_BIND, NULL);
	unlink(path);
	return (ret);
}

/* Drop to uid 4321 and turn the filter on; 0 when both worked. */
static int
privs_sandboxed(void)
{
	char	*cause = NULL;

	if (privs_drop(NULL, "4321", "4321", &cause) != 0)
		return (-1);
	if (privs_seccomp_enter(&cause) != 0)
		return (-1);
	return (0);
}

static int
privs_nobody(uid_t *uid)
{
	struct passwd	*pw;

	if ((pw = getpwnam("nobody")) == NULL)
		return (-1);
	*uid = pw->pw_uid;
	return (0);
}

static int
child_given_sudo_user(void)
{
	char	*cause = NULL;

	unsetenv("SUDO_UID");
	unsetenv("SUDO_GID");
	if (privs_drop(NULL, "4321", "4322", &cause) != 0)
		return (1);
	if (getuid() != 4321 || geteuid() != 4321)
		return (2);
	if (getgid() != 4322 || getegid() != 4322)
		return (3);
	return (0);
}

static int
child_environment_ignored(void)
{
	char	*cause = NULL;
	uid_t	 nobody;

	if (privs_nobody(&nobody) != 0 || privs_passwd(NULL) != 0)
		return (1);
	setenv("SUDO_UID", "4321", 1);
	setenv("SUDO_GID", "4322", 1);
	if (privs_drop(NULL, NULL, NULL, &cause) != 1)
		return (2);
	if (getuid() != nobody)
		return (3);
	return (0);
}

static int
child_tact_user(void)
{
	char	*cause = NULL;

	if (privs_passwd("tact:x:4400:4401::/nonexistent:/bin/false") != 0)
		return (1);
	if (privs_drop(NULL, NULL, NULL, &cause) != 0)
		return (2);
	if (getuid() != 4400 || geteuid() != 4400)
		return (3);
	if (getgid() != 4401 || getegid() != 4401)
		return (4);
	return (0);
}

static int
child_sudo_gid_0(void)
{
	char	*cause = NULL;

	if (privs_drop(NULL, "4321", "0", &cause) != -1)
		return (1);
	if (cause == NULL || strcmp(cause, "SUDO_GID: will not keep "
	    "running as group 0") != 0)
		return (2);
	if (getuid() != 0 || getgid() != 0)
		return (3);
	free(cause);
	return (0);
}

static int
child_tact_group_0(void)
{
	char	*cause = NULL;

	if (privs_passwd("tact:x:4400:0::/nonexistent:/bin/false") != 0)
		return (1);
	if (privs_drop(NULL, NULL, NULL, &cause) != -1)
		return (2);
	if (cause == NULL || strcmp(cause, "user \"tact\": will not keep "
	    "running as group 0") != 0)
		return (3);
	if (getuid() != 0 || getgid() != 0)
		return (4);
	free(cause);
	return (0);
}

static int
child_bad_sudo_gid(void)
{
	char	*cause = NULL;

	if (privs_drop(NULL, "4321", "x", &cause) != -1)
		return (1);
	if (cause == NULL || strncmp(cause, "SUDO_GID: ", 10) != 0)
		return (2);
	if (getuid() != 0)
		return (3);
	free(cause);
	return (0);
}

static int
child_raw_goes_with_root(void)
{
	char	*cause = NULL;

	if (!privs_raw_allowed())
		return (1);
	if (privs_drop(NULL, "4321", "4321", &cause) != 0)
		return (2);
	if (privs_raw_allowed())
		return (3);
	return (0);
}

static int
child_bounding_set_empty(void)
{
	FILE	*f;
	char	*cause = NULL;
	int	 cap, last;

	if ((f = fopen("/proc/sys/kernel/cap_last_cap", "r")) == NULL ||
	    fscanf(f, "%d", &last) != 1)
		return (1);
	fclose(f);
	if (prctl(PR_CAPBSET_READ, 0, 0, 0, 0) != 1)
		return (1);
	if (privs_drop(NULL, "4321", "4321", &cause) != 0)
		return (2);
	for (cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) != -1; cap++) {
		if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) != 0)
			return (3);
	}
	if (cap != last + 1)
		return (4);
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		return (5);
	return (0);
}

static int
child_invoker(void)
{
	if (privs_invoker("4321") != 4321)
		return (1);
	if (privs_invoker(NULL) != 0 || privs_invoker("x") != 0 ||
	    privs_invoker("0") != 0)
		return (2);
	if (setuid(4322) != 0)
		return (3);
	if (privs_invoker("4321") != 4322)
		return (4);
	return (0);
}

/*
 * What the engine does after its setup still works under the filter:
 * memory, a pipe, a TCP socket of either family, a clock, a routing
 * socket, reading the services file; a Unix socket (nscd) is refused.
 */
static int
child_seccomp_allows_the_engine(void)
{
	struct timespec	 ts;
	pthread_t	 t;
	char		*p, c = 'x';
	int		 fds[2], fd;

	if (pipe(fds) != 0)
		return (1);
	if (privs_sandboxed() != 0)
		return (2);
	if ((p = malloc(1 << 20)) == NULL)
		return (3);
	p[0] = 1;
	free(p);
	if (write(fds[1], &c, 1) != 1 || read(fds[0], &c, 1) != 1)
		return (4);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) == -1)
		return (5);
	close(fd);
	if ((fd = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0)) == -1)
		return (6);
	close(fd);
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return (7);
	if ((fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)) == -1)
		return (8);
	close(fd);
	if ((fd = open("/etc/services", O_RDONLY | O_CLOEXEC)) == -1)
		return (8);
	close(fd);
	if (socket(AF_UNIX, SOCK_STREAM, 0) != -1 || errno != EACCES)
		return (9);
	/* The raw transport's sending threads. */
	if (pthread_create(&t, NULL, child_thread, &c) != 0 ||
	    pthread_join(t, NULL) != 0 || c != 't')
		return (10);
	return (0);
}

static void *
child_thread(void *arg)
{
	*(char *)arg = 't';
	return (NULL);
}

static int
child_seccomp_fork(void)
{
	if (privs_sandboxed() != 0)
		return (1);
	(void)fork();
	return (2);
}

static int
child_seccomp_exec(void)
{
	char	*argv[] = { "true", NULL }, *envp[] = { NULL };

	if (privs_sandboxed() != 0)
		return (1);
	execve("/bin/true", argv, envp);
	return (2);
}

static int
child_seccomp_open_write(void)
{
	if (privs_sandboxed() != 0)
		return (1);
	(void)open("/tmp/test-privs-seccomp", O_WRONLY | O_CREAT | O_CLOEXEC,
	    0600);
	return (2);
}

static int
child_seccomp_netlink_socket(void)
{
	if (privs_sandboxed() != 0)
		return (1);
	(void)socket(AF_NETLINK, SOCK_RAW, NETLINK_KOBJECT_UEVENT);
	return (2);
}

static int
child_seccomp_exec_memory(void)
{
	if (privs_sandboxed() != 0)
		return (1);
	(void)mmap(NULL, 4096, PROT_READ | PROT_EXEC,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return (2);
}

static void
test_privs_seccomp_kills_a_fork(void)
{
	CU_ASSERT_EQUAL(privs_child_signal(child_seccomp_fork), SIGSYS);
}

static void
test_privs_drop_becomes_the_sudo_user_it_is_given(void)
{
	CU_ASSERT_EQUAL(privs_child(child_given_sudo_user), 0);
}

static void
test_privs_drop_reads_no_environment(void)
{
	CU_ASSERT_EQUAL(privs_child(child_environment_ignored), 0);
}

static void
test_privs_drop_refuses_a_bad_sudo_gid_as_root(void)
{
	CU_ASSERT_EQUAL(privs_child(child_bad_sudo_gid), 0);
}

static void
test_privs_raw_allowed_goes_with_root(void)
{
	CU_ASSERT_EQUAL(privs_child(child_raw_goes_with_root), 0);
}

static void
test_privs_drop_becomes_user_tact_where_it_exists(void)
{
	CU_ASSERT_EQUAL(privs_child(child_tact_user), 0);
}

static void
test_privs_drop_refuses_sudo_gid_0(void)
{
	CU_ASSERT_EQUAL(privs_child(child_sudo_gid_0), 0);
}

static void
test_privs_drop_refuses_a_user_of_group_0(void)
{
	CU_ASSERT_EQUAL(privs_child(child_tact_group_0), 0);
}

static void
test_privs_drop_empties_the_bounding_set(void)
{
	CU_ASSERT_EQUAL(privs_child(child_bounding_set_empty), 0);
}

static void
test_privs_invoker_is_the_sudo_user_only_for_root(void)
{
	CU_ASSERT_EQUAL(privs_child(child_invoker), 0);
}

static void
test_privs_seccomp_allows_what_the_engine_does(void)
{
	CU_ASSERT_EQUAL(privs_child(child_seccomp_allows_the_engine), 0);
}

static void
test_privs_seccomp_kills_exec(void)
{
	CU_ASSERT_EQUAL(privs_child_signal(child_seccomp_exec), SIGSYS);
}

static void
test_privs_seccomp_kills_opening_a_file_to_write(void)
{
	CU_ASSERT_EQUAL(privs_child_signal(child_seccomp_open_write), SIGSYS);
}

static void
test_privs_seccomp_kills_a_netlink_socket(void)
{
	CU_ASSERT_EQUAL(privs_child_signal(child_seccomp_netlink_socket), SIGSYS);
}

static void
test_privs_seccomp_kills_executable_memory(void)
{
	CU_ASSERT_EQUAL(privs_child_signal(child_seccomp_exec_memory), SIGSYS);
}

static const struct unit_test tests[] = {
	TEST(test_privs_drop_becomes_the_sudo_user_it_is_given),
	TEST(test_privs_drop_reads_no_environment),
	TEST(test_privs_drop_becomes_user_tact_where_it_exists),
	TEST(test_privs_drop_refuses_a_bad_sudo_gid_as_root),
	TEST(test_privs_drop_refuses_sudo_gid_0),
	TEST(test_privs_drop_refuses_a_user_of_group_0),
	TEST(test_privs_drop_empties_the_bounding_set),
	TEST(test_privs_invoker_is_the_sudo_user_only_for_root),
	TEST(test_privs_raw_allowed_goes_with_root),
	TEST(test_privs_seccomp_allows_what_the_engine_does),
	TEST(test_privs_seccomp_kills_exec),
	TEST(test_privs_seccomp_kills_opening_a_file_to_write),
	TEST(test_privs_seccomp_kills_a_netlink_socket),
	TEST(test_privs_seccomp_kills_executable_memory),
	TEST(test_privs_seccomp_kills_a_fork),
	TEST_END
};

int
main(void)
{
	if (geteuid() != 0) {
		printf("SKIP: privs: dropping privileges needs root\n");
		return (77);
	}
	return (unit_run("privs", tests));
}
