/*
 * The timing model. RTT: RFC 6298's smoothed estimate and variance, the
 * timeout srtt + 4 rttvar clamped to the profile's min and max. Windows:
 * TCP-like, growing by one a reply in slow start and by 1/cwnd after,
 * halved on a drop. Delay and retries: see timing.h.
 */
#include <math.h>
#include <stddef.h>

#include "profile.h"
#include "timing.h"

#define DELAY_DROP_SHARE	4	/* drops over a quarter of what settled */
#define DELAY_MIN_SETTLED	10	/* fewer in a second tell nothing */
#define DELAY_CYCLE		4	/* seconds: one probes above the limit */
#define DELAY_PROBE_STEP	0.05	/* the first probe: 5% above, */
#define DELAY_PROBE_MIN		2	/* and 2 probes a second more at least */
#define DELAY_PROBE_MAX		1.0	/* at most twice the limit */
#define DELAY_LOSS_SHARE	8	/* once limited: over 1/8 lost */

static double	timing_delay_step(const struct timing_delay *);
static void	timing_delay_pace(struct timing_delay *);

void
timing_rtt_init(struct timing_rtt *t, const struct profile *p)
{
	t->have = false;
	t->srtt_us = 0;
	t->rttvar_us = 0;
	t->initial_us = (uint64_t)p->initial_rtt_timeout * 1000;
	t->min_us = (uint64_t)p->min_rtt_timeout * 1000;
	t->max_us = (uint64_t)p->max_rtt_timeout * 1000;
	if (t->max_us < t->min_us)
		t->max_us = t->min_us;
}

void
timing_rtt_sample(struct timing_rtt *t, uint64_t rtt_us)
{
	uint64_t	diff;

	if (!t->have) {
		t->have = true;
		t->srtt_us = rtt_us;
		t->rttvar_us = rtt_us / 2;
		return;
	}
	diff = rtt_us > t->srtt_us ? rtt_us - t->srtt_us : t->srtt_us - rtt_us;
	t->rttvar_us = (3 * t->rttvar_us + diff) / 4;
	t->srtt_us = (7 * t->srtt_us + rtt_us) / 8;
}

/* Microseconds to wait for an answer before counting a probe dropped. */
uint64_t
timing_rtt_timeout(const struct timing_rtt *t)
{
	uint64_t	to;

	to = t->have ? t->srtt_us + 4 * t->rttvar_us : t->initial_us;
	if (to < t->min_us)
		to = t->min_us;
	if (to > t->max_us)
		to = t->max_us;
	return (to);
}

void
timing_cwnd_init(struct timing_cwnd *w, double initial, double min,
    double max)
{
	if (min < 1)
		min = 1;
	if (max < min)
		max = min;
	if (initial < min)
		initial = min;
	if (initial > max)
		initial = max;
	w->cwnd = initial;
	w->ssthresh = max;
	w->min = min;
	w->max = max;
	w->cut_ns = 0;
}

void
timing_cwnd_reply(struct timing_cwnd *w)
{
	if (w->cwnd < w->ssthresh)
		w->cwnd += 1;
	else
		w->cwnd += 1 / w->cwnd;
	if (w->cwnd > w->max)
		w->cwnd = w->max;
}

/* A probe sent at sent_ns was dropped (noticed at now). */
bool
timing_cwnd_drop(struct timing_cwnd *w, uint64_t sent_ns, uint64_t now)
{
	if (sent_ns < w->cut_ns)
		return (false);
	w->cut_ns = now;
	w->ssthresh = w->cwnd / 2;
	if (w->ssthresh < w->min)
		w->ssthresh = w->min;
	w->cwnd = w->ssthresh;
	return (true);
}

uint32_t
timing_cwnd_get(const struct timing_cwnd *w)
{
	return ((uint32_t)w->cwnd);
}

void
timing_delay_init(struct timing_delay *d, uint64_t delay_us, uint64_t max_us,
    uint64_t now)
{
	d->delay_us = delay_us;
	d->min_us = delay_us;
	d->max_us = max_us < delay_us ? delay_us : max_us;
	d->limit = 0;
	d->last_rate = 0;
	d->gain = 1;
	d->step = DELAY_PROBE_STEP;
	d->second = 0;
	d->window_ns = now;
	d->replies = 0;
	d->drops = 0;
	d->retry_replies = 0;
}

