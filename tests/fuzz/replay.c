/*
 * A main() for a fuzz harness built without libFuzzer: feed it every
 * file named on the command line, or of each directory named, in name
 * order. Without arguments it replays its own corpus,
 * $TESTS_SRCDIR/fuzz/corpus/<parser> for the program fuzz-<parser>, as
 * make check runs it. A bad input crashes or aborts the program, or
 * hangs it until SIGALRM ends it.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <err.h>
#include <fcntl.h>
#include <libgen.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "xmalloc.h"

/* An input that takes longer than this hangs the parser: a failure. */
#define REPLAY_TIMEOUT	10

static int	replay_file(const char *);
static int	replay_path(const char *);
static int	replay_dir(const char *);

static int
replay_file(const char *path)
{
	struct stat	 sb;
	uint8_t		*buf;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY|O_CLOEXEC)) == -1 ||
	    fstat(fd, &sb) == -1)
		err(1, "%s", path);
	buf = xmalloc((size_t)sb.st_size + 1);
	n = read(fd, buf, (size_t)sb.st_size);
	if (n != (ssize_t)sb.st_size)
		err(1, "%s: short read", path);
	close(fd);
	printf("replay %s\n", path);
	fflush(stdout);
	alarm(REPLAY_TIMEOUT);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	alarm(0);
	free(buf);
	return (1);
}

static int
replay_dir(const char *dir)
{
	struct dirent	**names;
	char		 *path;
	int		  n, i, count = 0;

	if ((n = scandir(dir, &names, NULL, alphasort)) == -1)
		err(1, "%s", dir);
	for (i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			xasprintf(&path, "%s/%s", dir, names[i]->d_name);
			count += replay_path(path);
			free(path);
		}
		free(names[i]);
	}
	free(names);
	return (count);
}

static int
replay_path(const char *path)
{
	struct stat	sb;

	if (stat(path, &sb) == -1)
		err(1, "%s", path);
	if (S_ISDIR(sb.st_mode))
		return (replay_dir(path));
	return (replay_file(path));
}

int
main(int argc, char **argv)
{
	const char	*srcdir, *name;
	char		*corpus, *self;
	int		 i, count = 0;

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			count += replay_path(argv[i]);
	} else {
		if ((srcdir = getenv("TESTS_SRCDIR")) == NULL)
			errx(1, "usage: %s file|dir ... (or set TESTS_SRCDIR)",
			    argv[0]);
		self = xstrdup(argv[0]);
		name = basename(self);
		if (strncmp(name, "fuzz-", 5) != 0)
			errx(1, "%s: not named fuzz-<parser>", argv[0]);
		xasprintf(&corpus, "%s/fuzz/corpus/%s", srcdir, name + 5);
		count = replay_path(corpus);
		free(corpus);
		free(self);
	}
	if (count == 0)
		errx(1, "no input to replay");
	printf("%d inputs replayed, none crashed\n", count);
	return (0);
}
