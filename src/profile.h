/*
 * Politeness profiles: a named set of hard limits a scan is held to.
 * Loaded from YAML (profile-schema.c holds the libcyaml tables), with
 * `extends:` resolved and every limit checked.
 */
#ifndef PROFILE_H
#define PROFILE_H

#include <stdbool.h>
#include <stdint.h>

enum profile_scan_type {
	PROFILE_SCAN_SYN,
	PROFILE_SCAN_CONNECT,
	PROFILE_SCAN_UDP,
	PROFILE_SCAN_PING		/* hosts only */
};

/* Host discovery probes, a bitmask. */
#define PROFILE_DISCOVER_ICMP_ECHO	0x01
#define PROFILE_DISCOVER_ICMP_TSTAMP	0x02
#define PROFILE_DISCOVER_TCP_SYN	0x04
#define PROFILE_DISCOVER_TCP_ACK	0x08
#define PROFILE_DISCOVER_ARP		0x10

/*
 * A resolved profile. Rates are probes per second; 0 means no limit but
 * congestion control. Times are milliseconds; host_timeout 0 means none.
 */
struct profile {
	char			*name;
	char			*description;
	char			*path;		/* the file it came from */
	char			*extends;	/* NULL: a base profile */
	bool			 unlocked;

	enum profile_scan_type	 scan_type;
	unsigned		 discovery;	/* PROFILE_DISCOVER_* */
	char			*discovery_ports; /* TCP ports for discovery */
	char			*ports;		/* default -p specification */
	uint32_t		 top_ports;	/* or default --top-ports */

	double			 max_rate;	/* global probes/s */
	double			 host_max_rate;	/* per-host probes/s */
	uint32_t		 host_max_outstanding;
	uint32_t		 max_parallel_hosts;
	uint32_t		 max_retries;
	uint32_t		 initial_rtt_timeout;
	uint32_t		 min_rtt_timeout;
	uint32_t		 max_rtt_timeout;
	uint32_t		 scan_delay;
	uint32_t		 host_timeout;
	uint64_t		 max_hosts;	/* per scan; 0: no limit */
	uint32_t		 max_ports_per_host; /* 0: no limit */
	int			 service_probes; /* -sV's intensity cap */
	uint32_t		 service_max_connections; /* a host at once */
	uint32_t		 daily_quota;	/* per target; 0: none */
	/* State entries in NAT and firewalls (state-model.h); times ms. */
	uint32_t		 max_state_entries; /* 0: no limit */
	uint32_t		 state_entry_lifetime;	/* a TCP probe's */
	uint32_t		 state_udp_lifetime;
	uint32_t		 state_icmp_lifetime;
	uint32_t		 state_close_lifetime;	/* after a RST */
};

/* service_probes: none (no service probes at all), or 0-9. */
#define PROFILE_SERVICE_NONE		(-1)
#define PROFILE_INTENSITY_MAX		9
#define PROFILE_INTENSITY_DEFAULT	7	/* Nmap's */

/* The discovery ports of a base profile that names none. */
#define PROFILE_DISCOVERY_PORTS	"22,80,443,3389"

/* The profile a scan uses when none is named. */
#define PROFILE_DEFAULT	"polite"

/*
 * Load a profile by name (searched for as NAME.yaml in each of dirs, a
 * NULL-terminated list, first match wins) or from a file (a spec with a
 * '/' or ending ".yaml"). extends: is resolved through the extending
 * file's own directory, then dirs. Errors read "file:line:col: reason".
 */
struct profile	*profile_load(const char *, const char *const *, char **);
void		 profile_free(struct profile *);
int		 profile_is_file(const char *);
/* The sorted names of the profiles found in dirs, each once. */
char		**profile_names(const char *const *, size_t *);
/* The resolved profile as YAML that loads back to the same profile. */
char		*profile_to_yaml(const struct profile *);
/* One key's value as the YAML would spell it ("10/s", "250ms", "none"). */
char		*profile_value(const struct profile *, const char *);
/* A copy of p that owns its own strings. */
struct profile	*profile_copy(const struct profile *);
/*
 * Set one limit of p (a key that has a more aggressive direction) to
 * value, spelled as a profile spells it ("3", "250ms", "10/s"), as an
 * option asks: a value more aggressive than p's is refused, naming the
 * key and the profile, unless p is unlocked. -1 and cause.
 */
int		 profile_override(struct profile *, const char *, const char *,
		     char **);
/* Whether value is one the limit key may take: -1 and cause. */
int		 profile_value_check(const char *, const char *, char **);
/* Equal limits and settings (name, path, extends and unlocked aside). */
int		 profile_same(const struct profile *, const struct profile *);
const char	*profile_scan_type_name(enum profile_scan_type);

/*
 * The line-numbered YAML pass (profile-check.c), used for profiles and
 * scope files alike: a flat mapping of keys to scalars or sequences of
 * scalars, with the place of each value. Syntax errors, unknown or
 * duplicate keys, a sequence where a scalar belongs (or the reverse),
 * control characters and over-long lines are errors.
 */
struct profile_check_item {
	char		*value;
	unsigned	 line;
	unsigned	 col;
};

struct profile_check_entry {
	char				*key;
	unsigned			 line;	/* of the key */
	unsigned			 col;
	struct profile_check_item	*items;	/* a scalar has one */
	size_t				 nitems;
};

struct profile_check_key {
	const char	*name;
	int		 seq;		/* a sequence of scalars */
};

struct profile_check_map {
	char				*path;
	struct profile_check_entry	*entries;
	size_t				 n;
};

#define PROFILE_CHECK_MAX_FILE	(1024 * 1024)
#define PROFILE_CHECK_MAX_VALUE	1024

int		 profile_check_read(const char *, char **, size_t *,
		     char **);
int		 profile_check_map(struct profile_check_map *, const char *,
		     const char *, size_t, const struct profile_check_key *,
		     char **);
void		 profile_check_map_free(struct profile_check_map *);
const struct profile_check_entry *profile_check_find(
		     const struct profile_check_map *, const char *);
/* Fill cause with "path:line:col: " and the message. */
void		 profile_check_error(char **, const char *, unsigned,
		     unsigned, const char *, ...)
		     __attribute__((format(printf, 5, 6)));

/*
 * The profile as libcyaml maps it (profile-schema.c): every value a
 * string, converted and range-checked by profile.c with the places the
 * line-numbered pass found.
 */
struct profile_yaml {
	char		*name;
	char		*description;
	char		*extends;
	char		*unlocked;
	char		*scan_type;
	char		**discovery;
	unsigned	 discovery_count;
	char		*discovery_ports;
	char		*ports;
	char		*top_ports;
	char		*max_rate;
	char		*host_max_rate;
	char		*host_max_outstanding;
	char		*max_parallel_hosts;
	char		*max_retries;
	char		*initial_rtt_timeout;
	char		*min_rtt_timeout;
	char		*max_rtt_timeout;
	char		*scan_delay;
	char		*host_timeout;
	char		*max_hosts;
	char		*max_ports_per_host;
	char		*service_probes;
	char		*service_max_connections;
	char		*daily_quota;
	char		*max_state_entries;
	char		*state_entry_lifetime;
	char		*state_udp_lifetime;
	char		*state_icmp_lifetime;
	char		*state_close_lifetime;
};

int		 profile_schema_load(const char *, size_t,
		     struct profile_yaml **, char **);
void		 profile_schema_free(struct profile_yaml *);

#endif
