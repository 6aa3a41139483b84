/*
 * The journal and ring of a made-up scan, for the tests of the readers
 * that follow one (see follow-fixture.h): one copy of their setup.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "follow-fixture.h"
#include "journal.h"
#include "ring.h"
#include "xmalloc.h"

static void	follow_fixture_ring_sink(void *, const struct event_header *,
		    const void *);

void
follow_fixture_setup(struct follow_fixture *f, bool with_ring)
{
	char	*cause = NULL, tmpl[] = "/tmp/tact-unit-follow-XXXXXX";

	memset(f, 0, sizeof *f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmpl));
	f->dir = xstrdup(tmpl);
	xasprintf(&f->jpath, "%s/journal", f->dir);
	xasprintf(&f->rpath, "%s/ring", f->dir);
	f->es = event_stream_create();
	f->j = journal_create(f->jpath, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f->j);
	event_stream_add_sink(f->es, journal_sink, f->j);
	event_stream_add_sink(f->es, follow_fixture_ring_sink, f);
	if (with_ring)
		follow_fixture_ring(f);
}

void
follow_fixture_ring(struct follow_fixture *f)
{
	char	*cause = NULL;

	unlink(f->rpath);
	f->r = ring_create(f->rpath, RING_SIZE_MIN, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f->r);
}

/* The ring's sink while there is one. */
static void
follow_fixture_ring_sink(void *arg, const struct event_header *h,
    const void *payload)
{
	struct follow_fixture	*f = arg;

	if (f->r != NULL)
		ring_sink(f->r, h, payload);
}

void
follow_fixture_emit(struct follow_fixture *f, int n)
{
	struct event_progress	p;

	memset(&p, 0, sizeof p);
	while (n-- > 0) {
		p.pairs_done = ++f->done;
		p.pairs_total = 1000000;
		event_stream_emit(f->es, EVENT_PROGRESS, &p, sizeof p);
	}
}

void
follow_fixture_sync(struct follow_fixture *f)
{
	char	*cause = NULL;

	CU_ASSERT_EQUAL(journal_sync(f->j, &cause), 0);
	free(cause);
}

void
follow_fixture_teardown(struct follow_fixture *f)
{
	char	*cause = NULL;

	if (f->r != NULL)
		ring_close(f->r);
	CU_ASSERT_EQUAL(journal_close(f->j, &cause), 0);
	free(cause);
	event_stream_free(f->es);
	unlink(f->jpath);
	unlink(f->rpath);
	rmdir(f->dir);
	free(f->jpath);
	free(f->rpath);
	free(f->dir);
}
