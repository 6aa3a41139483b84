/*
 * Fixed-size object pools (pool.h): the engine's probes in flight come
 * and go at line rate, and a malloc and free each cost more than the
 * rest of a probe's bookkeeping. A freed object's first bytes hold the
 * free list's link.
 */
#include <stdlib.h>
#include <string.h>

#include "pool.h"
#include "xmalloc.h"

void
pool_init(struct pool *pl, size_t size, size_t per_chunk)
{
	memset(pl, 0, sizeof *pl);
	if (size < sizeof (void *))
		size = sizeof (void *);
	pl->size = (size + 15) & ~(size_t)15;
	pl->per_chunk = per_chunk > 0 ? per_chunk : 1;
	pl->fill = pl->per_chunk;
}

void
pool_free(struct pool *pl)
{
	size_t	i;

	for (i = 0; i < pl->nchunk; i++)
		free(pl->chunk[i]);
	free(pl->chunk);
	memset(pl, 0, sizeof *pl);
}

void *
pool_get(struct pool *pl)
{
	void	*o;

	if ((o = pl->free) != NULL)
		memcpy(&pl->free, o, sizeof pl->free);
	else {
		if (pl->fill == pl->per_chunk) {
			pl->chunk = xreallocarray(pl->chunk, pl->nchunk + 1,
			    sizeof *pl->chunk);
			pl->chunk[pl->nchunk++] = xreallocarray(NULL,
			    pl->per_chunk, pl->size);
			pl->fill = 0;
		}
		o = (char *)pl->chunk[pl->nchunk - 1] + pl->fill++ * pl->size;
	}
	pl->used++;
	memset(o, 0, pl->size);
	return (o);
}

void
pool_put(struct pool *pl, void *o)
{
	memcpy(o, &pl->free, sizeof pl->free);
	pl->free = o;
	pl->used--;
}
