/*
 * The definition of a scan, built from its options: the targets, the
 * ports, the techniques and the order (seed and shard). It is what the
 * scan covers; the profile (how politely) and the scope (whether it may)
 * are checked against it later.
 */
#ifndef SCAN_DEF_H
#define SCAN_DEF_H

#include <stdbool.h>
#include <stdint.h>

#include "port-spec.h"

struct scan_opts;
struct target_set;

struct scan_def {
	struct target_set	*targets;
	/*
	 * From -p, -F (the top 100) or --top-ports. Without any of them
	 * ports_given is false and the list empty: the profile's default
	 * fills it.
	 */
	struct port_list	 ports;
	bool			 ports_given;
	unsigned		 protos;	/* PORT_TCP and/or PORT_UDP */
	unsigned		 techniques;	/* SCAN_OPTS_*; 0: the profile's */
	bool			 ping_only;	/* -sn */
	bool			 list_only;	/* -sL */
	uint64_t		 seed;		/* --seed, or from getrandom() */
	uint32_t		 shard_index;	/* 0-based */
	uint32_t		 shard_count;	/* 1: not sharded */
};

struct scan_def	*scan_def_create(const struct scan_opts *, char **);
void		 scan_def_free(struct scan_def *);
/* Hosts x ports, the number of pairs the scan visits; -1 on overflow. */
int		 scan_def_pairs(const struct scan_def *, uint64_t *);

#endif
