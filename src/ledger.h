/*
 * The ledger: how many scans each target had on each UTC day, in one
 * small text file shared by every tact process of a user, so that daily
 * quotas hold across scans. Updates are serialized with flock() on a
 * lock file beside it and replace the file atomically.
 */
#ifndef LEDGER_H
#define LEDGER_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "target.h"

/* One target of a scan about to start, and its daily quota. */
struct ledger_charge {
	struct target_addr	addr;
	uint32_t		quota;		/* scans a day; 0: none */
};

enum ledger_result {
	LEDGER_OK,		/* counted */
	LEDGER_OVER_QUOTA,	/* nothing counted; cause says until when */
	LEDGER_CORRUPT,		/* a bad line; cause has file:line */
	LEDGER_FAILED		/* I/O */
};

/*
 * Count one scan today (UTC, at now) for every charge, or for none when
 * any is over its quota.
 */
enum ledger_result ledger_charge(const char *, const struct ledger_charge *,
		    size_t, time_t, char **);
/* Scans of addr counted on the UTC day of now. */
enum ledger_result ledger_count(const char *, const struct target_addr *,
		    time_t, uint32_t *, char **);

#endif
