/*
 * Scan directories: IDs that sort by time, private directories, a lock
 * that tells a live engine from a dead one, and the state `tact list`
 * shows, read from the journal.
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#include "event.h"
#include "journal.h"
#include "scan-dir.h"
#include "xmalloc.h"

static char	*scratch_dir(void);
static void	 rm_rf(const char *);
static void	 write_scan(const char *, int, int);

static char *
scratch_dir(void)
{
	char	*dir;

	dir = xstrdup("/tmp/tact-scandir-XXXXXX");
	if (mkdtemp(dir) == NULL)
		abort();
	return (dir);
}

static void
rm_rf(const char *dir)
{
	char	*cmd;

	xasprintf(&cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		abort();
	free(cmd);
}

/* A journal: scan start, progress, maybe pause, maybe end. */
static void
write_scan(const char *path, int pause, int end)
{
	struct event_stream	*es;
	struct journal		*j;
	struct event_progress	 prog;
	struct event_control	 ctl;
	struct event_scan_end	 se;
	char			 buf[sizeof (struct event_scan_start) + 64];
	struct event_scan_start	*st = (struct event_scan_start *)buf;
	char			*cause = NULL;
	size_t			 len;

	j = journal_create(path, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	es = event_stream_create();
	event_stream_add_sink(es, journal_sink, j);
	memset(buf, 0, sizeof buf);
	st->pairs = 2000;
	st->wall_start = 1700000000;
	st->nstrings = 3;
	len = sizeof *st;
	memcpy(buf + len, "args=-p 22 x", 13);
	len += 13;
	memcpy(buf + len, "targets=127.0.0.1", 18);
	len += 18;
	memcpy(buf + len, "profile=polite", 15);
	len += 15;
	event_stream_emit(es, EVENT_SCAN_START, buf, len);
	memset(&prog, 0, sizeof prog);
	prog.pairs_done = 500;
	prog.pairs_total = 2000;
	prog.hosts_up = 1;
	prog.open_ports = 3;
	event_stream_emit(es, EVENT_PROGRESS, &prog, sizeof prog);
	if (pause) {
		memset(&ctl, 0, sizeof ctl);
		ctl.action = EVENT_CONTROL_PAUSE;
		event_stream_emit(es, EVENT_CONTROL, &ctl, sizeof ctl);
	}
	if (end) {
		memset(&se, 0, sizeof se);
		se.status = (uint32_t)end;
		event_stream_emit(es, EVENT_SCAN_END, &se, sizeof se);
	}
	CU_ASSERT_EQUAL(journal_close(j, &cause), 0);
	event_stream_free(es);
}

static void
test_scan_dir_base_falls_back_to_home_and_its_state(void)
{
	struct scan_dir_base	 b;
	struct scan_dir		*d;
	char			*home = scratch_dir(), *want, *cause = NULL;
	struct stat		 sb;

	CU_ASSERT_EQUAL_FATAL(scan_dir_base_init(&b, NULL, NULL, home,
	    getuid(), &cause), 0);
	xasprintf(&want, "%s/.local/state/tact/scans", home);
	CU_ASSERT_STRING_EQUAL(b.state, want);
	free(want);
	/* Not /tmp/tact-UID, which another user could make first. */
	xasprintf(&want, "%s/.local/state/tact/run", home);
	CU_ASSERT_STRING_EQUAL(b.runtime, want);
	CU_ASSERT_EQUAL(stat(b.runtime, &sb), -1);
	d = scan_dir_create(&b, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(stat(b.runtime, &sb), 0);
	CU_ASSERT_EQUAL(sb.st_mode & 0777, 0700);
	scan_dir_remove(d);
	scan_dir_free(d);
	free(want);
	scan_dir_base_free(&b);

	CU_ASSERT_EQUAL(scan_dir_base_init(&b, NULL, NULL, NULL, getuid(),
	    &cause), -1);
	CU_ASSERT(cause != NULL && strstr(cause, "HOME") != NULL);
	free(cause);
	rm_rf(home);
	free(home);
}

static void
test_scan_dir_refuses_runtime_dir_open_to_others(void)
{
	struct scan_dir_base	 b;
	char			*top = scratch_dir(), *rt, *cause = NULL;

	xasprintf(&rt, "%s/tact", top);
	CU_ASSERT_EQUAL(mkdir(rt, 0755), 0);
	CU_ASSERT_EQUAL(chmod(rt, 0755), 0);
	/* Listing and reports need no runtime directory. */
	CU_ASSERT_EQUAL_FATAL(scan_dir_base_init(&b, top, top, NULL, getuid(),
	    &cause), 0);
	CU_ASSERT_PTR_NULL(scan_dir_create(&b, &cause));
	CU_ASSERT(cause != NULL && strstr(cause, "not private") != NULL);
	free(cause);
	scan_dir_base_free(&b);
	free(rt);
	rm_rf(top);
	free(top);
}

/* A home of another user: refused, and nothing made in it. */
static void
test_scan_dir_base_refuses_a_home_it_cannot_trust(void)
{
	struct scan_dir_base	 b;
	struct stat		 sb;
	char			*top = scratch_dir(), *home, *made;
	char			*cause = NULL;

	xasprintf(&home, "%s/home", top);
	xasprintf(&made, "%s/.local", home);
	CU_ASSERT_EQUAL_FATAL(mkdir(home, 0755), 0);
	CU_ASSERT_EQUAL_FATAL(chown(home, 4242, 4242), 0);
	CU_ASSERT_EQUAL(scan_dir_base_init(&b, NULL, NULL, home, getuid(),
	    &cause), -1);
	CU_ASSERT(cause != NULL && strstr(cause, "owned by uid 4242") !=
	    NULL);
	free(cause);
	cause = NULL;
	CU_ASSERT_EQUAL(stat(made, &sb), -1);

	/* HOME=/nonexistent: never made. */
	CU_ASSERT_EQUAL_FATAL(rmdir(home), 0);
	CU_ASSERT_EQUAL(scan_dir_base_init(&b, NULL, NULL, home, getuid(),
	    &cause), -1);
	CU_ASSERT(cause != NULL && strstr(cause, "No such file") != NULL);
	free(cause);
	CU_ASSERT_EQUAL(stat(home, &sb), -1);
	free(home);
	free(made);
	rm_rf(top);
	free(top);
}

/*
 * What another user planted in a scan's directory: a lock that links
 * to a file of root's is refused, not truncated; a scan directory not
 * the user's alone is refused.
 */
static void
test_scan_dir_refuses_what_others_planted(void)
{
	struct scan_dir_base	 b;
	struct scan_dir		*d;
	struct stat		 sb;
	char			*top = scratch_dir(), *victim, *cause = NULL;
	FILE			*f;

	CU_ASSERT_EQUAL_FATAL(scan_dir_base_init(&b, top, top, NULL,
	    getuid(), &cause), 0);
	d = scan_dir_create(&b, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	xasprintf(&victim, "%s/victim", top);
	f = fopen(victim, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("keep", f);
	fclose(f);
	CU_ASSERT_EQUAL_FATAL(symlink(victim, d->lock), 0);
	CU_ASSERT_EQUAL(scan_dir_lock(d, &cause), -1);
	CU_ASSERT(cause != NULL && strstr(cause, "symbolic link") != NULL);
	free(cause);
	cause = NULL;
	CU_ASSERT_EQUAL(stat(victim, &sb), 0);
	CU_ASSERT_EQUAL(sb.st_size, 4);
	CU_ASSERT_FALSE(scan_dir_running(d));
	CU_ASSERT_EQUAL(unlink(d->lock), 0);

	CU_ASSERT_EQUAL_FATAL(chown(d->state, 4242, 4242), 0);
	CU_ASSERT_PTR_NULL(scan_dir_open(&b, d->id, &cause));
	CU_ASSERT(cause != NULL && strstr(cause, d->state) != NULL);
	free(cause);
	cause = NULL;
	CU_ASSERT_EQUAL_FATAL(chown(d->state, getuid(), getgid()), 0);
	CU_ASSERT_EQUAL_FATAL(chmod(d->state, 0770), 0);
	CU_ASSERT_PTR_NULL(scan_dir_open(&b, d->id, &cause));
	CU_ASSERT(cause != NULL && strstr(cause, "refused") != NULL);
	free(cause);
	scan_dir_free(d);
	scan_dir_base_free(&b);
	free(victim);
	rm_rf(top);
	free(top);
}

static void
test_scan_dir_ids_are_unique_sorted_and_private(void)
{
	struct scan_dir_base	 b;
	struct scan_dir		*d[3], *again;
	struct stat		 sb;
	char			*top = scratch_dir(), *cause = NULL, **ids;
	size_t			 n, i;

	CU_ASSERT_EQUAL_FATAL(scan_dir_base_init(&b, top, top, NULL,
	    getuid(), &cause), 0);
	for (i = 0; i < 3; i++) {
		d[i] = scan_dir_create(&b, &cause);
		CU_ASSERT_PTR_NOT_NULL_FATAL(d[i]);
		CU_ASSERT_EQUAL(strlen(d[i]->id), SCAN_ID_LEN);
		CU_ASSERT_EQUAL(stat(d[i]->state, &sb), 0);
		CU_ASSERT_EQUAL(sb.st_mode & 0777, 0700);
		CU_ASSERT_EQUAL(stat(d[i]->runtime, &sb), 0);
		CU_ASSERT_EQUAL(sb.st_mode & 0777, 0700);
	}
	CU_ASSERT(strcmp(d[0]->id, d[1]->id) != 0);
	CU_ASSERT(strcmp(d[1]->id, d[2]->id) != 0);
	CU_ASSERT_EQUAL(scan_dir_list(&b, &ids, &n, &cause), 0);
	CU_ASSERT_EQUAL(n, 3);
	for (i = 1; i < n; i++)
		CU_ASSERT(strcmp(ids[i - 1], ids[i]) < 0);
	again = scan_dir_open(&b, ids[0], &cause);
	CU_ASSERT_PTR_NOT_NULL(again);
	scan_dir_free(again);
	scan_dir_list_free(ids, n);

	CU_ASSERT_PTR_NULL(scan_dir_open(&b, "../../etc", &cause));
	CU_ASSERT(cause != NULL && strstr(cause, "not a scan ID") != NULL);
	free(cause);
	CU_ASSERT_PTR_NULL(scan_dir_open(&b, "20000101-000000-0000",
	    &cause));
	CU_ASSERT(cause != NULL && strstr(cause, "no such scan") != NULL);
	free(cause);
	for (i = 0; i < 3; i++)
		scan_dir_free(d[i]);
	scan_dir_base_free(&b);
	rm_rf(top);
	free(top);
}

static void
test_scan_dir_lock_tells_running_from_dead(void)
{
	struct scan_dir_base	 b;
	struct scan_dir		*d, *other;
	char			*top = scratch_dir(), *cause = NULL;
	int			 p[2], status;
	pid_t			 pid;
	char			 c;

	CU_ASSERT_EQUAL_FATAL(scan_dir_base_init(&b, top, top, NULL,
	    getuid(), &cause), 0);
	d = scan_dir_create(&b, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_FALSE(scan_dir_running(d));

	CU_ASSERT_EQUAL_FATAL(pipe(p), 0);
	if ((pid = fork()) == 0) {
		close(p[0]);
		if (scan_dir_lock(d, &cause) != 0)
			_exit(1);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	CU_ASSERT_EQUAL(read(p[0], &c, 1), 1);
	other = scan_dir_open(&b, d->id, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(other);
	CU_ASSERT_TRUE(scan_dir_running(other));
	CU_ASSERT_EQUAL(scan_dir_lock(other, &cause), -1);
	CU_ASSERT(cause != NULL && strstr(cause, "is running") != NULL);
	free(cause);

	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	close(p[0]);
	CU_ASSERT_FALSE(scan_dir_running(other));
	CU_ASSERT_EQUAL(scan_dir_lock(other, &cause), 0);
	CU_ASSERT_TRUE(scan_dir_running(other));
	scan_dir_free(other);
	scan_dir_free(d);
	scan_dir_base_free(&b);
	rm_rf(top);
	free(top);
}

/*
 * The sweep leaves a running engine's runtime directory alone and
 * removes it once the engine is gone; the state directory stays.
 */
static void
test_scan_dir_sweep_removes_only_what_dead_engines_left(void)
{
	struct scan_dir_base	 b;
	struct scan_dir		*d;
	struct stat		 sb;
	char			*top = scratch_dir(), *cause = NULL;
	int			 p[2], status;
	pid_t			 pid;
	char			 c;

	CU_ASSERT_EQUAL_FATAL(scan_dir_base_init(&b, top, top, NULL,
	    getuid(), &cause), 0);
	d = scan_dir_create(&b, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);

	CU_ASSERT_EQUAL_FATAL(pipe(p), 0);
	if ((pid = fork()) == 0) {
		close(p[0]);
		if (scan_dir_lock(d, &cause) != 0)
			_exit(1);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	CU_ASSERT_EQUAL(read(p[0], &c, 1), 1);
	scan_dir_sweep(&b);
	CU_ASSERT_EQUAL(stat(d->runtime, &sb), 0);

	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	close(p[0]);
	scan_dir_sweep(&b);
	CU_ASSERT_EQUAL(stat(d->runtime, &sb), -1);
	CU_ASSERT_EQUAL(stat(d->state, &sb), 0);
	CU_ASSERT_EQUAL(stat(d->lock, &sb), 0);
	scan_dir_free(d);
	scan_dir_base_free(&b);
	rm_rf(top);
	free(top);
}

/*
 * Another scan's sweep holds a new scan's lock for a moment: the new
 * scan waits it out rather than call itself running.
 */
static void
test_scan_dir_lock_waits_out_a_sweep(void)
{
	struct scan_dir_base	 b;
	struct scan_dir		*d;
	char			*top = scratch_dir(), *cause = NULL;
	int			 p[2], fd, status;
	pid_t			 pid;
	char			 c;

	CU_ASSERT_EQUAL_FATAL(scan_dir_base_init(&b, top, top, NULL,
	    getuid(), &cause), 0);
	d = scan_dir_create(&b, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	fd = open(d->lock, O_RDWR | O_CREAT, 0600);
	CU_ASSERT_FATAL(fd != -1);
	CU_ASSERT_EQUAL_FATAL(pipe(p), 0);
	if ((pid = fork()) == 0) {
		close(p[0]);
		if (flock(fd, LOCK_EX | LOCK_NB) != 0 ||
		    write(p[1], "x", 1) != 1)
			_exit(1);
		usleep(30000);
		_exit(0);
	}
	close(p[1]);
	close(fd);
	CU_ASSERT_EQUAL(read(p[0], &c, 1), 1);
	CU_ASSERT_EQUAL(scan_dir_lock(d, &cause), 0);
	CU_ASSERT_TRUE(scan_dir_running(d));
	waitpid(pid, &status, 0);
	close(p[0]);
	scan_dir_free(d);
	scan_dir_base_free(&b);
	rm_rf(top);
	free(top);
}

/* A scan that never started leaves nothing behind. */
static void
test_scan_dir_remove_leaves_nothing_of_the_scan(void)
{
	struct scan_dir_base	 b;
	struct scan_dir		*d;
	struct event_stream	*es;
	struct stat		 sb;
	char			*top = scratch_dir(), *cause = NULL, **ids;
	uint64_t		 seq;
	size_t			 n;

	CU_ASSERT_EQUAL_FATAL(scan_dir_base_init(&b, top, top, NULL,
	    getuid(), &cause), 0);
	d = scan_dir_create(&b, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	es = event_stream_create();
	CU_ASSERT_EQUAL_FATAL(scan_dir_start(d, es, false, &seq, &cause), 0);
	CU_ASSERT_EQUAL(stat(d->journal, &sb), 0);
	CU_ASSERT_EQUAL(stat(d->ring, &sb), 0);

	scan_dir_remove(d);
	CU_ASSERT_EQUAL(stat(d->state, &sb), -1);
	CU_ASSERT_EQUAL(stat(d->runtime, &sb), -1);
	CU_ASSERT_EQUAL(scan_dir_list(&b, &ids, &n, &cause), 0);
	CU_ASSERT_EQUAL(n, 0);
	scan_dir_list_free(ids, n);
	scan_dir_free(d);
	event_stream_free(es);
	scan_dir_base_free(&b);
	rm_rf(top);
	free(top);
}

static void
test_scan_dir_summary_reads_state_from_journal_and_lock(void)
{
	static const struct {
		int			pause, end, locked;
		enum scan_dir_state	want;
	} cases[] = {
		{ 0, 0, 0, SCAN_DIR_INTERRUPTED },
		{ 0, 0, 1, SCAN_DIR_RUNNING },
		{ 1, 0, 1, SCAN_DIR_PAUSED },
		{ 1, 0, 0, SCAN_DIR_INTERRUPTED },
		{ 0, EVENT_END_DONE, 0, SCAN_DIR_FINISHED },
		{ 0, EVENT_END_STOPPED, 0, SCAN_DIR_STOPPED },
	};
	struct scan_dir_base	 b;
	struct scan_dir		*d;
	struct scan_dir_summary	 s;
	char			*top = scratch_dir(), *cause = NULL;
	size_t			 i;

	CU_ASSERT_EQUAL_FATAL(scan_dir_base_init(&b, top, top, NULL,
	    getuid(), &cause), 0);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		d = scan_dir_create(&b, &cause);
		CU_ASSERT_PTR_NOT_NULL_FATAL(d);
		write_scan(d->journal, cases[i].pause, cases[i].end);
		if (cases[i].locked)
			CU_ASSERT_EQUAL(scan_dir_lock(d, &cause), 0);
		CU_ASSERT_EQUAL_FATAL(scan_dir_summary(d, &s, &cause), 0);
		CU_ASSERT_EQUAL(s.state, cases[i].want);
		CU_ASSERT_STRING_EQUAL(s.targets, "127.0.0.1");
		CU_ASSERT_STRING_EQUAL(s.profile, "polite");
		CU_ASSERT_EQUAL(s.wall_start, 1700000000);
		CU_ASSERT_EQUAL(s.pairs_done, 500);
		CU_ASSERT_EQUAL(s.pairs_total, 2000);
		CU_ASSERT_EQUAL(s.open_ports, 3);
		scan_dir_summary_free(&s);
		scan_dir_free(d);
	}
	scan_dir_base_free(&b);
	rm_rf(top);
	free(top);
}

static const struct unit_test tests[] = {
	TEST(test_scan_dir_base_falls_back_to_home_and_its_state),
	TEST(test_scan_dir_refuses_runtime_dir_open_to_others),
	TEST(test_scan_dir_base_refuses_a_home_it_cannot_trust),
	TEST(test_scan_dir_refuses_what_others_planted),
	TEST(test_scan_dir_ids_are_unique_sorted_and_private),
	TEST(test_scan_dir_lock_tells_running_from_dead),
	TEST(test_scan_dir_sweep_removes_only_what_dead_engines_left),
	TEST(test_scan_dir_lock_waits_out_a_sweep),
	TEST(test_scan_dir_remove_leaves_nothing_of_the_scan),
	TEST(test_scan_dir_summary_reads_state_from_journal_and_lock),
	TEST_END
};

UNIT_MAIN("scan-dir", tests)
