/*
 * A pool of objects of one size, so that the engine allocates nothing
 * per probe: objects come from chunks allocated as the pool runs out
 * and go back to a free list that hands them out again first. Chunks
 * never move, so an object stays where it is until the pool is freed.
 */
#ifndef POOL_H
#define POOL_H

#include <stddef.h>

struct pool {
	size_t		 size;		/* an object, rounded up */
	size_t		 per_chunk;
	void		**chunk;
	size_t		 nchunk;
	size_t		 fill;		/* objects used of the last chunk */
	void		*free;		/* objects given back, a list */
	size_t		 used;		/* objects out */
};

void	 pool_init(struct pool *, size_t, size_t);
void	 pool_free(struct pool *);
/* A zeroed object; a new chunk when the free list and chunk run out. */
void	*pool_get(struct pool *);
void	 pool_put(struct pool *, void *);

#endif
