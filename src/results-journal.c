/*
 * The results store of a scan rebuilt from its journal, the one loader
 * behind report, diff and resume: every record, checked by the journal
 * reader, applied in order, as far as the journal goes (a torn tail,
 * which a crash leaves, ends it).
 */
#include <stdlib.h>

#include "journal.h"
#include "results.h"
#include "xmalloc.h"

struct results *
results_load_journal(const char *path, char **cause)
{
	struct journal_reader		*jr;
	struct results			*r;
	const struct event_header	*h;
	const void			*payload;
	int				 rc;

	if ((jr = journal_reader_open(path, cause)) == NULL)
		return (NULL);
	r = results_create();
	while ((rc = journal_reader_next(jr, &h, &payload, cause)) == 1)
		results_apply(r, h, payload);
	journal_reader_free(jr);
	if (rc == 0 && !results_scan(r)->started) {
		xasprintf(cause, "%s: no scan-start record", path);
		rc = -1;
	}
	if (rc == -1) {
		results_free(r);
		return (NULL);
	}
	return (r);
}
