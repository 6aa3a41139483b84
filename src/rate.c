/*
 * Token buckets. A bucket holds credit in nanoseconds, earned at one
 * nanosecond a nanosecond up to burst tokens' worth; a token costs one
 * interval (1e9 / rate, rounded up so the rate is never exceeded). With
 * a burst of 1, no window of one second ever holds more than rate
 * tokens, which is what the politeness test checks on the wire.
 */
#include <math.h>

#include "rate.h"

static void	rate_fill(struct rate *, uint64_t);

static void
rate_fill(struct rate *r, uint64_t now)
{
	if (now > r->last_ns) {
		r->credit_ns += now - r->last_ns;
		if (r->credit_ns > r->burst_ns)
			r->credit_ns = r->burst_ns;
	}
	r->last_ns = now;
}

/* A bucket of rate tokens a second (0: no limit), burst tokens deep. */
void
rate_init(struct rate *r, double rate, uint32_t burst, uint64_t now)
{
	r->interval_ns = 0;
	r->burst_ns = 0;
	r->credit_ns = 0;
	r->last_ns = now;
	if (burst == 0)
		burst = 1;
	if (rate > 0) {
		r->interval_ns = (uint64_t)ceil(1e9 / rate);
		r->burst_ns = r->interval_ns * burst;
		r->credit_ns = r->interval_ns;
	}
}

/* Change the rate, keeping the burst in tokens and no more credit. */
void
rate_set(struct rate *r, double rate, uint64_t now)
{
	uint64_t	burst = 1, credit;

	rate_fill(r, now);
	if (r->interval_ns != 0)
		burst = r->burst_ns / r->interval_ns;
	credit = r->credit_ns;
	rate_init(r, rate, (uint32_t)burst, now);
	if (r->interval_ns != 0 && credit < r->credit_ns)
		r->credit_ns = credit;
}

double
rate_get(const struct rate *r)
{
	if (r->interval_ns == 0)
		return (0);
	return (1e9 / (double)r->interval_ns);
}

/* Take a token if there is one. */
bool
rate_take(struct rate *r, uint64_t now)
{
	if (r->interval_ns == 0)
		return (true);
	rate_fill(r, now);
	if (r->credit_ns < r->interval_ns)
		return (false);
	r->credit_ns -= r->interval_ns;
	return (true);
}

/* Nanoseconds until a token is there; 0 if one is there now. */
uint64_t
rate_wait(const struct rate *r, uint64_t now)
{
	uint64_t	credit = r->credit_ns;

	if (r->interval_ns == 0)
		return (0);
	if (now > r->last_ns)
		credit += now - r->last_ns;
	if (credit >= r->interval_ns)
		return (0);
	return (r->interval_ns - credit);
}
