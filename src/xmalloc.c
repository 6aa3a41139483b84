/*
 * Allocation wrappers. Running out of memory is not something a scanner
 * can recover from sensibly, so it is fatal here and nowhere else needs
 * to check.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xmalloc.h"

static void	xmalloc_fatal(const char *) __attribute__((noreturn));

static void
xmalloc_fatal(const char *what)
{
	char	buf[128];
	int	n;

	n = snprintf(buf, sizeof buf, "tact: %s: out of memory\n", what);
	if (n > 0)
		(void)write(STDERR_FILENO, buf, (size_t)n);
	abort();
}

void *
xmalloc(size_t size)
{
	void	*p;

	if (size == 0)
		size = 1;
	if ((p = malloc(size)) == NULL)
		xmalloc_fatal("xmalloc");
	return (p);
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void	*p;

	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	if ((p = calloc(nmemb, size)) == NULL)
		xmalloc_fatal("xcalloc");
	return (p);
}

void *
xreallocarray(void *old, size_t nmemb, size_t size)
{
	void	*p;

	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	if (size != 0 && nmemb > SIZE_MAX / size)
		xmalloc_fatal("xreallocarray");
	if ((p = realloc(old, nmemb * size)) == NULL)
		xmalloc_fatal("xreallocarray");
	return (p);
}

char *
xstrdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		xmalloc_fatal("xstrdup");
	return (p);
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p;

	if ((p = strndup(s, n)) == NULL)
		xmalloc_fatal("xstrndup");
	return (p);
}

int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = xvasprintf(ret, fmt, ap);
	va_end(ap);
	return (n);
}

int
xvasprintf(char **ret, const char *fmt, va_list ap)
{
	int	n;

	if ((n = vasprintf(ret, fmt, ap)) < 0)
		xmalloc_fatal("xvasprintf");
	return (n);
}
