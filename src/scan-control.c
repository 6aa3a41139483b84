/*
 * The engine's side of the control socket: take one command from a
 * client (control_accept checks who it is), apply it to the running scan
 * (pause, resume, slower, faster, stop), record it as an EVENT_CONTROL
 * record so that every view sees it, and answer with the rate limit it
 * leaves. Slower and faster halve and double the limit that binds (the
 * scan's, or the per-host cap times the hosts being scanned), never
 * above what the profile and --max-rate allow.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control.h"
#include "event.h"
#include "scan-control.h"
#include "scan.h"

#define SCAN_CONTROL_SLOWER	0.5
#define SCAN_CONTROL_FASTER	2.0

static double	scan_control_apply(struct scan *, enum event_control_action,
		    double);

/* Obey one action; the rate limit after it (0: none). */
static double
scan_control_apply(struct scan *s, enum event_control_action a, double rate)
{
	switch (a) {
	case EVENT_CONTROL_PAUSE:
		scan_pause(s, true);
		break;
	case EVENT_CONTROL_RESUME:
		scan_pause(s, false);
		break;
	case EVENT_CONTROL_SLOWER:
		return (scan_rate_adjust(s, SCAN_CONTROL_SLOWER));
	case EVENT_CONTROL_FASTER:
		return (scan_rate_adjust(s, SCAN_CONTROL_FASTER));
	case EVENT_CONTROL_STOP:
		scan_stop(s);
		break;
	}
	return (rate);
}

void
scan_control_accept(struct scan *s, int lfd, void *arg)
{
	struct scan_control		*ctl = arg;
	enum event_control_action	 a;
	struct event_control		 c;
	uid_t				 uid;
	char				*cause, detail[64];
	int				 fd;

	/* A client refused or gone has been answered: nothing to record. */
	if ((fd = control_accept(lfd, ctl->owner, &a, &uid, &cause)) == -1) {
		free(cause);
		return;
	}
	memset(&c, 0, sizeof c);
	c.action = a;
	c.uid = (uint32_t)uid;
	c.rate = scan_control_apply(s, a, scan_rate_limit(s));
	event_stream_emit(ctl->es, EVENT_CONTROL, &c, sizeof c);
	if (c.rate == 0)
		snprintf(detail, sizeof detail, "rate=none");
	else
		snprintf(detail, sizeof detail, "rate=%.1f", c.rate);
	control_reply(fd, true, detail);
}
