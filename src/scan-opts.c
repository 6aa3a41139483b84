/*
 * Parse the options of `tact scan`, `tact estimate`, `tact resume` and
 * the dashboard's builder. Nmap's spellings are kept where Nmap has them
 * (-sS, -Pn, -PS22, -T4, -iL, -oX, --top-ports, --max-retries), which
 * needs getopt_long_only(): "-iL" is a long option with one dash, while
 * "-p80", "-sS" and "-PS22" fall back to short options with an
 * argument. A profile is chosen with -T or --profile; -T0 to -T5 and
 * Nmap's template names stand for shipped profiles (one table below).
 * Each option is checked here for what it is alone and for the
 * combinations Nmap refuses too; what it means for the scan is the
 * plan's to decide (scan-plan.c). The paths the options name are made
 * absolute here too, for the journal a scan is resumed from.
 */
#include <ctype.h>
#include <getopt.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "port-spec.h"
#include "profile.h"
#include "scan-opts.h"
#include "state-model.h"
#include "strnum.h"
#include "tact.h"
#include "xmalloc.h"

enum {
	OPT_TOP_PORTS = 256,
	OPT_IL,
	OPT_IR,
	OPT_EXCLUDE,
	OPT_EXCLUDEFILE,
	OPT_MAX_RATE,
	OPT_MAX_STATE,
	OPT_ON,
	OPT_OX,
	OPT_OG,
	OPT_OJ,
	OPT_OA,
	OPT_SCOPE,
	OPT_PURPOSE,
	OPT_PERMISSION,
	OPT_SEED,
	OPT_SHARD,
	OPT_SHARD_PAIRS,
	OPT_STATE_DIR,
	OPT_DRY_RUN,
	OPT_DETACH,
	OPT_OPEN,
	OPT_REASON,
	OPT_VERSION_INTENSITY,
	OPT_VERSION_LIGHT,
	OPT_VERSION_ALL,
	OPT_EXCLUDE_PORTS,
	OPT_MIN_RATE,
	OPT_STATS_EVERY,
	OPT_PACKET_TRACE,
	OPT_APPEND_OUTPUT,
	OPT_DATADIR,
	OPT_SOURCE_PORT,	/* --source-port, as -g */
	OPT_TTL,
	OPT_LIMIT		/* OPT_LIMIT + i: scan_opts_limits[i] */
};

/* The timing options that set a profile's limits. */
static const struct {
	const char	*option;
	const char	*key;
	bool		 time;		/* a bare number is seconds */
} scan_opts_limits[] = {
	{ "--max-retries", "max_retries", false },
	{ "--host-timeout", "host_timeout", true },
	{ "--scan-delay", "scan_delay", true },
	{ "--max-rtt-timeout", "max_rtt_timeout", true },
	{ "--min-rtt-timeout", "min_rtt_timeout", true },
	{ "--initial-rtt-timeout", "initial_rtt_timeout", true },
	{ "--max-hostgroup", "max_parallel_hosts", false },
};

/* -T's numbers and Nmap's names for its timing templates. */
static const struct {
	const char	*number;
	const char	*name;
	const char	*profile;
} scan_opts_templates[] = {
	{ "0", "paranoid", "gentle" },
	{ "1", "sneaky", "gentle" },
	{ "2", "polite", "polite" },
	{ "3", "normal", "standard" },
	{ "4", "aggressive", "brisk" },
	{ "5", "insane", "brisk" },
};

/* The -P letters: a discovery probe, with ports or not. */
static const struct {
	char		letter;
	unsigned	probe;		/* SCAN_OPTS_P* */
	int		ports;		/* enum scan_opts_disc_ports, or -1 */
	unsigned	protos;		/* of the ports */
} scan_opts_p[] = {
	{ 'E', SCAN_OPTS_PE, -1, 0 },
	{ 'P', SCAN_OPTS_PP, -1, 0 },
	{ 'R', SCAN_OPTS_PR, -1, 0 },
	{ 'S', SCAN_OPTS_PS, SCAN_OPTS_DISC_SYN, PORT_TCP },
	{ 'A', SCAN_OPTS_PA, SCAN_OPTS_DISC_ACK, PORT_TCP },
	{ 'U', SCAN_OPTS_PU, SCAN_OPTS_DISC_UDP, PORT_UDP },
};

