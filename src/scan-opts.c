/*
 * Parse the options of `tact scan` and `tact estimate`. Nmap's spellings
 * are kept where Nmap has them (-sS, -Pn, -iL, -oX, --top-ports), which
 * needs getopt_long_only(): "-iL" is a long option with one dash, while
 * "-p80" and "-sS" fall back to short options with an argument. -P takes
 * a profile name, except that "-Pn" keeps its Nmap meaning.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "scan-opts.h"
#include "strnum.h"
#include "xmalloc.h"

enum {
	OPT_TOP_PORTS = 256,
	OPT_IL,
	OPT_IR,
	OPT_EXCLUDE,
	OPT_EXCLUDEFILE,
	OPT_MAX_RATE,
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
	OPT_DRY_RUN,
	OPT_DETACH,
	OPT_VERSION_INTENSITY,
	OPT_VERSION_LIGHT,
	OPT_VERSION_ALL,
	OPT_DATADIR
};

static const struct option scan_opts_long[] = {
	{ "top-ports", required_argument, NULL, OPT_TOP_PORTS },
	{ "iL", required_argument, NULL, OPT_IL },
	{ "iR", required_argument, NULL, OPT_IR },
	{ "exclude", required_argument, NULL, OPT_EXCLUDE },
	{ "excludefile", required_argument, NULL, OPT_EXCLUDEFILE },
	{ "max-rate", required_argument, NULL, OPT_MAX_RATE },
	{ "oN", required_argument, NULL, OPT_ON },
	{ "oX", required_argument, NULL, OPT_OX },
	{ "oG", required_argument, NULL, OPT_OG },
	{ "oJ", required_argument, NULL, OPT_OJ },
	{ "oA", required_argument, NULL, OPT_OA },
	{ "profile", required_argument, NULL, 'P' },
	{ "scope", required_argument, NULL, OPT_SCOPE },
	{ "purpose", required_argument, NULL, OPT_PURPOSE },
	{ "i-have-permission", no_argument, NULL, OPT_PERMISSION },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "detach", no_argument, NULL, OPT_DETACH },
	{ "version-intensity", required_argument, NULL, OPT_VERSION_INTENSITY },
	{ "version-light", no_argument, NULL, OPT_VERSION_LIGHT },
	{ "version-all", no_argument, NULL, OPT_VERSION_ALL },
	{ "datadir", required_argument, NULL, OPT_DATADIR },
	{ NULL, 0, NULL, 0 }
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
    "[-6nFv] [-sS|-sT|-sU|-sn|-sL] [-sV] [-Pn] [-P profile] [-p ports]\n"
    "    [--top-ports n] [-iL file] [-iR n] [--exclude list]\n"
    "    [--excludefile file] [--max-rate n] [-oN|-oX|-oG|-oJ file]\n"
    "    [-oA base] [--scope file] [--purpose text] [--i-have-permission]\n"
    "    [--seed n] [--shard i/n] [--dry-run] [--detach]\n"
    "    [--version-intensity n | --version-light | --version-all]\n"
    "    [--datadir dir] target ...";

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

static int
scan_opts_shard(struct scan_opts *o, const char *arg, char **cause)
{
	const char	*slash;
	char		*first, *c = NULL;
	uint64_t	 i, n;

	if ((slash = strchr(arg, '/')) == NULL) {
		xasprintf(cause, "--shard: \"%s\": want i/n, as 1/4", arg);
		return (-1);
	}
	first = xstrndup(arg, (size_t)(slash - arg));
	if (strnum_u64(slash + 1, 1, UINT32_MAX, &n, &c) != 0 ||
	    strnum_u64(first, 1, n, &i, &c) != 0) {
		xasprintf(cause, "--shard: %s", c);
		free(c);
		free(first);
		return (-1);
	}
	free(first);
	o->shard_index = (uint32_t)i;
	o->shard_count = (uint32_t)n;
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

static int
scan_opts_one(struct scan_opts *o, int ch, const char *arg, char **cause)
{
	char		*c;
	uint64_t	 v;

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
		o->verbose++;
		return (0);
	case 's':
		return (scan_opts_technique(o, arg, cause));
	case 'P':
		if (strcmp(arg, "n") == 0) {
			o->no_ping = true;
			return (0);
		}
		return (scan_opts_set_string(&o->profile, "--profile", arg,
		    cause));
	case 'p':
		return (scan_opts_set_string(&o->ports, "-p", arg, cause));
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
	case OPT_MAX_RATE:
		if (strnum_double(arg, 0.001, 1e9, &o->max_rate, &c) != 0) {
			xasprintf(cause, "--max-rate: %s", c);
			free(c);
			return (-1);
		}
		return (0);
	case OPT_ON:
	case OPT_OX:
	case OPT_OG:
	case OPT_OJ:
		return (scan_opts_set_string(&o->output[ch - OPT_ON],
		    "output file", arg, cause));
	case OPT_OA:
		return (scan_opts_output_all(o, arg, cause));
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
		return (scan_opts_shard(o, arg, cause));
	case OPT_DRY_RUN:
		o->dry_run = true;
		return (0);
	case OPT_DETACH:
		o->detach = true;
		return (0);
	case OPT_VERSION_INTENSITY:
		if (scan_opts_number("--version-intensity", arg, 0, 9, &v,
		    cause) != 0)
			return (-1);
		o->version_intensity = (int)v;
		return (0);
	case OPT_VERSION_LIGHT:
		o->version_intensity = 2;
		return (0);
	case OPT_VERSION_ALL:
		o->version_intensity = 9;
		return (0);
	case OPT_DATADIR:
		return (scan_opts_set_string(&o->datadir, "--datadir", arg,
		    cause));
	}
	return (-1);
}

/*
 * Parse argv (argv[0] is the command name) into o. On error, fill cause
 * with a one-line reason and return -1; o is then freed.
 */
int
scan_opts_parse(struct scan_opts *o, int argc, char **argv, char **cause)
{
	int	ch, i;

	memset(o, 0, sizeof *o);
	o->version_intensity = -1;
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long_only(argc, argv, ":6nFvs:P:p:",
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
	if (o->ping_only && o->techniques != 0) {
		xasprintf(cause, "-sn: cannot be combined with a port scan");
		goto fail;
	}
	if (o->ping_only && (o->ports != NULL || o->fast || o->top_ports)) {
		xasprintf(cause, "-sn: a ping scan takes no ports");
		goto fail;
	}
	if (o->version_intensity != -1 && !o->version) {
		xasprintf(cause, "--version-intensity, --version-light and "
		    "--version-all: only with -sV");
		goto fail;
	}
	if (o->version && o->ping_only) {
		xasprintf(cause, "-sV: a ping scan finds no open port");
		goto fail;
	}
	if ((o->ports != NULL) + o->fast + (o->top_ports != 0) > 1) {
		xasprintf(cause, "-p, -F and --top-ports: choose one");
		goto fail;
	}
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

void
scan_opts_free(struct scan_opts *o)
{
	int	i;

	for (i = 0; i < o->ntargets; i++)
		free(o->targets[i]);
	free(o->targets);
	free(o->ports);
	free(o->input_file);
	free(o->exclude);
	free(o->exclude_file);
	for (i = 0; i < SCAN_OUTPUT_MAX; i++)
		free(o->output[i]);
	free(o->profile);
	free(o->scope);
	free(o->purpose);
	free(o->datadir);
	memset(o, 0, sizeof *o);
}
