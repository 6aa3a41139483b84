/*
 * The scan ledger: one line per target and UTC day, "2026-11-29
 * 198.18.0.1 3", counting the scans that had a daily quota. Concurrent
 * tact processes must not lose an update, so a whole read-modify-write
 * runs under flock() on "<ledger>.lock" (a file never replaced, unlike
 * the ledger itself, which is written to a new "<ledger>.XXXXXX",
 * fsynced and renamed over). Its directory, lock and ledger are trusted only when
 * they are the user's alone, the temporary file is made by mkstemp,
 * and nothing is opened through a link: root may run with another
 * user's HOME. Days before today are dropped on each write. A line
 * that does not parse stops everything, and the file is left alone; so
 * a day is read as strictly as it is written, and whatever reads is
 * written back the same.
 */
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ledger.h"
#include "output-escape.h"
#include "safe-open.h"
#include "strnum.h"
#include "tact.h"
#include "xmalloc.h"

/* The most characters of a bad field a message quotes. */
#define LEDGER_QUOTE_MAX	80

struct ledger_entry {
	uint32_t		day;	/* yyyymmdd */
	struct target_addr	addr;
	uint32_t		count;
};

struct ledger {
	const char		*path;
	struct ledger_entry	*v;
	size_t			 n;
};

static uint32_t	ledger_day(time_t);
static int	ledger_entry_cmp(const void *, const void *);
static int	ledger_parse_day(const char *, uint32_t *);
static int	ledger_parse_line(char *, struct ledger_entry *, char **);
static void	ledger_sort(struct ledger *);
static enum ledger_result ledger_read(struct ledger *, char **);
static enum ledger_result ledger_write(const struct ledger *, uint32_t,
		    char **);
static int	ledger_lock(const char *, char **);
static void	ledger_norm(struct target_addr *,
		    const struct target_addr *);
static int	ledger_same(const struct target_addr *,
		    const struct target_addr *);
static struct ledger_entry *ledger_find(const struct ledger *, uint32_t,
		    const struct target_addr *);

