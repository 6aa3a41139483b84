/*
 * Safe opening: no open through a link or into a FIFO, only regular
 * files of the right owner, and directories trusted only when nobody
 * else could change their path.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#include "safe-open.h"
#include "xmalloc.h"

#define OTHER_UID	4242

static char	*scratch(void);
static void	 rm_rf(const char *);
static char	*victim(const char *, const char *);

static char *
scratch(void)
{
	char	*dir;

	dir = xstrdup("/tmp/tact-safe-XXXXXX");
	if (mkdtemp(dir) == NULL)
		abort();
	return (dir);
}

static void
rm_rf(const char *dir)
{
	char	*cmd;

	xasprintf(&cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		abort();
	free(cmd);
}

/* dir/name holding "keep". */
static char *
victim(const char *dir, const char *name)
{
	char	*path;
	FILE	*f;

	xasprintf(&path, "%s/%s", dir, name);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("keep", f);
	fclose(f);
	return (path);
}

static void
test_safe_open_refuses_a_symbolic_link(void)
{
	struct stat	 sb;
	char		*dir = scratch(), *target, *link, *cause = NULL;

	target = victim(dir, "target");
	xasprintf(&link, "%s/link", dir);
	CU_ASSERT_EQUAL_FATAL(symlink(target, link), 0);
	CU_ASSERT_EQUAL(safe_open(link, O_RDWR | O_CREAT | O_TRUNC, 0600,
	    getuid(), &cause), -1);
	CU_ASSERT(cause != NULL && strstr(cause, "symbolic link") != NULL);
	free(cause);
	CU_ASSERT_EQUAL(stat(target, &sb), 0);
	CU_ASSERT_EQUAL(sb.st_size, 4);
	free(target);
	free(link);
	rm_rf(dir);
	free(dir);
}

static void
test_safe_open_does_not_hang_on_a_fifo(void)
{
	char	*dir = scratch(), *fifo, *cause = NULL;

	xasprintf(&fifo, "%s/fifo", dir);
	CU_ASSERT_EQUAL_FATAL(mkfifo(fifo, 0600), 0);
	CU_ASSERT_EQUAL(safe_open(fifo, O_WRONLY, 0, SAFE_OPEN_ANY_OWNER,
	    &cause), -1);
	CU_ASSERT(cause != NULL && strstr(cause, "not a regular file") !=
	    NULL);
	free(cause);
	cause = NULL;
	CU_ASSERT_EQUAL(safe_open(fifo, O_RDONLY, 0, SAFE_OPEN_ANY_OWNER,
	    &cause), -1);
	CU_ASSERT(cause != NULL && strstr(cause, "not a regular file") !=
	    NULL);
	free(cause);
	free(fifo);
	rm_rf(dir);
	free(dir);
}

static void
test_safe_open_checks_owner_and_links_before_truncating(void)
{
	struct stat	 sb;
	char		*dir = scratch(), *file, *hard, *cause = NULL;
	int		 fd, flags;

	file = victim(dir, "file");
	CU_ASSERT_EQUAL_FATAL(chown(file, OTHER_UID, OTHER_UID), 0);
	CU_ASSERT_EQUAL(safe_open(file, O_RDWR | O_TRUNC, 0, getuid(),
	    &cause), -1);
	CU_ASSERT(cause != NULL && strstr(cause, "owned by uid 4242") !=
	    NULL);
	free(cause);
	cause = NULL;
	CU_ASSERT_EQUAL(stat(file, &sb), 0);
	CU_ASSERT_EQUAL(sb.st_size, 4);

	CU_ASSERT_EQUAL_FATAL(chown(file, getuid(), getgid()), 0);
	xasprintf(&hard, "%s/hard", dir);
	CU_ASSERT_EQUAL_FATAL(link(file, hard), 0);
	CU_ASSERT_EQUAL(safe_open(file, O_RDWR | O_TRUNC, 0, getuid(),
	    &cause), -1);
	CU_ASSERT(cause != NULL && strstr(cause, "hard links") != NULL);
	free(cause);
	cause = NULL;
	CU_ASSERT_EQUAL(stat(file, &sb), 0);
	CU_ASSERT_EQUAL(sb.st_size, 4);

	CU_ASSERT_EQUAL_FATAL(unlink(hard), 0);
	fd = safe_open(file, O_RDWR | O_TRUNC, 0, getuid(), &cause);
	CU_ASSERT_FATAL(fd != -1);
	flags = fcntl(fd, F_GETFL);
	CU_ASSERT_EQUAL(flags & O_NONBLOCK, 0);
	CU_ASSERT_EQUAL(fstat(fd, &sb), 0);
	CU_ASSERT_EQUAL(sb.st_size, 0);
	close(fd);
	free(file);
	free(hard);
	rm_rf(dir);
	free(dir);
}

