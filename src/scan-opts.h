/*
 * The options of `tact scan`, `tact estimate`, `tact resume` and the
 * dashboard's builder, parsed from argv.
 */
#ifndef SCAN_OPTS_H
#define SCAN_OPTS_H

#include <stdbool.h>
#include <stdint.h>

/* Scan techniques chosen with -s; a bitmask since -sS -sU may combine. */
#define SCAN_OPTS_SYN		0x1
#define SCAN_OPTS_CONNECT	0x2
#define SCAN_OPTS_UDP		0x4

/* Discovery probes chosen with -P, a bitmask; any replaces the profile's. */
#define SCAN_OPTS_PE		0x01	/* ICMP echo */
#define SCAN_OPTS_PP		0x02	/* ICMP timestamp */
#define SCAN_OPTS_PS		0x04	/* TCP SYN (connect() without raw) */
#define SCAN_OPTS_PA		0x08	/* TCP ACK */
#define SCAN_OPTS_PU		0x10	/* UDP */
#define SCAN_OPTS_PR		0x20	/* ARP, or ND over IPv6 */

/* The discovery probes that take ports, in the order of disc_ports. */
enum scan_opts_disc_ports {
	SCAN_OPTS_DISC_SYN,	/* -PS */
	SCAN_OPTS_DISC_ACK,	/* -PA */
	SCAN_OPTS_DISC_UDP,	/* -PU */
	SCAN_OPTS_DISC_MAX
};

/*
 * A timing option that sets a profile key (--max-retries sets
 * max_retries), its value spelled as a profile spells it. The plan
 * applies it; it may only make the profile gentler unless the profile
 * is unlocked.
 */
struct scan_opts_limit {
	const char	*option;	/* "--max-retries" */
	const char	*key;		/* "max_retries" */
	char		*value;		/* "3", "250ms" */
};

#define SCAN_OPTS_LIMITS_MAX	8

/* --version-intensity of --version-light and --version-all. */
#define SCAN_OPTS_VERSION_LIGHT		2
#define SCAN_OPTS_VERSION_ALL		9

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
	unsigned	  discovery;	/* SCAN_OPTS_P*; 0: the profile's */
	char		 *disc_ports[SCAN_OPTS_DISC_MAX]; /* NULL: port 80 */
	bool		  no_dns;	/* -n */
	bool		  ipv6;		/* -6 */
	bool		  fast;		/* -F */
	uint64_t	  top_ports;	/* --top-ports; 0: not given */
	char		 *ports;	/* -p */
	char		 *exclude_ports; /* --exclude-ports */
	bool		  in_order;	/* -r: ports in order, not shuffled */
	bool		  version;	/* -sV */
	int		  version_intensity; /* 0-9; -1: the profile's */

	char		**targets;	/* operands */
	int		  ntargets;
	char		 *input_file;	/* -iL */
	uint64_t	  random_targets; /* -iR; 0: not given */
	char		 *exclude;	/* --exclude */
	char		 *exclude_file;	/* --excludefile */

	double		  max_rate;	/* --max-rate; 0: the profile's */
	double		  min_rate;	/* --min-rate; 0: none */
	struct scan_opts_limit limits[SCAN_OPTS_LIMITS_MAX]; /* --max-retries.. */
	size_t		  nlimits;
	uint64_t	  max_state;	/* --max-state-entries; 0: profile's */
	int		  verbose;	/* -v, repeatable */
	bool		  packet_trace;	/* --packet-trace */
	uint64_t	  stats_every;	/* --stats-every, ms; 0: never */
	char		 *output[SCAN_OUTPUT_MAX]; /* -oN -oX -oG -oJ */
	bool		  open_only;	/* --open */
	bool		  append;	/* --append-output */
	char		 *datadir;	/* --datadir */
	char		 *iface;	/* -e; NULL: the route's */
	uint64_t	  ttl;		/* --ttl, 1-255; 0: not given */
	uint64_t	  source_port;	/* -g, 1-65535; 0: keyed */

	char		 *profile;	/* -T, --profile */
	char		 *scope;	/* --scope */
	char		 *purpose;	/* --purpose */
	bool		  have_permission; /* --i-have-permission */

	bool		  seed_set;
	uint64_t	  seed;		/* --seed */
	uint32_t	  shard_index;	/* --shard i/n, from 1 */
	uint32_t	  shard_count;	/* 0: not sharded */
	bool		  shard_auto;	/* auto/n: the front end sets i */
	bool		  shard_pairs;	/* --shard-pairs: split the pairs */
	char		 *state_dir;	/* --state-dir */

	bool		  dry_run;	/* --dry-run */
	bool		  detach;	/* --detach */
	bool		  help;		/* -h, --help: nothing else is read */
	bool		  show_version;	/* -V */
};

int	scan_opts_parse(struct scan_opts *, int, char **, char **);
void	scan_opts_free(struct scan_opts *);
/*
 * argv (argv[0] the command's name) with each relative path an option
 * names (-iL, --excludefile, -oN, -oX, -oG, -oJ, -oA, --datadir,
 * --scope, a profile file given to -T; "-" is not a path) put after
 * cwd, the rest as given, so that the arguments mean the same in any
 * directory. With cwd NULL a relative path is refused: NULL and cause.
 * Free with scan_opts_absolute_free().
 */
char	**scan_opts_absolute(int, char **, const char *, char **);
void	 scan_opts_absolute_free(char **);
const char *scan_opts_usage(void);

#endif
