/* The options of `tact scan` and `tact estimate`, parsed from argv. */
#ifndef SCAN_OPTS_H
#define SCAN_OPTS_H

#include <stdbool.h>
#include <stdint.h>

/* Scan techniques chosen with -s; a bitmask since -sS -sU may combine. */
#define SCAN_OPTS_SYN		0x1
#define SCAN_OPTS_CONNECT	0x2
#define SCAN_OPTS_UDP		0x4

/* Output formats, in the order of -oA's files. */
enum scan_opts_output {
	SCAN_OUTPUT_NORMAL,	/* -oN */
	SCAN_OUTPUT_XML,	/* -oX */
	SCAN_OUTPUT_GREPABLE,	/* -oG */
	SCAN_OUTPUT_JSON,	/* -oJ */
	SCAN_OUTPUT_MAX
};

struct scan_opts {
	unsigned	  techniques;	/* SCAN_OPTS_*; 0: the profile's */
	bool		  ping_only;	/* -sn */
	bool		  list_only;	/* -sL */
	bool		  no_ping;	/* -Pn */
	bool		  no_dns;	/* -n */
	bool		  ipv6;		/* -6 */
	bool		  fast;		/* -F */
	uint64_t	  top_ports;	/* --top-ports; 0: not given */
	char		 *ports;	/* -p */

	char		**targets;	/* operands */
	int		  ntargets;
	char		 *input_file;	/* -iL */
	uint64_t	  random_targets; /* -iR; 0: not given */
	char		 *exclude;	/* --exclude */
	char		 *exclude_file;	/* --excludefile */

	double		  max_rate;	/* --max-rate; 0: the profile's */
	int		  verbose;	/* -v, repeatable */
	char		 *output[SCAN_OUTPUT_MAX]; /* -oN -oX -oG -oJ */

	char		 *profile;	/* -P, --profile */
	char		 *scope;	/* --scope */
	char		 *purpose;	/* --purpose */
	bool		  have_permission; /* --i-have-permission */

	bool		  seed_set;
	uint64_t	  seed;		/* --seed */
	uint32_t	  shard_index;	/* --shard i/n, from 1 */
	uint32_t	  shard_count;	/* 0: not sharded */

	bool		  dry_run;	/* --dry-run */
	bool		  detach;	/* --detach */

	bool		  version;	/* -sV */
	int		  version_intensity; /* 0-9; -1: the profile's */
	char		 *datadir;	/* --datadir: nmap-service-probes */
};

int	scan_opts_parse(struct scan_opts *, int, char **, char **);
void	scan_opts_free(struct scan_opts *);
const char *scan_opts_usage(void);

#endif
