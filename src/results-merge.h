/*
 * The shards of one scan, each rebuilt from its journal, put together
 * into one results store, as the records that would have built it.
 */
#ifndef RESULTS_MERGE_H
#define RESULTS_MERGE_H

#include <stddef.h>
#include <stdint.h>

struct results;

/* What the shards given cover of the scan. */
struct results_merge {
	uint32_t	 count;		/* the scan's shards, n */
	uint32_t	*missing;	/* the numbers (from 1) of those absent */
	size_t		 nmissing;
	const char	*unfinished;	/* the name of one not done, or NULL */
	uint64_t	 done;		/* pairs decided (hosts: a ping scan) */
	uint64_t	 total;		/* pairs of the scan (hosts) */
};

/*
 * Merge the n shards (their names, a journal or scan ID, for the
 * errors) into out, a new store; fill m. -1 and cause, one line, when
 * they are not shards of one scan (seed, targets, ports, profile,
 * technique, split or count differ: it says which), when two are the
 * same shard, or when two hold the same host (whole-host shards) or
 * the same port of a host.
 */
int		 results_merge(struct results *, struct results *const *,
		     const char *const *, size_t, struct results_merge *,
		     char **);
void		 results_merge_free(struct results_merge *);

#endif
