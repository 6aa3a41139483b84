/* Strict number parsing: the whole string must be a number in range. */
#ifndef STRNUM_H
#define STRNUM_H

#include <stdint.h>

int	strnum_u64(const char *, uint64_t, uint64_t, uint64_t *, char **);
int	strnum_double(const char *, double, double, double *, char **);

#endif
