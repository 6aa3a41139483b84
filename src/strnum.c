/*
 * Strict number parsing for every number a user gives us (command line,
 * profiles, scope files). Trailing junk, signs where none belong, empty
 * strings and values out of range are errors with a reason, unlike
 * strtoul() or atoi(), which accept "100abc" as 100.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "strnum.h"
#include "xmalloc.h"

int
strnum_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out,
    char **cause)
{
	unsigned long long	 v;
	char			*end;

	if (*s == '\0') {
		xasprintf(cause, "\"\": not a number");
		return (-1);
	}
	if (!isdigit((unsigned char)*s)) {
		xasprintf(cause, "\"%s\": not a number", s);
		return (-1);
	}
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end != '\0') {
		xasprintf(cause, "\"%s\": not a number", s);
		return (-1);
	}
	if (errno == ERANGE || v < min || v > max) {
		xasprintf(cause, "\"%s\": out of range %llu-%llu", s,
		    (unsigned long long)min, (unsigned long long)max);
		return (-1);
	}
	*out = v;
	return (0);
}

int
strnum_double(const char *s, double min, double max, double *out,
    char **cause)
{
	double	 v;
	char	*end;

	if (*s == '\0' || isspace((unsigned char)*s)) {
		xasprintf(cause, "\"%s\": not a number", s);
		return (-1);
	}
	errno = 0;
	v = strtod(s, &end);
	if (*end != '\0' || !isfinite(v)) {
		xasprintf(cause, "\"%s\": not a number", s);
		return (-1);
	}
	if (errno == ERANGE || v < min || v > max) {
		xasprintf(cause, "\"%s\": out of range %g-%g", s, min, max);
		return (-1);
	}
	*out = v;
	return (0);
}
