/* Tests of `tact scan` option parsing with Nmap's spellings. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "scan-opts.h"
#include "unit.h"

static int
parse(struct scan_opts *o, char **cause, ...)
{
	char	*argv[32];
	int	 argc = 0;
	va_list	 ap;

	va_start(ap, cause);
	argv[argc++] = (char *)"scan";
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	return (scan_opts_parse(o, argc, argv, cause));
}

static void
test_scan_opts_reads_nmap_spellings(void)
{
	struct scan_opts	 o;
	char			*cause = NULL;

	CU_ASSERT_EQUAL_FATAL(parse(&o, &cause, "-sS", "-Pn", "-n", "-p80",
	    "-iL", "list.txt", "-oX", "out.xml", "--exclude", "127.0.0.2",
	    "-T", "polite", "--shard", "2/4", "127.0.0.1", NULL), 0);
	CU_ASSERT_EQUAL(o.techniques, SCAN_OPTS_SYN);
	CU_ASSERT(o.no_ping);
	CU_ASSERT(o.no_dns);
	CU_ASSERT_STRING_EQUAL(o.ports, "80");
	CU_ASSERT_STRING_EQUAL(o.input_file, "list.txt");
	CU_ASSERT_STRING_EQUAL(o.output[SCAN_OUTPUT_XML], "out.xml");
	CU_ASSERT_STRING_EQUAL(o.exclude, "127.0.0.2");
	CU_ASSERT_STRING_EQUAL(o.profile, "polite");
	CU_ASSERT_EQUAL(o.shard_index, 2);
	CU_ASSERT_EQUAL(o.shard_count, 4);
	CU_ASSERT_EQUAL(o.ntargets, 1);
	CU_ASSERT_STRING_EQUAL(o.targets[0], "127.0.0.1");
	scan_opts_free(&o);
}

static void
test_scan_opts_shard_pairs_auto_and_state_dir(void)
{
	struct scan_opts	 o;
	char			*cause = NULL;

	CU_ASSERT_EQUAL_FATAL(parse(&o, &cause, "--shard-pairs", "auto/3",
	    "--state-dir", "/srv/tact", "127.0.0.1", NULL), 0);
	CU_ASSERT(o.shard_pairs);
	CU_ASSERT(o.shard_auto);
	CU_ASSERT_EQUAL(o.shard_index, 0);
	CU_ASSERT_EQUAL(o.shard_count, 3);
	CU_ASSERT_STRING_EQUAL(o.state_dir, "/srv/tact");
	scan_opts_free(&o);
	CU_ASSERT_EQUAL_FATAL(parse(&o, &cause, "--shard", "2/3",
	    "127.0.0.1", NULL), 0);
	CU_ASSERT(!o.shard_pairs);
	CU_ASSERT(!o.shard_auto);
	scan_opts_free(&o);
	CU_ASSERT_EQUAL(parse(&o, &cause, "--shard", "1/2", "--shard",
	    "2/2", "127.0.0.1", NULL), -1);
	CU_ASSERT_STRING_EQUAL(cause, "--shard: a shard is given twice");
	free(cause);
	CU_ASSERT_EQUAL(parse(&o, &cause, "--shard", "autox/2", "127.0.0.1",
	    NULL), -1);
	free(cause);
}

static void
test_scan_opts_output_all_names_every_format(void)
{
	struct scan_opts	 o;
	char			*cause = NULL;

	CU_ASSERT_EQUAL_FATAL(parse(&o, &cause, "-oA", "base", "127.0.0.1",
	    NULL), 0);
	CU_ASSERT_STRING_EQUAL(o.output[SCAN_OUTPUT_NORMAL], "base.nmap");
	CU_ASSERT_STRING_EQUAL(o.output[SCAN_OUTPUT_GREPABLE], "base.gnmap");
	CU_ASSERT_STRING_EQUAL(o.output[SCAN_OUTPUT_JSON], "base.jsonl");
	scan_opts_free(&o);
}

static void
test_scan_opts_rejects_bad_input(void)
{
	struct scan_opts	 o;
	char			*cause = NULL;

	CU_ASSERT_EQUAL(parse(&o, &cause, "-sX", "127.0.0.1", NULL), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(cause, "unknown scan type"));
	free(cause);
	CU_ASSERT_EQUAL(parse(&o, &cause, "--shard", "5/4", "127.0.0.1",
	    NULL), -1);
	free(cause);
	CU_ASSERT_EQUAL(parse(&o, &cause, "--top-ports", "0", "127.0.0.1",
	    NULL), -1);
	free(cause);
	CU_ASSERT_EQUAL(parse(&o, &cause, "-p", "80", NULL), -1);
	CU_ASSERT_STRING_EQUAL(cause, "no targets given");
	free(cause);
	CU_ASSERT_EQUAL(parse(&o, &cause, "--bogus", "127.0.0.1", NULL), -1);
	CU_ASSERT_STRING_EQUAL(cause, "--bogus: unknown option");
	free(cause);
	CU_ASSERT_EQUAL(parse(&o, &cause, "-sn", "-p80", "127.0.0.1",
	    NULL), -1);
	free(cause);
}

static void
test_scan_opts_reads_timing_templates_and_discovery(void)
{
	struct scan_opts	 o;
	char			*cause = NULL;

	CU_ASSERT_EQUAL_FATAL(parse(&o, &cause, "-T4", "-PS22,80", "-PE",
	    "-PU", "--max-retries", "2", "--host-timeout", "90",
	    "--scan-delay", "250ms", "127.0.0.1", NULL), 0);
	CU_ASSERT_STRING_EQUAL(o.profile, "brisk");
	CU_ASSERT_EQUAL(o.discovery, SCAN_OPTS_PS | SCAN_OPTS_PE |
	    SCAN_OPTS_PU);
	CU_ASSERT_STRING_EQUAL(o.disc_ports[SCAN_OPTS_DISC_SYN], "22,80");
	CU_ASSERT_PTR_NULL(o.disc_ports[SCAN_OPTS_DISC_UDP]);
	CU_ASSERT_EQUAL_FATAL(o.nlimits, 3);
	CU_ASSERT_STRING_EQUAL(o.limits[0].key, "max_retries");
	CU_ASSERT_STRING_EQUAL(o.limits[0].value, "2");
	CU_ASSERT_STRING_EQUAL(o.limits[1].key, "host_timeout");
	CU_ASSERT_STRING_EQUAL(o.limits[1].value, "90000ms");
	CU_ASSERT_STRING_EQUAL(o.limits[2].value, "250ms");
	scan_opts_free(&o);

	CU_ASSERT_EQUAL_FATAL(parse(&o, &cause, "-T", "paranoid", "-sV",
	    "127.0.0.1", NULL), 0);
	CU_ASSERT_STRING_EQUAL(o.profile, "gentle");
	CU_ASSERT(o.version);
	CU_ASSERT_EQUAL(o.version_intensity, -1);	/* the profile's */
	scan_opts_free(&o);

	CU_ASSERT_EQUAL(parse(&o, &cause, "-P", "polite", "127.0.0.1",
	    NULL), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(cause, "-T polite"));
	free(cause);
	CU_ASSERT_EQUAL(parse(&o, &cause, "-sS", "-sT", "127.0.0.1",
	    NULL), -1);
	free(cause);
	CU_ASSERT_EQUAL(parse(&o, &cause, "-oX", "-", "-oJ", "-",
	    "127.0.0.1", NULL), -1);
	free(cause);
}

