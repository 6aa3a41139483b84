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

struct scan_opts;
struct target_set;

struct scan_def {
	struct target_set	*targets;
	/*
	 * The ports asked for: -p's specification (checked here, listed
	 * by the plan for the protocols of its technique), or the count
	 * of -F (the top 100) and --top-ports; neither: the profile's.
	 */
	char			*ports;
	unsigned		 top_ports;
	unsigned		 techniques;	/* SCAN_OPTS_*; 0: the profile's */
	bool			 ping_only;	/* -sn */
	bool			 list_only;	/* -sL */
	uint64_t		 seed;		/* --seed, or from getrandom() */
	uint32_t		 shard_index;	/* 0-based */
	uint32_t		 shard_count;	/* 1: not sharded */
	bool			 shard_pairs;	/* split pairs, not hosts */
};

struct scan_def	*scan_def_create(const struct scan_opts *, char **);
void		 scan_def_free(struct scan_def *);

#endif