/* The short options, for getopt_long_only(). */
static const char scan_opts_short[] = ":6dFhnrvVe:g:s:P:p:T:";

static const struct option scan_opts_long[] = {
	{ "top-ports", required_argument, NULL, OPT_TOP_PORTS },
	{ "iL", required_argument, NULL, OPT_IL },
	{ "iR", required_argument, NULL, OPT_IR },
	{ "exclude", required_argument, NULL, OPT_EXCLUDE },
	{ "excludefile", required_argument, NULL, OPT_EXCLUDEFILE },
	{ "max-rate", required_argument, NULL, OPT_MAX_RATE },
	{ "max-state-entries", required_argument, NULL, OPT_MAX_STATE },
	{ "oN", required_argument, NULL, OPT_ON },
	{ "oX", required_argument, NULL, OPT_OX },
	{ "oG", required_argument, NULL, OPT_OG },
	{ "oJ", required_argument, NULL, OPT_OJ },
	{ "oA", required_argument, NULL, OPT_OA },
	{ "profile", required_argument, NULL, 'T' },
	{ "scope", required_argument, NULL, OPT_SCOPE },
	{ "purpose", required_argument, NULL, OPT_PURPOSE },
	{ "i-have-permission", no_argument, NULL, OPT_PERMISSION },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "shard-pairs", required_argument, NULL, OPT_SHARD_PAIRS },
	{ "state-dir", required_argument, NULL, OPT_STATE_DIR },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "detach", no_argument, NULL, OPT_DETACH },
	{ "open", no_argument, NULL, OPT_OPEN },
	{ "reason", no_argument, NULL, OPT_REASON },
	{ "version-intensity", required_argument, NULL,
	    OPT_VERSION_INTENSITY },
	{ "version-light", no_argument, NULL, OPT_VERSION_LIGHT },
	{ "version-all", no_argument, NULL, OPT_VERSION_ALL },
	{ "exclude-ports", required_argument, NULL, OPT_EXCLUDE_PORTS },
	{ "min-rate", required_argument, NULL, OPT_MIN_RATE },
	{ "stats-every", required_argument, NULL, OPT_STATS_EVERY },
	{ "packet-trace", no_argument, NULL, OPT_PACKET_TRACE },
	{ "append-output", no_argument, NULL, OPT_APPEND_OUTPUT },
	{ "datadir", required_argument, NULL, OPT_DATADIR },
	{ "source-port", required_argument, NULL, OPT_SOURCE_PORT },
	{ "ttl", required_argument, NULL, OPT_TTL },
	{ "help", no_argument, NULL, 'h' },
	{ "max-retries", required_argument, NULL, OPT_LIMIT + 0 },
	{ "host-timeout", required_argument, NULL, OPT_LIMIT + 1 },
	{ "scan-delay", required_argument, NULL, OPT_LIMIT + 2 },
	{ "max-rtt-timeout", required_argument, NULL, OPT_LIMIT + 3 },
	{ "min-rtt-timeout", required_argument, NULL, OPT_LIMIT + 4 },
	{ "initial-rtt-timeout", required_argument, NULL, OPT_LIMIT + 5 },
	{ "max-hostgroup", required_argument, NULL, OPT_LIMIT + 6 },
	{ NULL, 0, NULL, 0 }
};

/*
 * The options that name a file or a directory, which a resumed scan
 * opens again; -T's argument only when it is a profile file.
 */
static const struct {
	int		 ch;
	const char	*name;
} scan_opts_paths[] = {
	{ 'T', "-T" },
	{ OPT_IL, "-iL" },
	{ OPT_EXCLUDEFILE, "--excludefile" },
	{ OPT_ON, "-oN" },
	{ OPT_OX, "-oX" },
	{ OPT_OG, "-oG" },
	{ OPT_OJ, "-oJ" },
	{ OPT_OA, "-oA" },
	{ OPT_DATADIR, "--datadir" },
	{ OPT_SCOPE, "--scope" },
	{ OPT_STATE_DIR, "--state-dir" },
};

