/*
 * The clock every part of the engine reads (see clock.h). The virtual
 * clock keeps the deadline of each timer armed on it, by descriptor;
 * clock_virtual_advance() moves time on to the earliest and disarms the
 * timers it reaches, as a timerfd's expiry would. The caller then acts
 * as if each of those descriptors had become readable. A scan is one
 * thread, so the state is a few file-scope variables.
 */
#include <sys/timerfd.h>

#include <string.h>
#include <time.h>

#include "clock.h"

#define CLOCK_TIMERS	8	/* the scan's, one a transport, and spares */

struct clock_timer {
	int		fd;
	uint64_t	at_ns;	/* 0: disarmed */
};

static bool			clock_virtual;
static uint64_t			clock_virtual_ns;
static struct clock_timer	clock_timers[CLOCK_TIMERS];
static unsigned int		clock_ntimers;

uint64_t
clock_now_ns(void)
{
	struct timespec	ts;

	if (clock_virtual)
		return (clock_virtual_ns);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec);
}

/*
 * Arm the timer fd for at_ns on the clock (now being its time), or
 * disarm it if at_ns is 0. A deadline already past fires at once.
 */
void
clock_timer_set(int fd, uint64_t at_ns, uint64_t now)
{
	struct itimerspec	its;
	uint64_t		d;
	unsigned int		i;

	if (clock_virtual) {
		for (i = 0; i < clock_ntimers; i++) {
			if (clock_timers[i].fd == fd)
				break;
		}
		if (i == clock_ntimers && i < CLOCK_TIMERS)
			clock_timers[clock_ntimers++].fd = fd;
		if (i < clock_ntimers)
			clock_timers[i].at_ns = at_ns;
		return;
	}
	memset(&its, 0, sizeof its);
	if (at_ns != 0) {
		d = at_ns > now ? at_ns - now : 1;
		its.it_value.tv_sec = (time_t)(d / 1000000000ULL);
		its.it_value.tv_nsec = (long)(d % 1000000000ULL);
	}
	timerfd_settime(fd, 0, &its, NULL);
}

/* Run on the virtual clock from start_ns, with no timer armed. */
void
clock_virtual_begin(uint64_t start_ns)
{
	clock_virtual = true;
	clock_virtual_ns = start_ns;
	clock_ntimers = 0;
}

void
clock_virtual_end(void)
{
	clock_virtual = false;
	clock_ntimers = 0;
}

bool
clock_is_virtual(void)
{
	return (clock_virtual);
}

/*
 * Move the virtual clock on to the earliest armed timer and disarm the
 * timers due by then. False if none is armed: nothing would ever wake
 * the caller.
 */
bool
clock_virtual_advance(void)
{
	uint64_t	next = UINT64_MAX;
	unsigned int	i;

	for (i = 0; i < clock_ntimers; i++) {
		if (clock_timers[i].at_ns != 0 && clock_timers[i].at_ns < next)
			next = clock_timers[i].at_ns;
	}
	if (next == UINT64_MAX)
		return (false);
	if (next > clock_virtual_ns)
		clock_virtual_ns = next;
	for (i = 0; i < clock_ntimers; i++) {
		if (clock_timers[i].at_ns <= clock_virtual_ns)
			clock_timers[i].at_ns = 0;
	}
	return (true);
}
