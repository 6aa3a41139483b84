/*
 * Build a scan's definition from its options: check the ports first
 * (cheap, and a bad -p should not wait for name lookups), then add the
 * targets from the operands, -iL and -iR, take out --exclude and
 * --excludefile, and number what is left. Every error is one line that
 * names the option or the file and line it came from.
 */
#include <sys/random.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "port-spec.h"
#include "scan-def.h"
#include "scan-opts.h"
#include "target.h"
#include "xmalloc.h"

/* The number of ports -F takes, as Nmap's -F does. */
#define SCAN_DEF_FAST_PORTS	100

static int	scan_def_ports(struct scan_def *, const struct scan_opts *,
		    char **);
static int	scan_def_targets(struct scan_def *, const struct scan_opts *,
		    char **);
static int	scan_def_seed(uint64_t *, char **);

/*
 * The ports asked for. A -p specification is checked now, for the
 * protocols -s names (both when it names none: the profile chooses), so
 * that a bad one is refused before any name is looked up.
 */
static int
scan_def_ports(struct scan_def *def, const struct scan_opts *o,
    char **cause)
{
	struct port_list	 l;
	unsigned		 protos = 0;
	char			*why;

	if (o->fast)
		def->top_ports = SCAN_DEF_FAST_PORTS;
	else if (o->top_ports != 0)
		def->top_ports = (unsigned)o->top_ports;
	if (o->ports == NULL)
		return (0);
	if (o->techniques & (SCAN_OPTS_SYN | SCAN_OPTS_CONNECT))
		protos |= PORT_TCP;
	if (o->techniques & SCAN_OPTS_UDP)
		protos |= PORT_UDP;
	if (protos == 0)
		protos = PORT_TCP | PORT_UDP;
	if (port_spec_parse(&l, o->ports, protos, &why) != 0) {
		xasprintf(cause, "ports: %s", why);
		free(why);
		return (-1);
	}
	port_list_free(&l);
	def->ports = xstrdup(o->ports);
	return (0);
}

static int
scan_def_targets(struct scan_def *def, const struct scan_opts *o,
    char **cause)
{
	const char	*what = "targets: ";
	char		*why;
	int		 i, flags = 0;

	if (o->no_dns)
		flags |= TARGET_NO_DNS;
	if (o->ipv6)
		flags |= TARGET_IPV6;
	def->targets = target_set_create(flags);

	for (i = 0; i < o->ntargets; i++) {
		if (target_set_add(def->targets, o->targets[i], NULL,
		    &why) != 0)
			goto fail;
	}
	what = "";
	if (o->input_file != NULL &&
	    target_set_add_file(def->targets, o->input_file, false,
	    &why) != 0)
		goto fail;
	what = "-iR: ";
	if (o->random_targets != 0 &&
	    target_set_add_random(def->targets, o->random_targets, def->seed,
	    &why) != 0)
		goto fail;
	what = "--exclude: ";
	if (o->exclude != NULL &&
	    target_set_exclude_list(def->targets, o->exclude, &why) != 0)
		goto fail;
	what = "";
	if (o->exclude_file != NULL &&
	    target_set_add_file(def->targets, o->exclude_file, true,
	    &why) != 0)
		goto fail;
	what = "targets: ";
	if (target_set_finish(def->targets, &why) != 0)
		goto fail;
	return (0);

fail:
	xasprintf(cause, "%s%s", what, why);
	free(why);
	return (-1);
}

static int
scan_def_seed(uint64_t *seed, char **cause)
{
	ssize_t	n;

	do
		n = getrandom(seed, sizeof *seed, 0);
	while (n == -1 && errno == EINTR);
	if (n != (ssize_t)sizeof *seed) {
		xasprintf(cause, "getrandom: %s", n == -1 ? strerror(errno) :
		    "short read");
		return (-1);
	}
	return (0);
}

/*
 * The definition of the scan o asks for, or NULL with a one-line reason
 * in cause.
 */
struct scan_def *
scan_def_create(const struct scan_opts *o, char **cause)
{
	struct scan_def	*def;

	def = xcalloc(1, sizeof *def);
	def->techniques = o->techniques;
	def->ping_only = o->ping_only;
	def->list_only = o->list_only;
	def->shard_index = o->shard_count == 0 ? 0 : o->shard_index - 1;
	def->shard_count = o->shard_count == 0 ? 1 : o->shard_count;
	def->shard_pairs = o->shard_pairs;
	if (o->shard_count != 0 && !o->seed_set) {
		xasprintf(cause, "%s: needs --seed, the same on every "
		    "shard, or the shards would overlap", o->shard_pairs ?
		    "--shard-pairs" : "--shard");
		goto fail;
	}
	if (o->shard_count != 0 && o->shard_index == 0) {
		xasprintf(cause, "--shard auto/%u: no shard index was given",
		    o->shard_count);
		goto fail;
	}
	if (o->seed_set)
		def->seed = o->seed;
	else if (scan_def_seed(&def->seed, cause) != 0)
		goto fail;

	if (scan_def_ports(def, o, cause) != 0 ||
	    scan_def_targets(def, o, cause) != 0)
		goto fail;
	return (def);

fail:
	scan_def_free(def);
	return (NULL);
}

void
scan_def_free(struct scan_def *def)
{
	if (def == NULL)
		return;
	target_set_free(def->targets);
	free(def->ports);
	free(def);
}