/* The -s letters, as a table: letter, technique bit, or a mode flag. */
static const struct {
	char		letter;
	unsigned	technique;
	size_t		flag;	/* offsetof a bool in struct scan_opts, or 0 */
} scan_opts_s[] = {
	{ 'S', SCAN_OPTS_SYN, 0 },
	{ 'T', SCAN_OPTS_CONNECT, 0 },
	{ 'U', SCAN_OPTS_UDP, 0 },
	{ 'n', 0, __builtin_offsetof(struct scan_opts, ping_only) },
	{ 'L', 0, __builtin_offsetof(struct scan_opts, list_only) },
	{ 'V', 0, __builtin_offsetof(struct scan_opts, version) },
};

static const char scan_opts_usage_text[] =
    "[-6dFhnrvV] [-sS|-sT|-sU|-sn|-sL] [-sV] [-T profile] [-e iface]\n"
    "    [-g port] [-Pn|-PS[ports]|-PA[ports]|-PU[ports]|-PE|-PP|-PR]\n"
    "    [-p ports] [--top-ports n] [--exclude-ports ports] [-iL file]\n"
    "    [-iR n] [--exclude list] [--excludefile file] [--max-rate n]\n"
    "    [--min-rate n] [--max-retries n] [--host-timeout time]\n"
    "    [--scan-delay time] [--min-rtt-timeout time]\n"
    "    [--max-rtt-timeout time] [--initial-rtt-timeout time]\n"
    "    [--max-hostgroup n] [--max-state-entries n]\n"
    "    [--version-intensity n] [--version-light] [--ttl n]\n"
    "    [--version-all] [-oN|-oX|-oG|-oJ file] [-oA base] [--open]\n"
    "    [--reason] [--append-output] [--stats-every time]\n"
    "    [--packet-trace] [--datadir dir] [--scope file]\n"
    "    [--purpose text] [--i-have-permission] [--seed n]\n"
    "    [--shard i/n | --shard-pairs i/n] [--state-dir dir] [--dry-run]\n"
    "    [--detach] target ...";

/* What -sL may not be given with: each would send something. */
static const struct {
	const char	*option;
	size_t		 off;		/* of a field that is not 0 if given */
	size_t		 size;
} scan_opts_sends[] = {
#define SCAN_OPTS_SENDS(o, f) \
	{ o, __builtin_offsetof(struct scan_opts, f), \
	    sizeof(((struct scan_opts *)NULL)->f) }
	SCAN_OPTS_SENDS("-sS, -sT or -sU", techniques),
	SCAN_OPTS_SENDS("-sn", ping_only),
	SCAN_OPTS_SENDS("-sV", version),
	SCAN_OPTS_SENDS("-p", ports),
	SCAN_OPTS_SENDS("-F", fast),
	SCAN_OPTS_SENDS("--top-ports", top_ports),
	SCAN_OPTS_SENDS("-PS, -PA, -PU, -PE, -PP or -PR", discovery),
	SCAN_OPTS_SENDS("--packet-trace", packet_trace),
	SCAN_OPTS_SENDS("-e", iface),
	SCAN_OPTS_SENDS("--ttl", ttl),
	SCAN_OPTS_SENDS("-g", source_port),
	SCAN_OPTS_SENDS("--detach", detach),
#undef SCAN_OPTS_SENDS
};

static int	scan_opts_time(const char *, const char *, uint64_t *,
		    char **);
static int	scan_opts_limit(struct scan_opts *, size_t, const char *,
		    char **);
static int	scan_opts_discovery(struct scan_opts *, const char *,
		    char **);
static int	scan_opts_profile(struct scan_opts *, const char *,
		    char **);
static int	scan_opts_check_outputs(const struct scan_opts *, char **);
static int	scan_opts_check(struct scan_opts *, char **);
static int	scan_opts_iface(struct scan_opts *, const char *, char **);

const char *
scan_opts_usage(void)
{
	return (scan_opts_usage_text);
}

static int
scan_opts_set_string(char **field, const char *what, const char *arg,
    char **cause)
{
	if (*field != NULL) {
		xasprintf(cause, "%s: given twice", what);
		return (-1);
	}
	*field = xstrdup(arg);
	return (0);
}

/* -e: a name the kernel could give an interface (it need not exist here). */
static int
scan_opts_iface(struct scan_opts *o, const char *arg, char **cause)
{
	size_t	i, len = strlen(arg);

	for (i = 0; i < len; i++) {
		if (arg[i] == '/' || arg[i] <= ' ' || arg[i] >= 0x7f)
			break;
	}
	if (len == 0 || len >= IF_NAMESIZE || i < len ||
	    strcmp(arg, ".") == 0 || strcmp(arg, "..") == 0) {
		xasprintf(cause, "-e: \"%s\": not an interface name", arg);
		return (-1);
	}
	return (scan_opts_set_string(&o->iface, "-e", arg, cause));
}