static void
test_safe_open_dir_check_refuses_a_component_of_another_user(void)
{
	char	*dir = scratch(), *home, *deep, *cause = NULL;

	xasprintf(&home, "%s/home", dir);
	xasprintf(&deep, "%s/home/.local/state", dir);
	CU_ASSERT_EQUAL_FATAL(mkdir(home, 0755), 0);
	CU_ASSERT_EQUAL(safe_open_mkdirs(deep, home, getuid(), false,
	    &cause), 0);
	CU_ASSERT_EQUAL(safe_open_dir_check(deep, getuid(), false, &cause),
	    0);

	CU_ASSERT_EQUAL_FATAL(chown(home, OTHER_UID, OTHER_UID), 0);
	CU_ASSERT_EQUAL(safe_open_dir_check(deep, getuid(), false, &cause),
	    -1);
	CU_ASSERT(cause != NULL && strstr(cause, "owned by uid 4242") !=
	    NULL && strstr(cause, home) != NULL);
	free(cause);
	cause = NULL;

	CU_ASSERT_EQUAL_FATAL(chown(home, getuid(), getgid()), 0);
	CU_ASSERT_EQUAL_FATAL(chmod(home, 0777), 0);
	CU_ASSERT_EQUAL(safe_open_dir_check(deep, getuid(), false, &cause),
	    -1);
	CU_ASSERT(cause != NULL && strstr(cause, "writable by others") !=
	    NULL);
	free(cause);
	cause = NULL;

	/* Sticky, like /tmp: others cannot replace what is ours in it. */
	CU_ASSERT_EQUAL_FATAL(chmod(home, 01777), 0);
	CU_ASSERT_EQUAL(safe_open_dir_check(deep, getuid(), false, &cause),
	    0);
	free(home);
	free(deep);
	rm_rf(dir);
	free(dir);
}

static void
test_safe_open_dir_check_follows_a_link_only_to_a_trusted_place(void)
{
	char	*dir = scratch(), *theirs, *link, *cause = NULL;

	xasprintf(&theirs, "%s/theirs", dir);
	xasprintf(&link, "%s/link", dir);
	CU_ASSERT_EQUAL_FATAL(mkdir(theirs, 0700), 0);
	CU_ASSERT_EQUAL_FATAL(symlink(theirs, link), 0);
	CU_ASSERT_EQUAL(safe_open_dir_check(link, getuid(), true, &cause), 0);
	CU_ASSERT_EQUAL_FATAL(chown(theirs, OTHER_UID, OTHER_UID), 0);
	CU_ASSERT_EQUAL(safe_open_dir_check(link, getuid(), true, &cause),
	    -1);
	CU_ASSERT(cause != NULL && strstr(cause, theirs) != NULL);
	free(cause);
	cause = NULL;
	CU_ASSERT_EQUAL_FATAL(chown(theirs, getuid(), getgid()), 0);
	CU_ASSERT_EQUAL_FATAL(lchown(link, OTHER_UID, OTHER_UID), 0);
	CU_ASSERT_EQUAL(safe_open_dir_check(link, getuid(), true, &cause),
	    -1);
	CU_ASSERT(cause != NULL && strstr(cause, "owned by uid 4242") !=
	    NULL);
	free(cause);
	free(theirs);
	free(link);
	rm_rf(dir);
	free(dir);
}

static void
test_safe_open_mkdirs_never_makes_its_base(void)
{
	struct stat	 sb;
	char		*dir = scratch(), *home, *deep, *cause = NULL;

	xasprintf(&home, "%s/nonexistent", dir);
	xasprintf(&deep, "%s/.local/state", home);
	CU_ASSERT_EQUAL(safe_open_mkdirs(deep, home, getuid(), true, &cause),
	    -1);
	CU_ASSERT(cause != NULL && strstr(cause, "No such file") != NULL);
	free(cause);
	cause = NULL;
	CU_ASSERT_EQUAL(stat(home, &sb), -1);

	/* No base: below the deepest directory there is. */
	CU_ASSERT_EQUAL(safe_open_mkdirs(deep, NULL, getuid(), true, &cause),
	    0);
	CU_ASSERT_EQUAL(stat(deep, &sb), 0);
	CU_ASSERT_EQUAL(sb.st_mode & 0777, 0700);
	free(home);
	free(deep);
	rm_rf(dir);
	free(dir);
}

static void
test_safe_open_temp_never_reuses_a_planted_name(void)
{
	struct stat	 sb;
	char		*dir = scratch(), *target, *path, *planted, *tmp;
	char		*cause = NULL;
	int		 fd;

	target = victim(dir, "target");
	xasprintf(&path, "%s/ledger", dir);
	xasprintf(&planted, "%s/ledger.tmp", dir);
	CU_ASSERT_EQUAL_FATAL(symlink(target, planted), 0);
	fd = safe_open_temp(path, &tmp, &cause);
	CU_ASSERT_FATAL(fd != -1);
	CU_ASSERT(strncmp(tmp, path, strlen(path)) == 0);
	CU_ASSERT_EQUAL(write(fd, "new", 3), 3);
	CU_ASSERT_EQUAL(fstat(fd, &sb), 0);
	CU_ASSERT_EQUAL(sb.st_mode & 0777, 0600);
	close(fd);
	CU_ASSERT_EQUAL(stat(target, &sb), 0);
	CU_ASSERT_EQUAL(sb.st_size, 4);
	unlink(tmp);
	free(tmp);
	free(target);
	free(path);
	free(planted);
	rm_rf(dir);
	free(dir);
}

static const struct unit_test tests[] = {
	TEST(test_safe_open_refuses_a_symbolic_link),
	TEST(test_safe_open_does_not_hang_on_a_fifo),
	TEST(test_safe_open_checks_owner_and_links_before_truncating),
	TEST(test_safe_open_dir_check_refuses_a_component_of_another_user),
	TEST(test_safe_open_dir_check_follows_a_link_only_to_a_trusted_place),
	TEST(test_safe_open_mkdirs_never_makes_its_base),
	TEST(test_safe_open_temp_never_reuses_a_planted_name),
	TEST_END
};

UNIT_MAIN("safe-open", tests)
