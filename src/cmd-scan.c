/*
 * `tact scan`: parse the scan options and build the scan's definition,
 * so that bad input is refused before anything else happens; then list
 * the targets (-sL), count what a scan would send (--dry-run) or run the
 * scan. Listing and counting send nothing.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "scan-def.h"
#include "scan-opts.h"
#include "tact.h"
#include "target-iter.h"
#include "target.h"

static int	cmd_scan_list(const struct scan_def *);
static int	cmd_scan_dry_run(const struct scan_def *);

/* -sL: every target address, one a line, in ascending order. */
static int
cmd_scan_list(const struct scan_def *def)
{
	struct target_addr	 a;
	char			 buf[64];
	uint64_t		 i, n = target_set_count(def->targets);

	for (i = 0; i < n; i++) {
		target_set_get(def->targets, i, &a);
		if (puts(target_addr_str(&a, buf, sizeof buf)) == EOF)
			break;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cmd_error("scan", "standard output: write error");
		return (TACT_EXIT_RUNTIME);
	}
	return (TACT_EXIT_OK);
}

/*
 * --dry-run: what the scan would cover, as (host, port) pairs, and this
 * shard's share of them.
 */
static int
cmd_scan_dry_run(const struct scan_def *def)
{
	struct target_iter	it;
	uint64_t		hosts = target_set_count(def->targets), pairs;

	if (def->ping_only)
		printf("hosts: %llu (ping scan, no ports)\n",
		    (unsigned long long)hosts);
	else if (!def->ports_given)
		printf("pairs: unknown (%llu hosts x the profile's ports)\n",
		    (unsigned long long)hosts);
	else {
		scan_def_pairs(def, &pairs);
		printf("pairs: %llu (%llu hosts x %zu ports)\n",
		    (unsigned long long)pairs, (unsigned long long)hosts,
		    def->ports.n);
		if (def->shard_count > 1) {
			target_iter_init(&it, pairs, def->seed,
			    def->shard_index, def->shard_count);
			printf("shard %u/%u: %llu pairs\n",
			    def->shard_index + 1, def->shard_count,
			    (unsigned long long)target_iter_total(&it));
		}
	}
	if (fflush(stdout) != 0) {
		cmd_error("scan", "standard output: write error");
		return (TACT_EXIT_RUNTIME);
	}
	return (TACT_EXIT_OK);
}

int
cmd_scan(int argc, char **argv)
{
	struct scan_opts	 o;
	struct scan_def		*def;
	char			*cause;
	int			 rc;

	if (scan_opts_parse(&o, argc, argv, &cause) != 0) {
		cmd_error("scan", "%s", cause);
		free(cause);
		return (TACT_EXIT_INPUT);
	}
	if ((def = scan_def_create(&o, &cause)) == NULL) {
		cmd_error(NULL, "%s", cause);
		free(cause);
		scan_opts_free(&o);
		return (TACT_EXIT_INPUT);
	}
	if (def->list_only)
		rc = cmd_scan_list(def);
	else if (o.dry_run)
		rc = cmd_scan_dry_run(def);
	else
		rc = cmd_scan_run(&o);	/* the real scan */
	scan_def_free(def);
	scan_opts_free(&o);
	return (rc);
}
