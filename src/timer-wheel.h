/*
 * The engine's schedule, at a cost that does not grow with what it
 * holds: intrusive entries that sit in a FIFO (a timer_list) or in a
 * hashed timer wheel by the time they are due. Adding, removing and
 * taking the next due entry are O(1) (a wheel's turn is a fixed number
 * of slots, skipped a word of its bitmap at a time).
 */
#ifndef TIMER_WHEEL_H
#define TIMER_WHEEL_H

#include <stddef.h>
#include <stdint.h>

struct timer_list;
struct timer_wheel;

struct timer_entry {
	uint64_t		 when_ns;	/* in a wheel: when it is due */
	struct timer_entry	*prev;
	struct timer_entry	*next;
	struct timer_list	*list;		/* holding it; NULL: none */
};

struct timer_list {
	struct timer_entry	*head;
	struct timer_entry	*tail;
	struct timer_wheel	*wheel;		/* its slot; NULL: a FIFO */
};

struct timer_wheel {
	struct timer_list	*slot;
	uint64_t		*used;		/* a bit a slot not empty */
	unsigned		 shift;		/* a slot is 2^shift ns */
	size_t			 mask;		/* slots - 1 */
	uint64_t		 base;		/* slots before it are done */
	size_t			 n;
};

/* The engine's wheels: 65.5 us slots, 65536 of them (4.3 s a turn). */
#define TIMER_WHEEL_SHIFT	16
#define TIMER_WHEEL_BITS	16

void	 timer_list_append(struct timer_list *, struct timer_entry *);
struct timer_entry *timer_list_pop(struct timer_list *);
/* Take e out of its list or wheel, if any. */
void	 timer_entry_unlink(struct timer_entry *);

void	 timer_wheel_init(struct timer_wheel *, unsigned, unsigned,
	    uint64_t);
void	 timer_wheel_free(struct timer_wheel *);
/* Due at when (at once if that has passed); e must be in nothing. */
void	 timer_wheel_add(struct timer_wheel *, struct timer_entry *,
	    uint64_t);
/* An entry due by now, taken out, the earliest slot first; or NULL. */
struct timer_entry *timer_wheel_due(struct timer_wheel *, uint64_t);
/* When the earliest entry is due; UINT64_MAX if there is none. */
uint64_t timer_wheel_next(const struct timer_wheel *);

#endif