static int
scan_opts_technique(struct scan_opts *o, const char *arg, char **cause)
{
	size_t	i;

	if (strlen(arg) == 1) {
		for (i = 0; i < sizeof scan_opts_s / sizeof scan_opts_s[0];
		    i++) {
			if (scan_opts_s[i].letter != arg[0])
				continue;
			if (scan_opts_s[i].flag != 0)
				*(bool *)((char *)o + scan_opts_s[i].flag) =
				    true;
			o->techniques |= scan_opts_s[i].technique;
			return (0);
		}
	}
	xasprintf(cause, "-s%s: unknown scan type (want S, T, U, V, n or L)",
	    arg);
	return (-1);
}

/*
 * --shard and --shard-pairs: i/n, or auto/n for the front end to take i
 * from the job engine's environment.
 */
static int
scan_opts_shard(struct scan_opts *o, bool pairs, const char *arg,
    char **cause)
{
	const char	*what = pairs ? "--shard-pairs" : "--shard";
	const char	*slash;
	char		*first, *c = NULL;
	uint64_t	 i = 0, n;

	if (o->shard_count != 0) {
		xasprintf(cause, "%s: a shard is given twice", what);
		return (-1);
	}
	if ((slash = strchr(arg, '/')) == NULL) {
		xasprintf(cause, "%s: \"%s\": want i/n, as 1/4, or auto/n",
		    what, arg);
		return (-1);
	}
	first = xstrndup(arg, (size_t)(slash - arg));
	if (strnum_u64(slash + 1, 1, UINT32_MAX, &n, &c) != 0 ||
	    (strcmp(first, "auto") != 0 &&
	    strnum_u64(first, 1, n, &i, &c) != 0)) {
		xasprintf(cause, "%s: %s", what, c);
		free(c);
		free(first);
		return (-1);
	}
	free(first);
	o->shard_index = (uint32_t)i;
	o->shard_count = (uint32_t)n;
	o->shard_auto = i == 0;
	o->shard_pairs = pairs;
	return (0);
}

static int
scan_opts_output_all(struct scan_opts *o, const char *base, char **cause)
{
	static const char	*ext[SCAN_OUTPUT_MAX] = {
		"nmap", "xml", "gnmap", "jsonl"
	};
	int			 i;

	for (i = 0; i < SCAN_OUTPUT_MAX; i++) {
		if (o->output[i] != NULL) {
			xasprintf(cause, "-oA: an output file is given twice");
			return (-1);
		}
		xasprintf(&o->output[i], "%s.%s", base, ext[i]);
	}
	return (0);
}

static int
scan_opts_number(const char *what, const char *arg, uint64_t min,
    uint64_t max, uint64_t *out, char **cause)
{
	char	*c;

	if (strnum_u64(arg, min, max, out, &c) != 0) {
		xasprintf(cause, "%s: %s", what, c);
		free(c);
		return (-1);
	}
	return (0);
}

/*
 * A time as Nmap spells it: a number of seconds, or with a unit (ms, s,
 * m or h). Into milliseconds, at most a day.
 */
static int
scan_opts_time(const char *what, const char *arg, uint64_t *ms, char **cause)
{
	static const struct {
		const char	*unit;
		double		 ms;
	} units[] = { { "", 1000 }, { "ms", 1 }, { "s", 1000 },
	    { "m", 60000 }, { "h", 3600000 } };
	const char	*u;
	char		*num, *c;
	double		 d;
	size_t		 i;

	for (u = arg; isdigit((unsigned char)*u) || *u == '.'; u++)
		;
	for (i = 0; i < nitems(units); i++) {
		if (strcmp(u, units[i].unit) == 0)
			break;
	}
	if (u == arg || i == nitems(units)) {
		xasprintf(cause, "%s: \"%s\": not a time (as 500ms, 2s, 5m "
		    "or 1h)", what, arg);
		return (-1);
	}
	num = xstrndup(arg, (size_t)(u - arg));
	if (strnum_double(num, 0, 86400, &d, &c) != 0) {
		xasprintf(cause, "%s: %s", what, c);
		free(c);
		free(num);
		return (-1);
	}
	free(num);
	*ms = (uint64_t)(d * units[i].ms + 0.5);
	return (0);
}

