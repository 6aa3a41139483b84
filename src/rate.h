/*
 * Token buckets: the profile's probes per second, for the whole scan and
 * for each host. Counted in integer nanoseconds of credit so that the
 * limit holds exactly, with no rounding that could let one probe more
 * through in a second.
 */
#ifndef RATE_H
#define RATE_H

#include <stdbool.h>
#include <stdint.h>

struct rate {
	uint64_t	interval_ns;	/* one token; 0: no limit */
	uint64_t	burst_ns;	/* the most credit it holds */
	uint64_t	credit_ns;
	uint64_t	last_ns;
};

void		rate_init(struct rate *, double, uint32_t, uint64_t);
void		rate_set(struct rate *, double, uint64_t);
double		rate_get(const struct rate *);
bool		rate_take(struct rate *, uint64_t);
uint64_t	rate_wait(const struct rate *, uint64_t);

#endif
