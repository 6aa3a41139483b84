/*
 * The model of the state entries a scan's probes leave in the tracking
 * devices between it and its targets (NAT, stateful firewalls). Every
 * operation is O(1), amortised: the live entries are in a hash by
 * tuple, and each class of lifetime has a FIFO of expiry times. Entries
 * of one class live equally long and the clock only goes forward, so
 * each FIFO is in expiry order and what has expired is at its head. An
 * entry that lives anew (a new try on its tuple, a RST) gets a new
 * record at the tail of its class's FIFO; the old record is stale, and
 * dropped when it reaches the head: it no longer matches the entry's
 * class and expiry, or the entry's generation when its slot was reused.
 */
#include <stdlib.h>
#include <string.h>

#include "state-model.h"
#include "xmalloc.h"

#define STATE_NONE	UINT32_MAX	/* the end of a chain */
#define STATE_FIRST	256		/* slots and buckets to begin with */

struct state_entry {
	struct state_key	 key;
	uint8_t			 class;		/* enum state_class */
	uint32_t		 gen;		/* bumped when freed */
	uint32_t		 next;		/* hash chain, or free list */
	uint64_t		 expire_ns;
};

/* A FIFO record: this slot's entry, as it was, ends at expire_ns. */
struct state_record {
	uint32_t		 slot;
	uint32_t		 gen;
	uint64_t		 expire_ns;
};

struct state_fifo {
	struct state_record	*v;
	size_t			 head;
	size_t			 n;
	size_t			 size;		/* a power of two */
};

struct state_model {
	uint32_t		 max;
	uint64_t		 life_ns[STATE_NCLASS];
	uint32_t		 count;

	struct state_entry	*e;
	uint32_t		 ne;		/* slots in use or free */
	uint32_t		 size;
	uint32_t		 free;		/* free list of slots */

	uint32_t		*bucket;
	uint32_t		 nbucket;	/* a power of two */

	struct state_fifo	 fifo[STATE_NCLASS];
};

static uint32_t	state_hash(const struct state_model *,
		    const struct state_key *);
static bool	state_key_eq(const struct state_key *,
		    const struct state_key *);
static uint32_t	state_find(const struct state_model *,
		    const struct state_key *);
static void	state_grow(struct state_model *);
static void	state_push(struct state_model *, uint32_t, enum state_class,
		    uint64_t);
static void	state_unlink(struct state_model *, uint32_t);

/* FNV-1a over the tuple's fields. */
static uint32_t
state_hash(const struct state_model *m, const struct state_key *k)
{
	uint32_t	h = 2166136261U;
	uint8_t		b[4];
	size_t		i;

	for (i = 0; i < sizeof k->addr.addr; i++)
		h = (h ^ k->addr.addr[i]) * 16777619U;
	b[0] = k->addr.family;
	b[1] = (uint8_t)(k->port >> 8);
	b[2] = (uint8_t)k->port;
	b[3] = (uint8_t)(k->proto ^ (unsigned)k->try << 4 ^ k->try >> 4);
	for (i = 0; i < sizeof b; i++)
		h = (h ^ b[i]) * 16777619U;
	return (h & (m->nbucket - 1));
}

static bool
state_key_eq(const struct state_key *a, const struct state_key *b)
{
	return (a->port == b->port && a->proto == b->proto &&
	    a->try == b->try && target_addr_cmp(&a->addr, &b->addr) == 0);
}

/* The slot of key's live entry, or STATE_NONE. */
static uint32_t
state_find(const struct state_model *m, const struct state_key *k)
{
	uint32_t	i;

	for (i = m->bucket[state_hash(m, k)]; i != STATE_NONE;
	    i = m->e[i].next) {
		if (state_key_eq(&m->e[i].key, k))
			return (i);
	}
	return (STATE_NONE);
}

/* Twice the slots, and rehash into twice the buckets. */
static void
state_grow(struct state_model *m)
{
	uint32_t	i, b;

	m->size *= 2;
	m->e = xreallocarray(m->e, m->size, sizeof *m->e);
	m->nbucket *= 2;
	free(m->bucket);
	m->bucket = xreallocarray(NULL, m->nbucket, sizeof *m->bucket);
	for (i = 0; i < m->nbucket; i++)
		m->bucket[i] = STATE_NONE;
	/* Free slots keep their free list; live ones go back in. */
	for (i = 0; i < m->ne; i++) {
		if (m->e[i].class == STATE_NCLASS)
			continue;
		b = state_hash(m, &m->e[i].key);
		m->e[i].next = m->bucket[b];
		m->bucket[b] = i;
	}
}