/*
 * Every form of a path option is made absolute, whatever else is in
 * argv (a target that looks like a file, a profile name, "-"), and
 * nothing moves; without a directory a relative path is refused.
 */
static void
test_scan_opts_absolute_makes_only_paths_absolute(void)
{
	char	*argv[] = { "scan", "-sT", "-oN", "out.nmap", "--scope=s.yaml",
		    "-Tmine.yaml", "-iL", "/abs/list", "-oX", "-", "-T", "brisk",
		    "--excludefile", "../ex", "out.nmap", "-oA", "dir/base",
		    "--datadir", "data", "--purpose", "x.yaml", NULL };
	char	*want[] = { "scan", "-sT", "-oN", "/w/out.nmap",
		    "--scope=/w/s.yaml", "-T/w/mine.yaml", "-iL", "/abs/list",
		    "-oX", "-", "-T", "brisk", "--excludefile", "/w/../ex",
		    "out.nmap", "-oA", "/w/dir/base", "--datadir", "/w/data",
		    "--purpose", "x.yaml", NULL };
	char	**abs, *cause = NULL;
	int	  argc = (int)(sizeof argv / sizeof argv[0]) - 1, i;

	abs = scan_opts_absolute(argc, argv, "/w", &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(abs);
	for (i = 0; i <= argc; i++) {
		if (want[i] == NULL) {
			CU_ASSERT_PTR_NULL(abs[i]);
		} else {
			CU_ASSERT_STRING_EQUAL(abs[i], want[i]);
		}
	}
	scan_opts_absolute_free(abs);

	CU_ASSERT_PTR_NULL(scan_opts_absolute(argc, argv, NULL, &cause));
	CU_ASSERT_STRING_EQUAL(cause, "-oN: \"out.nmap\": a relative path");
	free(cause);
	abs = scan_opts_absolute(argc, want, NULL, &cause);
	CU_ASSERT_PTR_NOT_NULL(abs);
	scan_opts_absolute_free(abs);
}

static const struct unit_test tests[] = {
	TEST(test_scan_opts_reads_nmap_spellings),
	TEST(test_scan_opts_shard_pairs_auto_and_state_dir),
	TEST(test_scan_opts_output_all_names_every_format),
	TEST(test_scan_opts_rejects_bad_input),
	TEST(test_scan_opts_reads_timing_templates_and_discovery),
	TEST(test_scan_opts_absolute_makes_only_paths_absolute),
	TEST_END
};

UNIT_MAIN("scan-opts", tests)