/*
 * A timing option that sets a profile key: its value spelled as the
 * profile would spell it (a time in milliseconds), checked as a profile
 * value is. The plan applies it.
 */
static int
scan_opts_limit(struct scan_opts *o, size_t i, const char *arg,
    char **cause)
{
	struct scan_opts_limit	*l;
	char			*what, *value, *c;
	uint64_t		 ms;
	size_t			 j;

	what = xstrdup(scan_opts_limits[i].option);
	for (j = 0; j < o->nlimits; j++) {
		if (strcmp(o->limits[j].option, what) == 0) {
			xasprintf(cause, "%s: given twice", what);
			free(what);
			return (-1);
		}
	}
	if (!scan_opts_limits[i].time)
		value = xstrdup(arg);
	else if (scan_opts_time(what, arg, &ms, cause) != 0) {
		free(what);
		return (-1);
	} else
		xasprintf(&value, "%llums", (unsigned long long)ms);
	if (profile_value_check(scan_opts_limits[i].key, value, &c) != 0) {
		xasprintf(cause, "%s: %s", what, c);
		free(c);
		free(value);
		free(what);
		return (-1);
	}
	free(what);
	l = &o->limits[o->nlimits++];
	l->option = scan_opts_limits[i].option;
	l->key = scan_opts_limits[i].key;
	l->value = value;
	return (0);
}

/*
 * -P's argument: n (no discovery), or a discovery probe as Nmap spells
 * it, with ports for S, A and U. A profile name gets a hint: profiles
 * are -T or --profile now.
 */
static int
scan_opts_discovery(struct scan_opts *o, const char *arg, char **cause)
{
	struct port_list	 l;
	const char		*ports = arg + 1;
	char			*why;
	size_t			 i;

	if (strcmp(arg, "n") == 0) {
		o->no_ping = true;
		return (0);
	}
	for (i = 0; i < nitems(scan_opts_p); i++) {
		if (arg[0] != scan_opts_p[i].letter)
			continue;
		if (*ports == '\0' || (scan_opts_p[i].ports != -1 &&
		    isdigit((unsigned char)*ports)))
			break;
	}
	if (i == nitems(scan_opts_p)) {
		if (!profile_is_file(arg) &&
		    strpbrk(arg, "abcdefghijklmnopqrstuvwxyz") == NULL)
			xasprintf(cause, "-P%s: unknown discovery probe (want "
			    "-Pn, -PS, -PA, -PU, -PE, -PP or -PR)", arg);
		else
			xasprintf(cause, "-P %s: a profile is chosen with -T "
			    "%s or --profile %s; -P is host discovery, as "
			    "Nmap's", arg, arg, arg);
		return (-1);
	}
	if (o->discovery & scan_opts_p[i].probe) {
		xasprintf(cause, "-P%c: given twice", arg[0]);
		return (-1);
	}
	o->discovery |= scan_opts_p[i].probe;
	if (*ports == '\0')
		return (0);
	if (port_spec_parse(&l, ports, scan_opts_p[i].protos, &why) != 0) {
		xasprintf(cause, "-P%c: ports: %s", arg[0], why);
		free(why);
		return (-1);
	}
	port_list_free(&l);
	o->disc_ports[scan_opts_p[i].ports] = xstrdup(ports);
	return (0);
}

/* -T's and --profile's argument: Nmap's templates by number or name. */
static int
scan_opts_profile(struct scan_opts *o, const char *arg, char **cause)
{
	size_t	i;

	for (i = 0; i < nitems(scan_opts_templates); i++) {
		if (strcmp(arg, scan_opts_templates[i].number) == 0 ||
		    strcmp(arg, scan_opts_templates[i].name) == 0) {
			arg = scan_opts_templates[i].profile;
			break;
		}
	}
	return (scan_opts_set_string(&o->profile, "-T", arg, cause));
}