/* Slot lives as class until now plus its lifetime. */
static void
state_push(struct state_model *m, uint32_t slot, enum state_class class,
    uint64_t now)
{
	struct state_fifo	*f = &m->fifo[class];
	struct state_record	*r, *v;
	size_t			 i;

	m->e[slot].class = (uint8_t)class;
	m->e[slot].expire_ns = now + m->life_ns[class];
	if (f->n == f->size) {
		v = xreallocarray(NULL, f->size * 2, sizeof *v);
		for (i = 0; i < f->n; i++)
			v[i] = f->v[(f->head + i) & (f->size - 1)];
		free(f->v);
		f->v = v;
		f->head = 0;
		f->size *= 2;
	}
	r = &f->v[(f->head + f->n++) & (f->size - 1)];
	r->slot = slot;
	r->gen = m->e[slot].gen;
	r->expire_ns = m->e[slot].expire_ns;
}

/* Take slot's entry out of its hash chain and free the slot. */
static void
state_unlink(struct state_model *m, uint32_t slot)
{
	uint32_t	*pp;

	for (pp = &m->bucket[state_hash(m, &m->e[slot].key)]; *pp != slot;
	    pp = &m->e[*pp].next)
		;
	*pp = m->e[slot].next;
	m->e[slot].class = STATE_NCLASS;
	m->e[slot].gen++;
	m->e[slot].next = m->free;
	m->free = slot;
	m->count--;
}

struct state_model *
state_model_create(uint32_t max, const uint64_t *life_ns)
{
	struct state_model	*m;
	uint32_t		 i;

	m = xcalloc(1, sizeof *m);
	m->max = max;
	memcpy(m->life_ns, life_ns, sizeof m->life_ns);
	m->size = STATE_FIRST;
	m->e = xreallocarray(NULL, m->size, sizeof *m->e);
	m->free = STATE_NONE;
	m->nbucket = STATE_FIRST;
	m->bucket = xreallocarray(NULL, m->nbucket, sizeof *m->bucket);
	for (i = 0; i < m->nbucket; i++)
		m->bucket[i] = STATE_NONE;
	for (i = 0; i < STATE_NCLASS; i++) {
		m->fifo[i].size = STATE_FIRST;
		m->fifo[i].v = xreallocarray(NULL, STATE_FIRST,
		    sizeof *m->fifo[i].v);
	}
	return (m);
}

void
state_model_free(struct state_model *m)
{
	size_t	i;

	if (m == NULL)
		return;
	for (i = 0; i < STATE_NCLASS; i++)
		free(m->fifo[i].v);
	free(m->bucket);
	free(m->e);
	free(m);
}

void
state_model_open(struct state_model *m, const struct state_key *k,
    enum state_class class, uint64_t now)
{
	uint32_t	slot, b;

	if ((slot = state_find(m, k)) == STATE_NONE) {
		if (m->free != STATE_NONE) {
			slot = m->free;
			m->free = m->e[slot].next;
		} else {
			if (m->ne == m->size)
				state_grow(m);
			slot = m->ne++;
			m->e[slot].gen = 0;
		}
		m->e[slot].key = *k;
		b = state_hash(m, k);
		m->e[slot].next = m->bucket[b];
		m->bucket[b] = slot;
		m->count++;
	}
	state_push(m, slot, class, now);
}

void
state_model_close(struct state_model *m, const struct state_key *k,
    uint64_t now)
{
	uint32_t	slot;

	/* An entry whose time is up is gone, though not yet expired. */
	if ((slot = state_find(m, k)) != STATE_NONE &&
	    m->e[slot].expire_ns > now)
		state_push(m, slot, STATE_CLOSED, now);
}

void
state_model_expire(struct state_model *m, uint64_t now)
{
	struct state_fifo	*f;
	struct state_record	*r;
	struct state_entry	*e;
	size_t			 c;

	for (c = 0; c < STATE_NCLASS; c++) {
		f = &m->fifo[c];
		while (f->n > 0) {
			r = &f->v[f->head];
			e = &m->e[r->slot];
			if (r->expire_ns > now)
				break;
			if (e->gen == r->gen && e->class == c &&
			    e->expire_ns == r->expire_ns)
				state_unlink(m, r->slot);
			f->head = (f->head + 1) & (f->size - 1);
			f->n--;
		}
	}
}

uint32_t
state_model_count(const struct state_model *m)
{
	return (m->count);
}

bool
state_model_full(const struct state_model *m)
{
	return (m->count >= m->max);
}

uint64_t
state_model_next(const struct state_model *m)
{
	const struct state_fifo	*f;
	uint64_t		 next = UINT64_MAX;
	size_t			 c;

	for (c = 0; c < STATE_NCLASS; c++) {
		f = &m->fifo[c];
		if (f->n > 0 && f->v[f->head].expire_ns < next)
			next = f->v[f->head].expire_ns;
	}
	return (next);
}
