/*
 * Output files: opened before the scan (a bad path fails then), left
 * untouched until the whole output is there, and never left holding a
 * partial output when a write fails.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#include "output-fixture.h"
#include "xmalloc.h"

static const char *const strings[] = { "args=tact scan 198.18.0.1" };

static void
build(struct fixture *fx)
{
	fixture_start(fx, strings, 1);
	fixture_host(fx, 1, EVENT_HOST_UP, EVENT_REASON_USER_SET);
	fixture_port(fx, 1, 22, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK);
	fixture_end(fx, EVENT_END_DONE);
}

static char *
slurp(const char *path)
{
	FILE	*f = fopen(path, "r");
	char	*buf = xcalloc(1, 65536);

	if (f == NULL) {
		free(buf);
		return (NULL);
	}
	(void)fread(buf, 1, 65535, f);
	fclose(f);
	return (buf);
}

static void
test_output_files_refuse_a_path_in_a_missing_directory(void)
{
	char			*paths[SCAN_OUTPUT_MAX] = { NULL };
	char			*cause = NULL;

	paths[SCAN_OUTPUT_XML] = (char *)"/nonexistent-dir/x.xml";
	CU_ASSERT_PTR_NULL(output_files_open(paths, &cause));
	CU_ASSERT_STRING_EQUAL(cause,
	    "/nonexistent-dir/x.xml: No such file or directory");
	free(cause);
}

static void
test_output_files_keep_an_old_file_until_the_new_output_is_whole(void)
{
	struct fixture		 fx;
	struct output_files	*of;
	char			*paths[SCAN_OUTPUT_MAX] = { NULL };
	char			*path, *s, *cause = NULL;

	path = unit_tmpfile("old contents\n", 13);
	paths[SCAN_OUTPUT_GREPABLE] = path;
	of = output_files_open(paths, &cause);
	CU_ASSERT_FATAL(of != NULL);
	s = slurp(path);
	CU_ASSERT_STRING_EQUAL(s, "old contents\n");
	free(s);
	build(&fx);
	CU_ASSERT(output_files_write(of, fx.results, &cause) == 0);
	output_files_free(of);
	fixture_free(&fx);
	s = slurp(path);
	CU_ASSERT(strncmp(s, "# tact ", 7) == 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "22/open/tcp//ssh///\n"));
	free(s);
	unlink(path);
	free(path);
}

static void
test_output_files_report_a_failed_write(void)
{
	struct fixture		 fx;
	struct output_files	*of;
	char			*paths[SCAN_OUTPUT_MAX] = { NULL };
	char			*cause = NULL;

	if (access("/dev/full", W_OK) != 0)
		return;
	paths[SCAN_OUTPUT_JSON] = (char *)"/dev/full";
	of = output_files_open(paths, &cause);
	CU_ASSERT_FATAL(of != NULL);
	build(&fx);
	CU_ASSERT(output_files_write(of, fx.results, &cause) == -1);
	CU_ASSERT_STRING_EQUAL(cause, "/dev/full: No space left on device");
	free(cause);
	output_files_free(of);
	fixture_free(&fx);
}

static void
test_output_files_remove_a_file_they_made_but_never_wrote(void)
{
	struct output_files	*of;
	struct stat		 st;
	char			*paths[SCAN_OUTPUT_MAX] = { NULL };
	char			*path, *cause = NULL;

	path = unit_tmpfile("", 0);
	unlink(path);
	paths[SCAN_OUTPUT_NORMAL] = path;
	of = output_files_open(paths, &cause);
	CU_ASSERT_FATAL(of != NULL);
	CU_ASSERT(stat(path, &st) == 0);
	output_files_free(of);
	CU_ASSERT(stat(path, &st) == -1);
	free(path);
}

/* A link or a FIFO at an output's path is refused, not followed. */
static void
test_output_files_refuse_a_link_or_a_fifo(void)
{
	char			*paths[SCAN_OUTPUT_MAX] = { NULL };
	char			*victim, *link, *fifo, *text, *cause = NULL;

	victim = unit_tmpfile("keep", 4);
	xasprintf(&link, "%s.link", victim);
	xasprintf(&fifo, "%s.fifo", victim);
	CU_ASSERT_EQUAL_FATAL(symlink(victim, link), 0);
	CU_ASSERT_EQUAL_FATAL(mkfifo(fifo, 0600), 0);
	paths[SCAN_OUTPUT_NORMAL] = link;
	CU_ASSERT_PTR_NULL(output_files_open(paths, &cause));
	CU_ASSERT(cause != NULL && strstr(cause, "symbolic link") != NULL);
	free(cause);
	cause = NULL;
	paths[SCAN_OUTPUT_NORMAL] = fifo;
	CU_ASSERT_PTR_NULL(output_files_open(paths, &cause));
	CU_ASSERT(cause != NULL && strstr(cause, "not a regular file") !=
	    NULL);
	free(cause);
	text = slurp(victim);
	CU_ASSERT_STRING_EQUAL(text, "keep");
	free(text);
	unlink(link);
	unlink(fifo);
	unlink(victim);
	free(link);
	free(fifo);
	free(victim);
}

static const struct unit_test tests[] = {
	TEST(test_output_files_refuse_a_path_in_a_missing_directory),
	TEST(test_output_files_keep_an_old_file_until_the_new_output_is_whole),
	TEST(test_output_files_report_a_failed_write),
	TEST(test_output_files_remove_a_file_they_made_but_never_wrote),
	TEST(test_output_files_refuse_a_link_or_a_fifo),
	TEST_END
};

UNIT_MAIN("output-file", tests)