static int
scan_opts_one(struct scan_opts *o, int ch, const char *arg, char **cause)
{
	char	*c;

	if (ch >= OPT_LIMIT)
		return (scan_opts_limit(o, (size_t)(ch - OPT_LIMIT), arg,
		    cause));
	switch (ch) {
	case '6':
		o->ipv6 = true;
		return (0);
	case 'n':
		o->no_dns = true;
		return (0);
	case 'F':
		o->fast = true;
		return (0);
	case 'v':
	case 'd':
		o->verbose++;
		return (0);
	case 'r':
		o->in_order = true;
		return (0);
	case 'h':
		o->help = true;
		return (0);
	case 'V':
		o->show_version = true;
		return (0);
	case 's':
		return (scan_opts_technique(o, arg, cause));
	case 'P':
		return (scan_opts_discovery(o, arg, cause));
	case 'T':
		return (scan_opts_profile(o, arg, cause));
	case 'p':
		return (scan_opts_set_string(&o->ports, "-p", arg, cause));
	case 'e':
		return (scan_opts_iface(o, arg, cause));
	case 'g':
	case OPT_SOURCE_PORT:
		if (o->source_port != 0) {
			xasprintf(cause, "-g: given twice");
			return (-1);
		}
		return (scan_opts_number(ch == 'g' ? "-g" : "--source-port",
		    arg, 1, 65535, &o->source_port, cause));
	case OPT_TTL:
		if (o->ttl != 0) {
			xasprintf(cause, "--ttl: given twice");
			return (-1);
		}
		return (scan_opts_number("--ttl", arg, 1, 255, &o->ttl,
		    cause));
	case OPT_TOP_PORTS:
		return (scan_opts_number("--top-ports", arg, 1, 65535,
		    &o->top_ports, cause));
	case OPT_IL:
		return (scan_opts_set_string(&o->input_file, "-iL", arg,
		    cause));
	case OPT_IR:
		return (scan_opts_number("-iR", arg, 1, UINT32_MAX,
		    &o->random_targets, cause));
	case OPT_EXCLUDE:
		return (scan_opts_set_string(&o->exclude, "--exclude", arg,
		    cause));
	case OPT_EXCLUDEFILE:
		return (scan_opts_set_string(&o->exclude_file, "--excludefile",
		    arg, cause));
	case OPT_EXCLUDE_PORTS:
		return (scan_opts_set_string(&o->exclude_ports,
		    "--exclude-ports", arg, cause));
	case OPT_MAX_RATE:
	case OPT_MIN_RATE:
		if (strnum_double(arg, 0.001, 1e9, ch == OPT_MAX_RATE ?
		    &o->max_rate : &o->min_rate, &c) != 0) {
			xasprintf(cause, "%s: %s", ch == OPT_MAX_RATE ?
			    "--max-rate" : "--min-rate", c);
			free(c);
			return (-1);
		}
		return (0);
	case OPT_STATS_EVERY:
		if (scan_opts_time("--stats-every", arg, &o->stats_every,
		    cause) != 0)
			return (-1);
		if (o->stats_every == 0) {
			xasprintf(cause, "--stats-every: \"%s\": want more "
			    "than 0", arg);
			return (-1);
		}
		return (0);
	case OPT_VERSION_INTENSITY:
		{
			uint64_t	n;

			if (scan_opts_number("--version-intensity", arg, 0,
			    9, &n, cause) != 0)
				return (-1);
			o->version_intensity = (int)n;
		}
		return (0);
	case OPT_VERSION_LIGHT:
		o->version_intensity = SCAN_OPTS_VERSION_LIGHT;
		return (0);
	case OPT_VERSION_ALL:
		o->version_intensity = SCAN_OPTS_VERSION_ALL;
		return (0);
	case OPT_MAX_STATE:
		return (scan_opts_number("--max-state-entries", arg,
		    STATE_MODEL_MIN, STATE_MODEL_MAX, &o->max_state, cause));
	case OPT_ON:
	case OPT_OX:
	case OPT_OG:
	case OPT_OJ:
		return (scan_opts_set_string(&o->output[ch - OPT_ON],
		    "output file", arg, cause));
	case OPT_OA:
		return (scan_opts_output_all(o, arg, cause));
	case OPT_OPEN:
		o->open_only = true;
		return (0);
	case OPT_REASON:
		return (0);	/* reasons are always shown */
	case OPT_PACKET_TRACE:
		o->packet_trace = true;
		return (0);
	case OPT_APPEND_OUTPUT:
		o->append = true;
		return (0);
	case OPT_DATADIR:
		return (scan_opts_set_string(&o->datadir, "--datadir", arg,
		    cause));
	case OPT_SCOPE:
		return (scan_opts_set_string(&o->scope, "--scope", arg, cause));
	case OPT_PURPOSE:
		return (scan_opts_set_string(&o->purpose, "--purpose", arg,
		    cause));
	case OPT_PERMISSION:
		o->have_permission = true;
		return (0);
	case OPT_SEED:
		o->seed_set = true;
		return (scan_opts_number("--seed", arg, 0, UINT64_MAX,
		    &o->seed, cause));
	case OPT_SHARD:
	case OPT_SHARD_PAIRS:
		return (scan_opts_shard(o, ch == OPT_SHARD_PAIRS, arg, cause));
	case OPT_STATE_DIR:
		return (scan_opts_set_string(&o->state_dir, "--state-dir", arg,
		    cause));
	case OPT_DRY_RUN:
		o->dry_run = true;
		return (0);
	case OPT_DETACH:
		o->detach = true;
		return (0);
	}
	return (-1);
}

