/*
 * Dropping privileges (privs.c): the user sudo ran us for comes from the
 * values the front end passes in, never from the environment; without
 * them root becomes nobody; a bad SUDO_GID is refused before anything
 * changes; and raw sockets go with root. Each drop runs in a child, so
 * the suite keeps its root. Needs root: otherwise it says SKIP.
 */
#include <sys/wait.h>

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#include "privs.h"

static int	privs_child(int (*)(void));
static int	privs_nobody(uid_t *);
static int	child_given_sudo_user(void);
static int	child_environment_ignored(void);
static int	child_bad_sudo_gid(void);
static int	child_raw_goes_with_root(void);

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

	if (privs_nobody(&nobody) != 0)
		return (1);
	setenv("SUDO_UID", "4321", 1);
	setenv("SUDO_GID", "4322", 1);
	if (privs_drop(NULL, NULL, NULL, &cause) != 0)
		return (2);
	if (getuid() != nobody)
		return (3);
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

static const struct unit_test tests[] = {
	TEST(test_privs_drop_becomes_the_sudo_user_it_is_given),
	TEST(test_privs_drop_reads_no_environment),
	TEST(test_privs_drop_refuses_a_bad_sudo_gid_as_root),
	TEST(test_privs_raw_allowed_goes_with_root),
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
