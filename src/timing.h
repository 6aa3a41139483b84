/*
 * The timing model: round-trip estimates and timeouts, congestion
 * windows, and the scan delay that rises when a host rate-limits its
 * answers. Pure arithmetic on numbers the engine passes in, so each rule
 * has a unit test.
 */
#ifndef TIMING_H
#define TIMING_H

#include <stdbool.h>
#include <stdint.h>

struct profile;

/* RTT estimate (RFC 6298), timeouts clamped to the profile's. */
struct timing_rtt {
	bool		have;		/* a sample has been taken */
	uint64_t	srtt_us;
	uint64_t	rttvar_us;
	uint64_t	initial_us;
	uint64_t	min_us;
	uint64_t	max_us;
};

void		timing_rtt_init(struct timing_rtt *, const struct profile *);
void		timing_rtt_sample(struct timing_rtt *, uint64_t);
uint64_t	timing_rtt_timeout(const struct timing_rtt *);

/*
 * A congestion window: slow start, then additive increase; halved on a
 * drop, once per window: drops of probes sent before the last cut are
 * part of the same loss and do not cut again.
 */
struct timing_cwnd {
	double		cwnd;
	double		ssthresh;
	double		min;
	double		max;
	uint64_t	cut_ns;		/* when it was last halved */
};

void		timing_cwnd_init(struct timing_cwnd *, double, double, double);
void		timing_cwnd_reply(struct timing_cwnd *);
bool		timing_cwnd_drop(struct timing_cwnd *, uint64_t, uint64_t);
uint32_t	timing_cwnd_get(const struct timing_cwnd *);

/*
 * The scan delay of a host. Each second, if over half of at least 10
 * probes were dropped while retransmissions were answered (so the host
 * is there and not filtering, but answers no faster than some rate),
 * the host is limiting its answers, at the rate of those that got
 * through. Random loss seldom drops half of 10 probes, and a host with
 * only a few probes left (its last retransmissions) tells nothing of its
 * rate. From then on the delay paces the host at that limit, as BBR
 * paces a path at its bottleneck: one second in DELAY_CYCLE it probes
 * 5% above it, and a probe that gets more answers through raises the
 * limit and is followed at once by one twice as far above (so a limit
 * that rose is found in a few seconds); a second that loses over one
 * probe in DELAY_LOSS_SHARE while retransmissions are answered sets the
 * limit to the answers that got through (lower when it fell, higher when
 * a probe overshot one that rose), and a probe follows a second later
 * (the loss may have held the windows under the limit). A probe at twice the limit that
 * gets twice as much through shows there is none (random loss taken for
 * one): the delay is back at the profile's. Never below the profile's
 * scan_delay (min) nor above max.
 */
struct timing_delay {
	uint64_t	delay_us;
	uint64_t	min_us;
	uint64_t	max_us;
	double		limit;		/* probes a second; 0: none seen */
	double		last_rate;	/* answers a second, the last second */
	double		gain;		/* this second's pace over limit */
	double		step;		/* a probe's gain over 1 */
	uint32_t	second;		/* seconds since the limit was seen */
	uint64_t	window_ns;	/* start of the current second */
	uint32_t	replies;
	uint32_t	drops;
	uint32_t	retry_replies;	/* replies to a retransmission */
};

void		timing_delay_init(struct timing_delay *, uint64_t, uint64_t,
		    uint64_t);
void		timing_delay_reply(struct timing_delay *, bool);
void		timing_delay_drop(struct timing_delay *);
bool		timing_delay_tick(struct timing_delay *, uint64_t);

/*
 * How many times a port probe may be resent, from what the host's
 * answered port probes lost before their answer: once while it has lost
 * nothing (Nmap's one try past the latest that was ever needed), else
 * as many as make every try lost less likely than TIMING_MISS at the
 * loss it has shown; at most max.
 */
#define TIMING_MISS	1e-6

uint32_t	timing_retries(uint64_t, uint64_t, uint32_t);

#endif