/* Two outputs to one file, or -oA to standard output. */
static int
scan_opts_check_outputs(const struct scan_opts *o, char **cause)
{
	static const char	*names[SCAN_OUTPUT_MAX] = {
		"-oN", "-oX", "-oG", "-oJ"
	};
	int			 i, j;

	for (i = 0; i < SCAN_OUTPUT_MAX; i++) {
		for (j = i + 1; j < SCAN_OUTPUT_MAX; j++) {
			if (o->output[i] == NULL || o->output[j] == NULL ||
			    strcmp(o->output[i], o->output[j]) != 0)
				continue;
			if (strcmp(o->output[i], "-") == 0)
				xasprintf(cause, "%s - and %s -: only one output"
				    " can go to standard output", names[i],
				    names[j]);
			else
				xasprintf(cause, "%s and %s: both write to %s",
				    names[i], names[j], o->output[i]);
			return (-1);
		}
	}
	return (0);
}

/* The combinations Nmap refuses, and what needs another option. */
static int
scan_opts_check(struct scan_opts *o, char **cause)
{
	const unsigned char	*f;
	size_t			 i, j;

	if (o->list_only) {
		for (i = 0; i < nitems(scan_opts_sends); i++) {
			f = (const unsigned char *)o + scan_opts_sends[i].off;
			for (j = 0; j < scan_opts_sends[i].size; j++) {
				if (f[j] != 0)
					break;
			}
			if (j < scan_opts_sends[i].size) {
				xasprintf(cause, "-sL: lists the targets and "
				    "sends nothing: %s cannot be given with "
				    "it", scan_opts_sends[i].option);
				return (-1);
			}
		}
	}
	if ((o->techniques & SCAN_OPTS_SYN) &&
	    (o->techniques & SCAN_OPTS_CONNECT)) {
		xasprintf(cause, "-sS and -sT: choose one TCP scan type");
		return (-1);
	}
	if (o->ping_only && o->techniques != 0) {
		xasprintf(cause, "-sn: cannot be combined with a port scan");
		return (-1);
	}
	if (o->ping_only && (o->ports != NULL || o->fast || o->top_ports ||
	    o->exclude_ports != NULL)) {
		xasprintf(cause, "-sn: a ping scan takes no ports");
		return (-1);
	}
	if (o->ping_only && o->version) {
		xasprintf(cause, "-sV: a ping scan (-sn) has no ports to "
		    "probe");
		return (-1);
	}
	if ((o->ports != NULL) + o->fast + (o->top_ports != 0) > 1) {
		xasprintf(cause, "-p, -F and --top-ports: choose one");
		return (-1);
	}
	if (o->no_ping && o->discovery != 0) {
		xasprintf(cause, "-Pn: no discovery, and -PS, -PA, -PU, -PE, "
		    "-PP or -PR asks for some: choose");
		return (-1);
	}
	if (o->version_intensity != -1 && !o->version) {
		xasprintf(cause, "--version-intensity, --version-light and "
		    "--version-all: need -sV");
		return (-1);
	}
	if (o->min_rate != 0 && o->max_rate != 0 &&
	    o->min_rate > o->max_rate) {
		xasprintf(cause, "--min-rate: above --max-rate");
		return (-1);
	}
	if (o->output[SCAN_OUTPUT_NORMAL] != NULL &&
	    strcmp(o->output[SCAN_OUTPUT_NORMAL], "-.nmap") == 0) {
		xasprintf(cause, "-oA -: four outputs cannot all go to "
		    "standard output");
		return (-1);
	}
	return (scan_opts_check_outputs(o, cause));
}

