/*
 * What the harnesses share: the input as a string, and a scratch
 * directory for the parsers that read a file by its path.
 */
#include <dirent.h>
#include <err.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "xmalloc.h"

static char	fuzz_dir[] = "/tmp/tact-fuzz.XXXXXX";
static int	fuzz_dir_made;

static void	fuzz_cleanup(void);

static void
fuzz_cleanup(void)
{
	DIR		*d;
	struct dirent	*de;
	char		 path[PATH_MAX];

	if ((d = opendir(fuzz_dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", fuzz_dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(fuzz_dir);
}

char *
fuzz_string(const uint8_t *data, size_t size)
{
	const uint8_t	*nul;

	if ((nul = memchr(data, '\0', size)) != NULL)
		size = (size_t)(nul - data);
	return (xstrndup((const char *)data, size));
}

char *
fuzz_file(const char *name, const uint8_t *data, size_t size)
{
	char	*path;
	int	 fd;

	if (!fuzz_dir_made) {
		if (mkdtemp(fuzz_dir) == NULL)
			err(1, "mkdtemp");
		fuzz_dir_made = 1;
		atexit(fuzz_cleanup);
	}
	xasprintf(&path, "%s/%s", fuzz_dir, name);
	if (data == NULL)
		return (path);
	fd = open(path, O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0600);
	if (fd == -1 || (size > 0 && write(fd, data, size) != (ssize_t)size))
		err(1, "%s", path);
	close(fd);
	return (path);
}
