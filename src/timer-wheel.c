/*
 * Timer lists and a hashed timer wheel (timer-wheel.h): what the engine
 * schedules by the host or probe, the probes' timeouts and the hosts
 * waiting for their next token, without walking every probe in flight
 * or every host of the group. An entry is due at when_ns; its slot is
 * when_ns >> shift, modulo the wheel's size, so that an entry further
 * than a turn ahead waits in its slot until its own turn comes.
 */
#include <stdlib.h>

#include "timer-wheel.h"
#include "xmalloc.h"

static size_t	timer_wheel_used(const struct timer_wheel *, uint64_t);

void
timer_list_append(struct timer_list *l, struct timer_entry *e)
{
	e->list = l;
	e->next = NULL;
	e->prev = l->tail;
	if (l->tail != NULL)
		l->tail->next = e;
	else
		l->head = e;
	l->tail = e;
}

struct timer_entry *
timer_list_pop(struct timer_list *l)
{
	struct timer_entry	*e = l->head;

	if (e != NULL)
		timer_entry_unlink(e);
	return (e);
}

void
timer_entry_unlink(struct timer_entry *e)
{
	struct timer_list	*l = e->list;
	struct timer_wheel	*w;
	size_t			 i;

	if (l == NULL)
		return;
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		l->head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		l->tail = e->prev;
	e->prev = e->next = NULL;
	e->list = NULL;
	if ((w = l->wheel) == NULL)
		return;
	w->n--;
	if (l->head == NULL) {
		i = (size_t)(l - w->slot);
		w->used[i / 64] &= ~(1ULL << (i % 64));
	}
}

/* 2^bits slots (at least 64) of 2^shift ns each, starting now. */
void
timer_wheel_init(struct timer_wheel *w, unsigned shift, unsigned bits,
    uint64_t now)
{
	size_t	i, n = (size_t)1 << (bits < 6 ? 6 : bits);

	w->slot = xcalloc(n, sizeof *w->slot);
	for (i = 0; i < n; i++)
		w->slot[i].wheel = w;
	w->used = xcalloc(n / 64, sizeof *w->used);
	w->shift = shift;
	w->mask = n - 1;
	w->base = now >> shift;
	w->n = 0;
}

void
timer_wheel_free(struct timer_wheel *w)
{
	free(w->slot);
	free(w->used);
	w->slot = NULL;
	w->used = NULL;
}

void
timer_wheel_add(struct timer_wheel *w, struct timer_entry *e, uint64_t when)
{
	uint64_t	tick = when >> w->shift;
	size_t		i;

	if (tick < w->base)
		tick = w->base;
	i = (size_t)(tick & w->mask);
	e->when_ns = when;
	timer_list_append(&w->slot[i], e);
	w->used[i / 64] |= 1ULL << (i % 64);
	w->n++;
}

/*
 * How many slots after tick (0: its own) the first one not empty is, a
 * word of the bitmap at a time; the wheel must hold an entry.
 */
static size_t
timer_wheel_used(const struct timer_wheel *w, uint64_t tick)
{
	size_t		start = (size_t)(tick & w->mask), i = start / 64;
	size_t		nw = (w->mask + 1) / 64;
	uint64_t	bits = w->used[i] & (~0ULL << (start % 64));

	while (bits == 0) {
		i = (i + 1) % nw;
		bits = w->used[i];
	}
	return ((i * 64 + (size_t)__builtin_ctzll(bits) - start) & w->mask);
}

struct timer_entry *
timer_wheel_due(struct timer_wheel *w, uint64_t now)
{
	struct timer_entry	*e;
	uint64_t		 tick = now >> w->shift, next;

	while (w->n > 0) {
		for (e = w->slot[w->base & w->mask].head; e != NULL;
		    e = e->next) {
			if (e->when_ns <= now) {
				timer_entry_unlink(e);
				return (e);
			}
		}
		if (w->base >= tick)
			break;
		next = w->base + 1 + timer_wheel_used(w, w->base + 1);
		w->base = next < tick ? next : tick;
	}
	if (w->n == 0 && w->base < tick)
		w->base = tick;
	return (NULL);
}

uint64_t
timer_wheel_next(const struct timer_wheel *w)
{
	const struct timer_entry	*e;
	uint64_t			 tick = w->base, best = UINT64_MAX, m;
	size_t				 seen = 0;

	while (seen < w->n) {
		tick += timer_wheel_used(w, tick);
		m = UINT64_MAX;
		for (e = w->slot[tick & w->mask].head; e != NULL;
		    e = e->next) {
			if (e->when_ns < m)
				m = e->when_ns;
			seen++;
		}
		/* Due in this turn of the wheel: nothing comes sooner. */
		if (m < (tick + 1) << w->shift)
			return (m < best ? m : best);
		if (m < best)
			best = m;
		tick++;
	}
	return (best);
}