/*
 * Parse argv (argv[0] is the command name) into o. On error, fill cause
 * with a one-line reason and return -1; o is then freed. With -h or -V
 * nothing else is checked.
 */
int
scan_opts_parse(struct scan_opts *o, int argc, char **argv, char **cause)
{
	int	ch, i;

	memset(o, 0, sizeof *o);
	o->version_intensity = -1;
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long_only(argc, argv, scan_opts_short,
	    scan_opts_long, NULL)) != -1) {
		if (ch == '?') {
			if (optopt != 0)
				xasprintf(cause, "-%c: unknown option", optopt);
			else
				xasprintf(cause, "%s: unknown option",
				    argv[optind - 1]);
			goto fail;
		}
		if (ch == ':') {
			xasprintf(cause, "%s: needs an argument",
			    argv[optind - 1]);
			goto fail;
		}
		if (scan_opts_one(o, ch, optarg, cause) != 0)
			goto fail;
	}
	if (o->help || o->show_version)
		return (0);
	if (scan_opts_check(o, cause) != 0)
		goto fail;
	o->ntargets = argc - optind;
	o->targets = xcalloc((size_t)o->ntargets + 1, sizeof *o->targets);
	for (i = 0; i < o->ntargets; i++)
		o->targets[i] = xstrdup(argv[optind + i]);
	if (o->ntargets == 0 && o->input_file == NULL &&
	    o->random_targets == 0) {
		xasprintf(cause, "no targets given");
		goto fail;
	}
	return (0);

fail:
	scan_opts_free(o);
	return (-1);
}

char **
scan_opts_absolute(int argc, char **argv, const char *cwd, char **cause)
{
	char	**v, **abs, *arg;
	size_t	  i;
	int	  ch, k;

	v = xcalloc((size_t)argc + 1, sizeof *v);
	abs = xcalloc((size_t)argc + 1, sizeof *abs);
	for (k = 0; k < argc; k++) {
		v[k] = argv[k];
		abs[k] = xstrdup(argv[k]);
	}
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long_only(argc, v, scan_opts_short,
	    scan_opts_long, NULL)) != -1) {
		for (i = 0; i < nitems(scan_opts_paths); i++) {
			if (scan_opts_paths[i].ch == ch)
				break;
		}
		if (i == nitems(scan_opts_paths) || optarg == NULL ||
		    optarg[0] == '/' || optarg[0] == '\0' ||
		    strcmp(optarg, "-") == 0 ||
		    (ch == 'T' && !profile_is_file(optarg)))
			continue;
		if (cwd == NULL) {
			xasprintf(cause, "%s: \"%s\": a relative path",
			    scan_opts_paths[i].name, optarg);
			scan_opts_absolute_free(abs);
			abs = NULL;
			break;
		}
		/* The argument holding optarg, maybe after "--scope=". */
		arg = v[optind - 1];
		for (k = 0; argv[k] != arg; k++)
			;
		free(abs[k]);
		xasprintf(&abs[k], "%.*s%s/%s", (int)(optarg - arg), arg, cwd,
		    optarg);
	}
	free(v);
	return (abs);
}

void
scan_opts_absolute_free(char **abs)
{
	size_t	i;

	if (abs == NULL)
		return;
	for (i = 0; abs[i] != NULL; i++)
		free(abs[i]);
	free(abs);
}

void
scan_opts_free(struct scan_opts *o)
{
	int	i;

	for (i = 0; i < o->ntargets; i++)
		free(o->targets[i]);
	free(o->targets);
	free(o->ports);
	free(o->exclude_ports);
	for (i = 0; i < SCAN_OPTS_DISC_MAX; i++)
		free(o->disc_ports[i]);
	for (i = 0; i < (int)o->nlimits; i++)
		free(o->limits[i].value);
	free(o->datadir);
	free(o->iface);
	free(o->input_file);
	free(o->exclude);
	free(o->exclude_file);
	free(o->state_dir);
	for (i = 0; i < SCAN_OUTPUT_MAX; i++)
		free(o->output[i]);
	free(o->profile);
	free(o->scope);
	free(o->purpose);
	memset(o, 0, sizeof *o);
}
