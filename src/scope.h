/*
 * Authorization scope: the networks and hostnames a user may scan, who
 * authorized it and until when, read from a YAML file (tact-scope(5)).
 * The policy check here is what `tact scan` calls before any packet:
 * scope, permission, the profile's host limit and the daily quotas.
 */
#ifndef SCOPE_H
#define SCOPE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "target.h"

struct profile;

struct scope {
	char			*path;
	char			*reference;	/* ticket, contract */
	char			*authorized_by;
	time_t			 valid_from;	/* first valid second */
	time_t			 valid_until;	/* first invalid one */
	char			*valid_from_text; /* as written, or NULL */
	char			*valid_until_text;
	char			**networks;	/* as written */
	size_t			 nnetworks;
	struct target_range	*include;	/* networks, parsed */
	size_t			 ninclude;
	char			**hostnames;
	size_t			 nhostnames;
	char			**excludes;	/* as written */
	size_t			 nexcludes;
	struct target_range	*exclude;
	size_t			 nexclude;
};

enum scope_verdict {
	SCOPE_OK,		/* go ahead */
	SCOPE_REFUSED,		/* out of scope, expired, quota: exit 3 */
	SCOPE_NEED_PERMISSION,	/* no scope file: --purpose and a yes */
	SCOPE_BAD_INPUT,	/* e.g. a corrupt ledger: exit 2 */
	SCOPE_FAILED		/* could not check, e.g. I/O: exit 1 */
};

struct scope	*scope_load(const char *, char **);
void		 scope_free(struct scope *);
/* 0 when valid at now, else -1 and why ("scope SOW-42 expired ..."). */
int		 scope_valid(const struct scope *, time_t, char **);
int		 scope_is_loopback(const struct target_addr *);
/* Whether an address (which came from hostname, or NULL) is in scope. */
int		 scope_allows(const struct scope *,
		     const struct target_addr *, const char *);
/*
 * Check every target of a finished set against a scope (NULL: no scope
 * file) at now. Loopback is always allowed. The reason names the first
 * target refused.
 */
enum scope_verdict scope_check(const struct scope *,
		     const struct target_set *, time_t, char **);

/* Everything `tact scan` must settle before it sends a packet. */
struct scope_policy {
	const struct profile	*profile;
	const struct scope	*scope;		/* NULL: no file */
	const char		*purpose;	/* --purpose, or NULL */
	bool			 have_permission; /* --i-have-permission */
	const char		*ledger;	/* the ledger file */
	/* scanme.nmap.org's addresses as resolved for this scan. */
	const struct target_addr *scanme;
	size_t			 nscanme;
	time_t			 now;
};

#define SCOPE_SCANME_NAME	"scanme.nmap.org"
#define SCOPE_SCANME_QUOTA	12

enum scope_verdict scope_policy_check(const struct scope_policy *,
		     const struct target_set *, char **);
/* A target's daily quota (0: none), with scanme.nmap.org's cap. */
uint32_t	 scope_quota_of(const struct scope_policy *,
		     const struct target_addr *, const char *);
/* "purpose=...", "scope=...", "profile=..." for the scan-start event. */
char		**scope_policy_strings(const struct scope_policy *,
		     size_t *);

#endif
