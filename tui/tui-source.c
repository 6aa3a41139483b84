/*
 * Where the dashboard's records come from: the scan's journal up to its
 * end, then the shared-memory ring from that sequence number on. When
 * the ring is ahead of what was applied (the reader opened it late, or
 * was lapped) the journal fills the gap, and the ring is taken up again
 * once its next record follows on. A finished scan has no ring: its
 * journal is all there is. The dashboard never talks to the engine but
 * through this file: records in, control commands out.
 */
#include <stdlib.h>
#include <string.h>

#include "control.h"
#include "journal.h"
#include "ring.h"
#include "scan-dir.h"
#include "tui.h"
#include "xmalloc.h"

struct tui_source {
	struct journal_reader	*journal;
	struct ring_reader	*ring;		/* NULL: journal only */
	bool			 on_ring;	/* caught up: follow the ring */
	char			*control;	/* the control socket's path */
};

static int	tui_source_journal(struct tui_source *, struct tui_scan *,
		    char **);
static int	tui_source_ring(struct tui_source *, struct tui_scan *,
		    char **);

/*
 * Open the ring before reading the journal, so that nothing written in
 * between is missed: whatever the ring holds past the journal's end, the
 * journal will hold too by the time it is needed.
 */
struct tui_source *
tui_source_open(const char *journal, const char *ring, const char *control,
    char **cause)
{
	struct tui_source	*src;
	char			*ignore;

	src = xcalloc(1, sizeof *src);
	if (ring != NULL && (src->ring = ring_reader_open(ring,
	    &ignore)) == NULL)
		free(ignore);
	if ((src->journal = journal_reader_open(journal, cause)) == NULL) {
		tui_source_free(src);
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
	if (src->journal != NULL)
		journal_reader_free(src->journal);
	if (src->ring != NULL)
		ring_reader_free(src->ring);
	free(src->control);
	free(src);
}

/* Every record the journal has now that the scan has not seen. */
static int
tui_source_journal(struct tui_source *src, struct tui_scan *scan,
    char **cause)
{
	const struct event_header	*h;
	const void			*payload;
	int				 rc;

	while ((rc = journal_reader_next(src->journal, &h, &payload,
	    cause)) == 1) {
		if (h->seq <= scan->seq)
			continue;
		if (tui_scan_apply(scan, h, payload, cause) != 0)
			return (-1);
	}
	return (rc);
}

/* The ring's new records; back to the journal on a gap or a lap. */
static int
tui_source_ring(struct tui_source *src, struct tui_scan *scan,
    char **cause)
{
	const struct event_header	*h;
	const void			*payload;
	enum ring_next			 next;

	while ((next = ring_reader_next(src->ring, &h, &payload)) ==
	    RING_RECORD) {
		if (h->seq <= scan->seq)
			continue;
		if (h->seq != scan->seq + 1) {
			/* Ahead of what was applied: the journal has it. */
			src->on_ring = false;
			continue;
		}
		if (!src->on_ring)
			src->on_ring = true;
		if (tui_scan_apply(scan, h, payload, cause) != 0)
			return (-1);
	}
	if (next == RING_LAPPED)
		src->on_ring = false;
	else if (next == RING_CLOSED) {
		ring_reader_free(src->ring);
		src->ring = NULL;
		src->on_ring = false;
	}
	return (0);
}

/* Apply whatever is new; returns -1 and *cause for a damaged record. */
int
tui_source_read(struct tui_source *src, struct tui_scan *scan,
    char **cause)
{
	if (!src->on_ring && tui_source_journal(src, scan, cause) == -1)
		return (-1);
	if (src->ring == NULL)
		return (0);
	if (tui_source_ring(src, scan, cause) == -1)
		return (-1);
	/* The ring closed: the journal has the last records. */
	if (src->ring == NULL && tui_source_journal(src, scan, cause) == -1)
		return (-1);
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
	src = tui_source_open(d->journal, d->ring, d->control, cause);
	scan_dir_free(d);
	return (src);
}

int
tui_source_control(struct tui_source *src, enum event_control_action a,
    char **cause)
{
	char	*reply;

	if (src->control == NULL || src->ring == NULL) {
		xasprintf(cause, "%s: the scan is not running",
		    control_action_name(a));
		return (-1);
	}
	if (control_send(src->control, a, &reply, cause) != 0)
		return (-1);
	free(reply);
	return (0);
}