static uint32_t
ledger_day(time_t t)
{
	struct tm	tm;

	gmtime_r(&t, &tm);
	return ((uint32_t)((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 +
	    tm.tm_mday));
}

static int
ledger_entry_cmp(const void *a0, const void *b0)
{
	const struct ledger_entry	*a = a0, *b = b0;

	if (a->day != b->day)
		return (a->day < b->day ? -1 : 1);
	if (a->addr.family != b->addr.family)
		return (a->addr.family < b->addr.family ? -1 : 1);
	return (memcmp(a->addr.addr, b->addr.addr, sizeof a->addr.addr));
}

/*
 * A day as the ledger writes it, "YYYY-MM-DD": four digits for a year
 * from 1970 to 9999, then a month and a day of that month; no sign, no
 * space, nothing more. 0 on success.
 */
static int
ledger_parse_day(const char *s, uint32_t *day)
{
	static const unsigned	 mdays[] = {
		31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	unsigned		 y = 0, m, d, i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return (-1);
	for (i = 0; i < 10; i++) {
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return (-1);
		if (i < 4)
			y = y * 10 + (unsigned)(s[i] - '0');
	}
	m = (unsigned)(s[5] - '0') * 10 + (unsigned)(s[6] - '0');
	d = (unsigned)(s[8] - '0') * 10 + (unsigned)(s[9] - '0');
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return (-1);
	if (m == 2 && d == 29 && (y % 4 != 0 || (y % 100 == 0 &&
	    y % 400 != 0)))
		return (-1);
	*day = y * 10000 + m * 100 + d;
	return (0);
}

/*
 * "YYYY-MM-DD address count"; 0 on success, or -1 with why naming the
 * field that is wrong.
 */
static int
ledger_parse_line(char *line, struct ledger_entry *e, char **why)
{
	char		*field[3], *last, *c, *q;
	uint64_t	 n;
	size_t		 i;

	memset(e, 0, sizeof *e);
	for (i = 0; (c = strtok_r(i == 0 ? line : NULL, " ", &last)) != NULL;
	    i++) {
		if (i < 3)
			field[i] = c;
	}
	if (i != 3) {
		xasprintf(why, "%zu fields, want 3 (\"YYYY-MM-DD address"
		    " count\")", i);
		return (-1);
	}
	if (ledger_parse_day(field[0], &e->day) != 0) {
		q = output_escape_cut(field[0], strlen(field[0]),
		    LEDGER_QUOTE_MAX);
		xasprintf(why, "day \"%s\": want YYYY-MM-DD, 1970-01-01 to"
		    " 9999-12-31", q);
		free(q);
		return (-1);
	}
	if (inet_pton(AF_INET, field[1], e->addr.addr) == 1)
		e->addr.family = AF_INET;
	else if (inet_pton(AF_INET6, field[1], e->addr.addr) == 1)
		e->addr.family = AF_INET6;
	else {
		q = output_escape_cut(field[1], strlen(field[1]),
		    LEDGER_QUOTE_MAX);
		xasprintf(why, "address \"%s\": not an IPv4 or IPv6 address",
		    q);
		free(q);
		return (-1);
	}
	if (strnum_u64(field[2], 1, UINT32_MAX, &n, &c) != 0) {
		q = output_escape_cut(c, strlen(c), 2 * LEDGER_QUOTE_MAX);
		xasprintf(why, "count %s", q);
		free(q);
		free(c);
		return (-1);
	}
	e->count = (uint32_t)n;
	return (0);
}

static enum ledger_result
ledger_read(struct ledger *l, char **cause)
{
	FILE		*f;
	char		 buf[TACT_LINE_MAX + 2], *why, *c = NULL;
	unsigned	 lineno = 0;
	size_t		 len;
	int		 fd;

	l->v = NULL;
	l->n = 0;
	if ((fd = safe_open(l->path, O_RDONLY, 0, getuid(), &c)) == -1) {
		if (errno == ENOENT) {
			free(c);
			return (LEDGER_OK);
		}
		*cause = c;
		return (LEDGER_FAILED);
	}
	if ((f = fdopen(fd, "r")) == NULL) {
		xasprintf(cause, "%s: %s", l->path, strerror(errno));
		close(fd);
		return (LEDGER_FAILED);
	}
	while (fgets(buf, sizeof buf, f) != NULL) {
		lineno++;
		len = strlen(buf);
		if (len > 0 && buf[len - 1] == '\n')
			buf[--len] = '\0';
		else if (!feof(f)) {
			xasprintf(&why, "longer than %d bytes, or a NUL byte",
			    TACT_LINE_MAX);
			goto bad;
		}
		if (buf[0] == '#' || buf[0] == '\0')
			continue;
		l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
		if (ledger_parse_line(buf, &l->v[l->n], &why) != 0)
			goto bad;
		l->n++;
	}
	if (ferror(f)) {
		xasprintf(cause, "%s: %s", l->path, strerror(errno));
		fclose(f);
		return (LEDGER_FAILED);
	}
	fclose(f);
	ledger_sort(l);
	return (LEDGER_OK);

bad:
	xasprintf(cause, "%s:%u: %s", l->path, lineno, why);
	free(why);
	fclose(f);
	free(l->v);
	l->v = NULL;
	return (LEDGER_CORRUPT);
}

/*
 * Sort the entries and fold lines for the same day and target into one
 * (a hand-edited ledger may repeat them), adding their counts, so that
 * every lookup sees the whole count.
 */
static void
ledger_sort(struct ledger *l)
{
	size_t	i, n = 0;

	if (l->n == 0)
		return;
	qsort(l->v, l->n, sizeof *l->v, ledger_entry_cmp);
	for (i = 1; i < l->n; i++) {
		if (ledger_entry_cmp(&l->v[n], &l->v[i]) == 0) {
			if (l->v[i].count > UINT32_MAX - l->v[n].count)
				l->v[n].count = UINT32_MAX;
			else
				l->v[n].count += l->v[i].count;
		} else
			l->v[++n] = l->v[i];
	}
	l->n = n + 1;
}

static enum ledger_result
ledger_write(const struct ledger *l, uint32_t today, char **cause)
{
	FILE	*f;
	char	*tmp, addr[64];
	size_t	 i;
	int	 fd, ok = 1;

	if ((fd = safe_open_temp(l->path, &tmp, cause)) == -1)
		return (LEDGER_FAILED);
	if ((f = fdopen(fd, "w")) == NULL) {
		xasprintf(cause, "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		free(tmp);
		return (LEDGER_FAILED);
	}
	fprintf(f, "# tact ledger: UTC day, target, scans that day\n");
	for (i = 0; i < l->n; i++) {
		if (l->v[i].day < today)
			continue;
		target_addr_str(&l->v[i].addr, addr, sizeof addr);
		fprintf(f, "%04u-%02u-%02u %s %u\n", l->v[i].day / 10000,
		    l->v[i].day / 100 % 100, l->v[i].day % 100, addr,
		    l->v[i].count);
	}
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		ok = 0;
	if (fclose(f) != 0)
		ok = 0;
	if (!ok || rename(tmp, l->path) != 0) {
		xasprintf(cause, "%s: %s", l->path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return (LEDGER_FAILED);
	}
	free(tmp);
	return (LEDGER_OK);
}

/* An exclusive lock on "<path>.lock"; the descriptor, or -1. */
static int
ledger_lock(const char *path, char **cause)
{
	char	*lock, *dir;
	int	 fd, rc;

	if (*path != '/') {
		xasprintf(cause, "%s: not an absolute path", path);
		return (-1);
	}
	dir = xstrdup(path);
	*strrchr(dir, '/') = '\0';
	rc = safe_open_mkdirs(*dir != '\0' ? dir : "/", NULL, getuid(),
	    false, cause);
	free(dir);
	if (rc != 0)
		return (-1);
	xasprintf(&lock, "%s.lock", path);
	if ((fd = safe_open(lock, O_RDWR | O_CREAT, 0600, getuid(),
	    cause)) == -1) {
		free(lock);
		return (-1);
	}
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			xasprintf(cause, "%s: %s", lock, strerror(errno));
			close(fd);
			free(lock);
			return (-1);
		}
	}
	free(lock);
	return (fd);
}

/* A copy of an address with the bytes its family does not use zeroed. */
static void
ledger_norm(struct target_addr *to, const struct target_addr *from)
{
	memset(to, 0, sizeof *to);
	to->family = from->family;
	memcpy(to->addr, from->addr, from->family == AF_INET ? 4 : 16);
}

static int
ledger_same(const struct target_addr *a, const struct target_addr *b)
{
	struct target_addr	na, nb;

	ledger_norm(&na, a);
	ledger_norm(&nb, b);
	return (memcmp(&na, &nb, sizeof na) == 0);
}

static struct ledger_entry *
ledger_find(const struct ledger *l, uint32_t day,
    const struct target_addr *addr)
{
	struct ledger_entry	key;

	memset(&key, 0, sizeof key);
	key.day = day;
	ledger_norm(&key.addr, addr);
	if (l->n == 0)
		return (NULL);
	return (bsearch(&key, l->v, l->n, sizeof *l->v, ledger_entry_cmp));
}

enum ledger_result
ledger_charge(const char *path, const struct ledger_charge *c, size_t n,
    time_t now, char **cause)
{
	struct ledger		 l = { path, NULL, 0 }, sorted = l;
	struct ledger_entry	*e;
	enum ledger_result	 rc;
	uint32_t		 today = ledger_day(now);
	size_t			 i, j, old;
	time_t			 next;
	struct tm		 tm;
	char			 addr[64], when[32];
	int			 fd;

	if ((fd = ledger_lock(path, cause)) == -1)
		return (LEDGER_FAILED);
	if ((rc = ledger_read(&l, cause)) != LEDGER_OK)
		goto out;
	for (i = 0; i < n; i++) {
		if (c[i].quota == 0)
			continue;
		e = ledger_find(&l, today, &c[i].addr);
		if (e == NULL || e->count < c[i].quota)
			continue;
		next = (now / 86400 + 1) * 86400;
		gmtime_r(&next, &tm);
		strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
		target_addr_str(&c[i].addr, addr, sizeof addr);
		xasprintf(cause, "%s: %u scans today, its daily quota; the"
		    " next is allowed at %s", addr, e->count, when);
		rc = LEDGER_OVER_QUOTA;
		goto out;
	}
	old = l.n;
	for (i = 0; i < n; i++) {
		sorted.v = l.v;
		sorted.n = old;
		e = ledger_find(&sorted, today, &c[i].addr);
		for (j = old; e == NULL && j < l.n; j++) {
			if (ledger_same(&l.v[j].addr, &c[i].addr))
				e = &l.v[j];
		}
		if (e != NULL) {
			e->count += e->count < UINT32_MAX;
			continue;
		}
		l.v = xreallocarray(l.v, l.n + 1, sizeof *l.v);
		memset(&l.v[l.n], 0, sizeof l.v[l.n]);
		l.v[l.n].day = today;
		ledger_norm(&l.v[l.n].addr, &c[i].addr);
		l.v[l.n].count = 1;
		l.n++;
	}
	ledger_sort(&l);
	rc = ledger_write(&l, today, cause);
out:
	free(l.v);
	close(fd);
	return (rc);
}

enum ledger_result
ledger_count(const char *path, const struct target_addr *addr, time_t now,
    uint32_t *count, char **cause)
{
	struct ledger		 l = { path, NULL, 0 };
	struct ledger_entry	*e;
	enum ledger_result	 rc;
	int			 fd;

	*count = 0;
	if ((fd = ledger_lock(path, cause)) == -1)
		return (LEDGER_FAILED);
	if ((rc = ledger_read(&l, cause)) == LEDGER_OK &&
	    (e = ledger_find(&l, ledger_day(now), addr)) != NULL)
		*count = e->count;
	free(l.v);
	close(fd);
	return (rc);
}
