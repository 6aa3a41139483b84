/*
 * Where the dashboard's records come from: the event follower
 * (src/event-follow.c), the journal to its end and then the ring, polled
 * from the dashboard's loop without waiting. A finished scan has no ring:
 * its journal is all there is. The dashboard never talks to the engine
 * but through this file: records in, control commands out. An engine
 * that was killed writes no scan-end: while nothing comes, whether it
 * still holds its lock is asked once a second (as `tact attach` does),
 * and when it is gone the journal is read to its end and the scan is
 * interrupted.
 */
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "control.h"
#include "event-follow.h"
#include "scan-dir.h"
#include "tui.h"
#include "xmalloc.h"

/* How long nothing may come before asking whether the engine lives. */
#define TUI_SOURCE_ALIVE_MS	1000

struct tui_source {
	struct event_follow	*follow;
	char			*control;	/* the control socket's path */
	struct scan_dir		*dir;		/* its lock; NULL: not asked */
	uint64_t		 heard_ns;	/* a record, or the lock held */
};

static bool	tui_source_gone(struct tui_source *);

struct tui_source *
tui_source_open(const char *journal, const char *ring, const char *control,
    char **cause)
{
	struct tui_source	*src;

	src = xcalloc(1, sizeof *src);
	if ((src->follow = event_follow_open(journal, ring, cause)) == NULL) {
		free(src);
		return (NULL);
	}
	if (control != NULL)
		src->control = xstrdup(control);
	return (src);
}

void
tui_source_free(struct tui_source *src)
{
	if (src == NULL)
		return;
	event_follow_free(src->follow);
	free(src->control);
	scan_dir_free(src->dir);
	free(src);
}

/*
 * Whether the engine was found gone: nothing came for a while and no
 * one holds its lock. What the journal holds is then all there is.
 */
static bool
tui_source_gone(struct tui_source *src)
{
	uint64_t	now = clock_now_ns();

	if (src->dir == NULL || !event_follow_live(src->follow) ||
	    now - src->heard_ns < TUI_SOURCE_ALIVE_MS * 1000000ULL)
		return (false);
	src->heard_ns = now;
	if (scan_dir_running(src->dir))
		return (false);
	event_follow_writer_gone(src->follow);
	return (true);
}

/*
 * Apply whatever is new; returns -1 and *cause for a damaged record.
 * Records that end without a scan-end leave the scan interrupted.
 */
int
tui_source_read(struct tui_source *src, struct tui_scan *scan,
    char **cause)
{
	const struct event_header	*h;
	const void			*payload;
	enum event_follow_next		 next;

	do {
		while ((next = event_follow_next(src->follow, &h, &payload,
		    0, cause)) == EVENT_FOLLOW_RECORD) {
			if (tui_scan_apply(scan, h, payload, cause) != 0)
				return (-1);
			src->heard_ns = clock_now_ns();
		}
	} while (next == EVENT_FOLLOW_NONE && tui_source_gone(src));
	if (next == EVENT_FOLLOW_ERROR)
		return (-1);
	if (next == EVENT_FOLLOW_END && !results_scan(scan->results)->ended &&
	    !scan->interrupted) {
		scan->interrupted = true;
		scan->changes++;
	}
	return (0);
}

/* The scan with this ID, from its directories. */
struct tui_source *
tui_source_attach(const struct scan_dir_base *base, const char *id,
    char **cause)
{
	struct scan_dir		*d;
	struct tui_source	*src;

	if ((d = scan_dir_open(base, id, cause)) == NULL)
		return (NULL);
	if ((src = tui_source_open(d->journal, d->ring, d->control,
	    cause)) == NULL) {
		scan_dir_free(d);
		return (NULL);
	}
	if (!scan_dir_running(d))
		event_follow_writer_gone(src->follow);
	src->dir = d;
	src->heard_ns = clock_now_ns();
	return (src);
}

int
tui_source_control(struct tui_source *src, enum event_control_action a,
    char **cause)
{
	char	*reply;

	if (src->control == NULL || !event_follow_live(src->follow)) {
		xasprintf(cause, "%s: the scan is not running",
		    control_action_name(a));
		return (-1);
	}
	if (control_send(src->control, a, &reply, cause) != 0)
		return (-1);
	free(reply);
	return (0);
}