void
timing_delay_reply(struct timing_delay *d, bool retransmitted)
{
	d->replies++;
	if (retransmitted)
		d->retry_replies++;
}

void
timing_delay_drop(struct timing_delay *d)
{
	d->drops++;
}

/* How far above the limit a first probe goes: enough to be counted. */
static double
timing_delay_step(const struct timing_delay *d)
{
	return (fmax(DELAY_PROBE_STEP, DELAY_PROBE_MIN / d->limit));
}

/* The delay that paces the host at its limit times its gain. */
static void
timing_delay_pace(struct timing_delay *d)
{
	double	us = 1e6 / (d->limit * d->gain);

	if (us < (double)d->min_us)
		us = (double)d->min_us;
	if (us > (double)d->max_us)
		us = (double)d->max_us;
	d->delay_us = (uint64_t)us;
}

/*
 * Close the second if it is over and pace the next one. Return true if
 * the delay grew: the host was seen limiting its answers, or lost more
 * than probing above its limit explains.
 */
bool
timing_delay_tick(struct timing_delay *d, uint64_t now)
{
	uint64_t	elapsed = now - d->window_ns, old = d->delay_us;
	uint32_t	settled = d->replies + d->drops;
	double		rate;
	bool		limiting;

	if (now < d->window_ns || elapsed < 1000000000ULL)
		return (false);
	rate = (double)d->replies * 1e9 / (double)elapsed;
	limiting = d->retry_replies > 0 && d->replies > 0 &&
	    settled >= DELAY_MIN_SETTLED;
	if (d->limit == 0) {
		if (limiting && d->drops * DELAY_DROP_SHARE > settled) {
			d->limit = rate;
			d->gain = 1;
			d->step = timing_delay_step(d);
			d->second = 0;
			timing_delay_pace(d);
		}
	} else {
		d->second++;
		if (limiting && d->drops * DELAY_LOSS_SHARE > settled) {
			/*
			 * What got through while some was lost: the limit,
			 * or under it if the loss stalled the windows. A
			 * probe follows the next second.
			 */
			d->limit = rate;
			d->gain = 1;
			d->step = timing_delay_step(d);
			d->second = DELAY_CYCLE - 1;
		} else if (d->gain > 1 &&
		    rate > d->last_rate * (1 + d->step / 2)) {
			/*
			 * The probe got more through than the second before:
			 * keep its pace, probe twice as far. Twice the pace
			 * that got twice as much through: no limit after all.
			 */
			d->limit = d->step < DELAY_PROBE_MAX ?
			    d->limit * d->gain : 0;
			d->step = fmin(2 * d->step, DELAY_PROBE_MAX);
			d->gain = 1 + d->step;
		} else {
			d->step = timing_delay_step(d);
			d->gain = d->second % DELAY_CYCLE == 0 ? 1 + d->step : 1;
		}
		if (d->limit > 0)
			timing_delay_pace(d);
		else
			d->delay_us = d->min_us;
	}
	d->last_rate = rate;
	d->window_ns = now;
	d->replies = 0;
	d->drops = 0;
	d->retry_replies = 0;
	return (d->delay_us > old);
}

/*
 * Retries for a port probe of a host whose answered port probes lost
 * lost tries before answered answers. The loss is taken a little high,
 * (lost + 1) / (lost + answered + 1), since the first few answers say
 * little.
 */
uint32_t
timing_retries(uint64_t lost, uint64_t answered, uint32_t max)
{
	double	loss, n;

	if (max == 0)
		return (0);
	if (lost == 0)
		return (1);
	loss = (double)(lost + 1) / (double)(lost + answered + 1);
	if (loss >= 1)
		return (max);
	n = ceil(log(TIMING_MISS) / log(loss)) - 1;
	if (n < 1)
		return (1);
	if (n > max)
		return (max);
	return ((uint32_t)n);
}
