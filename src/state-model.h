/*
 * The state a scan leaves in the NAT and firewall devices on its way:
 * a model of the connection-tracking entries its probes create, so that
 * the engine can keep them under the profile's max_state_entries. An
 * entry is born with a probe to a new tuple, ends early when the
 * exchange ends it (a RST) and otherwise lives its class's lifetime.
 */
#ifndef STATE_MODEL_H
#define STATE_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "target-addr.h"

/* What an entry is, which says how long it lives. */
enum state_class {
	STATE_TCP,		/* a SYN (or ACK) unanswered */
	STATE_UDP,		/* a UDP probe */
	STATE_ICMP,		/* an ICMP query */
	STATE_CLOSED,		/* a RST ended it: the close time */
	STATE_NCLASS
};

/*
 * A tuple as a tracking device tells them apart: protocol, address,
 * port (for an ICMP query, its type) and try, since each try of a
 * probe goes from a source port (or ICMP id) of its own; with a fixed
 * source port (-g), a TCP or UDP probe's tries are one tuple (try 0).
 */
struct state_key {
	struct target_addr	addr;
	uint16_t		port;
	uint8_t			proto;		/* IPPROTO_* */
	uint8_t			try;
};

/* The caps a profile or --max-state-entries may set. */
#define STATE_MODEL_MIN		16
#define STATE_MODEL_MAX		1048576

struct state_model;

/*
 * A model that is full at max entries, whose entries of each class live
 * life_ns[class] nanoseconds from the last packet of their exchange.
 */
struct state_model *state_model_create(uint32_t, const uint64_t *);
void		 state_model_free(struct state_model *);
/* A probe went out on key at now: its entry is born, or lives anew. */
void		 state_model_open(struct state_model *,
		     const struct state_key *, enum state_class, uint64_t);
/* The exchange of key ended at now (a RST): it lives the close time. */
void		 state_model_close(struct state_model *,
		     const struct state_key *, uint64_t);
/* Forget the entries whose time is up at now. */
void		 state_model_expire(struct state_model *, uint64_t);
uint32_t	 state_model_count(const struct state_model *);
/* At its cap: no new entry until one ends. */
bool		 state_model_full(const struct state_model *);
/* When the next entry may end; UINT64_MAX when there is none. */
uint64_t	 state_model_next(const struct state_model *);

#endif
