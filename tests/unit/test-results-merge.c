/*
 * Merging the shards of a scan: whole-host shards add up to the scan,
 * pair shards share their hosts, missing shards are counted and said,
 * and shards of other scans, a shard given twice and a host or port in
 * two shards are refused with one line that says what is wrong; closed
 * ports in port-run records (journal version 2) merge as the same ports
 * one by one do, and stay runs; -sV's findings are kept.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "unit.h"

#include "event.h"
#include "output-fixture.h"
#include "port-spec.h"
#include "results-merge.h"
#include "results.h"
#include "xmalloc.h"

/* A shard of a scan of 198.18.0.1-4 on ports 1-10. */
struct shard {
	uint64_t	 seed;
	unsigned	 index, count;
	const char	*split;
	const char	*ports;		/* "T:1-10" */
	const char	*hosts;		/* last octets, "12" */
	uint16_t	 first, last;	/* the ports it has of each */
	bool		 ended;
	bool		 runs;		/* closed ports in a port-run */
};

static struct target_addr
addr(uint8_t d)
{
	struct target_addr	t;

	memset(&t, 0, sizeof t);
	t.family = AF_INET;
	t.addr[0] = 198;
	t.addr[1] = 18;
	t.addr[3] = d;
	return (t);
}

static struct results *
shard_make(const struct shard *sh)
{
	struct event_stream	*es;
	struct results		*r;
	struct event_scan_start	*st;
	struct event_host	 h;
	struct event_port	 p;
	struct event_progress	 pr;
	struct event_scan_end	 end;
	struct event_port_run	*run;
	char			 buf[512], *s = buf + sizeof *st;
	const char		*c;
	uint16_t		 port, closed[10];
	size_t			 len, n;

	r = results_create();
	es = event_stream_create();
	event_stream_add_sink(es, results_sink, r);
	memset(buf, 0, sizeof buf);
	st = (struct event_scan_start *)buf;
	st->seed = sh->seed;
	st->hosts = strlen(sh->hosts);
	st->nstrings = 6;
	len = (size_t)snprintf(s, sizeof buf - sizeof *st,
	    "targets=198.18.0.1-4%cports=%s%cprofile=polite%c"
	    "technique=syn%cshard=%u/%u%csplit=%s", 0, sh->ports, 0, 0, 0,
	    sh->index, sh->count, 0, sh->split) + 1;
	if (sh->count > 1) {
		len += (size_t)snprintf(s + len, sizeof buf - sizeof *st - len,
		    "hosts-all=4") + 1;
		st->nstrings++;
	}
	event_stream_emit(es, EVENT_SCAN_START, buf, sizeof *st + len);
	for (c = sh->hosts; *c != '\0'; c++) {
		memset(&h, 0, sizeof h);
		h.addr = addr((uint8_t)(*c - '0'));
		h.state = EVENT_HOST_UP;
		event_stream_emit(es, EVENT_HOST_STATE, &h, sizeof h);
		n = 0;
		for (port = sh->first; port <= sh->last; port++) {
			memset(&p, 0, sizeof p);
			p.addr = h.addr;
			p.port = port;
			p.proto = PORT_TCP;
			p.state = port == 5 ? EVENT_PORT_OPEN :
			    EVENT_PORT_CLOSED;
			p.reason = port == 5 ? EVENT_REASON_SYN_ACK :
			    EVENT_REASON_RESET;
			if (sh->runs && p.state == EVENT_PORT_CLOSED)
				closed[n++] = port;
			else
				event_stream_emit(es, EVENT_PORT_STATE, &p,
				    sizeof p);
		}
		if (n == 0)
			continue;
		run = xcalloc(1, EVENT_PORT_RUN_MAX(n));
		run->addr = h.addr;
		run->proto = PORT_TCP;
		run->state = EVENT_PORT_CLOSED;
		run->reason = EVENT_REASON_RESET;
		event_stream_emit(es, EVENT_PORT_RUN, run,
		    event_port_run_encode(run, closed, n));
		free(run);
	}
	memset(&pr, 0, sizeof pr);
	pr.pairs_done = pr.pairs_total = strlen(sh->hosts) *
	    (sh->last - sh->first + 1u);
	event_stream_emit(es, EVENT_PROGRESS, &pr, sizeof pr);
	if (sh->ended) {
		memset(&end, 0, sizeof end);
		end.status = EVENT_END_DONE;
		event_stream_emit(es, EVENT_SCAN_END, &end, sizeof end);
	}
	event_stream_free(es);
	return (r);
}

/* Merge n shards; the merge's status, *cause and *m as it left them. */
static int
merge(const struct shard *sh, size_t n, struct results **out,
    struct results_merge *m, char **cause)
{
	struct results	*in[8];
	const char	*names[8] = { "a", "b", "c", "d", "e", "f", "g", "h" };
	size_t		 i;
	int		 rc;

	for (i = 0; i < n; i++)
		in[i] = shard_make(&sh[i]);
	*out = results_create();
	*cause = NULL;
	rc = results_merge(*out, in, names, n, m, cause);
	for (i = 0; i < n; i++)
		results_free(in[i]);
	return (rc);
}

static void
test_results_merge_adds_whole_host_shards_up(void)
{
	const struct shard	 sh[] = {
		{ 7, 2, 3, "hosts", "T:1-10", "3", 1, 10, true, false },
		{ 7, 1, 3, "hosts", "T:1-10", "14", 1, 10, true, false },
		{ 7, 3, 3, "hosts", "T:1-10", "2", 1, 10, true, false },
	};
	struct results		*r;
	struct results_merge	 m;
	char			*cause;
	size_t			 i;

	CU_ASSERT_EQUAL_FATAL(merge(sh, 3, &r, &m, &cause), 0);
	CU_ASSERT_EQUAL(m.count, 3);
	CU_ASSERT_EQUAL(m.nmissing, 0);
	CU_ASSERT_PTR_NULL(m.unfinished);
	CU_ASSERT_EQUAL(m.done, 40);
	CU_ASSERT_EQUAL(m.total, 40);
	CU_ASSERT_EQUAL(results_host_count(r), 4);
	for (i = 0; i < 4; i++) {
		CU_ASSERT_EQUAL(results_host(r, i)->addr.addr[3], i + 1);
		CU_ASSERT_EQUAL(results_host(r, i)->nports, 10);
		CU_ASSERT_EQUAL(results_host(r, i)->nstate[EVENT_PORT_OPEN], 1);
	}
	CU_ASSERT(results_scan(r)->ended);
	CU_ASSERT_EQUAL(results_scan(r)->status, EVENT_END_DONE);
	CU_ASSERT_EQUAL(results_scan(r)->hosts, 4);
	CU_ASSERT_EQUAL(results_scan(r)->seed, 7);
	CU_ASSERT_PTR_NULL(results_scan_string(r, "shard"));
	CU_ASSERT_STRING_EQUAL(results_scan_string(r, "profile"), "polite");
	results_merge_free(&m);
	results_free(r);
}

static void
test_results_merge_counts_missing_and_unfinished_shards(void)
{
	const struct shard	 sh[] = {
		{ 7, 1, 4, "hosts", "T:1-10", "1", 1, 10, true, false },
		{ 7, 3, 4, "hosts", "T:1-10", "3", 1, 10, false, false },
	};
	struct results		*r;
	struct results_merge	 m;
	char			*cause;

	CU_ASSERT_EQUAL_FATAL(merge(sh, 2, &r, &m, &cause), 0);
	CU_ASSERT_EQUAL_FATAL(m.nmissing, 2);
	CU_ASSERT_EQUAL(m.missing[0], 2);
	CU_ASSERT_EQUAL(m.missing[1], 4);
	CU_ASSERT_STRING_EQUAL(m.unfinished, "b");
	CU_ASSERT_EQUAL(m.done, 20);
	CU_ASSERT_EQUAL(m.total, 40);
	/* A shard without its end: the merged scan has none either. */
	CU_ASSERT(!results_scan(r)->ended);
	CU_ASSERT_EQUAL(results_warning_count(r), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(results_warning(r, 0),
	    "missing 2/4, 4/4"));
	results_merge_free(&m);
	results_free(r);
}

static void
test_results_merge_shares_hosts_of_pair_shards(void)
{
	const struct shard	 sh[] = {
		{ 7, 1, 2, "pairs", "T:1-10", "1234", 1, 6, true, false },
		{ 7, 2, 2, "pairs", "T:1-10", "1234", 7, 10, true, false },
	};
	struct results		*r;
	struct results_merge	 m;
	char			*cause;

	CU_ASSERT_EQUAL_FATAL(merge(sh, 2, &r, &m, &cause), 0);
	CU_ASSERT_EQUAL(results_host_count(r), 4);
	CU_ASSERT_EQUAL(results_host(r, 2)->nports, 10);
	CU_ASSERT_EQUAL(m.done, 40);
	results_merge_free(&m);
	results_free(r);
}

static void
test_results_merge_refuses_shards_of_other_scans(void)
{
	const struct shard	 sh[] = {
		{ 7, 1, 2, "hosts", "T:1-10", "12", 1, 10, true, false },
		{ 8, 2, 2, "hosts", "T:1-9", "34", 1, 9, true, false },
	};
	const struct shard	 three[] = {
		{ 7, 1, 2, "hosts", "T:1-10", "12", 1, 10, true, false },
		{ 7, 2, 3, "hosts", "T:1-10", "34", 1, 10, true, false },
	};
	struct results		*r;
	struct results_merge	 m;
	char			*cause;

	CU_ASSERT_EQUAL(merge(sh, 2, &r, &m, &cause), -1);
	CU_ASSERT_STRING_EQUAL(cause, "a and b are not shards of one scan: "
	    "their seed, ports differ");
	free(cause);
	results_merge_free(&m);
	results_free(r);
	CU_ASSERT_EQUAL(merge(three, 2, &r, &m, &cause), -1);
	CU_ASSERT_STRING_EQUAL(cause, "a and b are not shards of one scan: "
	    "their shard count differs");
	free(cause);
	results_merge_free(&m);
	results_free(r);
}

static void
test_results_merge_refuses_overlap(void)
{
	const struct shard	 twice[] = {
		{ 7, 1, 2, "hosts", "T:1-10", "12", 1, 10, true, false },
		{ 7, 1, 2, "hosts", "T:1-10", "12", 1, 10, true, false },
	};
	const struct shard	 host[] = {
		{ 7, 1, 2, "hosts", "T:1-10", "12", 1, 10, true, false },
		{ 7, 2, 2, "hosts", "T:1-10", "234", 1, 10, true, false },
	};
	const struct shard	 port[] = {
		{ 7, 1, 2, "pairs", "T:1-10", "1234", 1, 6, true, false },
		{ 7, 2, 2, "pairs", "T:1-10", "1234", 6, 10, true, false },
	};
	struct results		*r;
	struct results_merge	 m;
	char			*cause;

	CU_ASSERT_EQUAL(merge(twice, 2, &r, &m, &cause), -1);
	CU_ASSERT_STRING_EQUAL(cause, "a and b are both shard 1/2");
	free(cause);
	results_merge_free(&m);
	results_free(r);
	CU_ASSERT_EQUAL(merge(host, 2, &r, &m, &cause), -1);
	CU_ASSERT_STRING_EQUAL(cause, "b: host 198.18.0.2 is in another "
	    "shard too");
	free(cause);
	results_merge_free(&m);
	results_free(r);
	CU_ASSERT_EQUAL(merge(port, 2, &r, &m, &cause), -1);
	CU_ASSERT_STRING_EQUAL(cause, "b: port 6/tcp of 198.18.0.1 is in "
	    "another shard too");
	free(cause);
	results_merge_free(&m);
	results_free(r);
}

/*
 * Shards with their closed ports in runs: the merge has every port, the
 * closed ones still in runs, and writes what the merge of the same
 * shards with a record a port writes; a port of a run that another
 * shard has too is an overlap.
 */
static void
test_results_merge_takes_ports_in_runs(void)
{
	struct shard		 sh[] = {
		{ 7, 2, 3, "hosts", "T:1-10", "3", 1, 10, true, true },
		{ 7, 1, 3, "hosts", "T:1-10", "14", 1, 10, true, true },
		{ 7, 3, 3, "hosts", "T:1-10", "2", 1, 10, true, true },
	};
	const struct shard	 pairs[] = {
		{ 7, 1, 2, "pairs", "T:1-10", "1234", 1, 6, true, true },
		{ 7, 2, 2, "pairs", "T:1-10", "1234", 7, 10, true, true },
	};
	const struct shard	 port[] = {
		{ 7, 1, 2, "pairs", "T:1-10", "1234", 1, 7, true, true },
		{ 7, 2, 2, "pairs", "T:1-10", "1234", 7, 10, true, true },
	};
	const struct results_host *h;
	struct results		*r, *one;
	struct results_merge	 m, mone;
	char			*cause;
	size_t			 i;

	CU_ASSERT_EQUAL_FATAL(merge(sh, 3, &r, &m, &cause), 0);
	for (i = 0; i < 3; i++)
		sh[i].runs = false;
	CU_ASSERT_EQUAL_FATAL(merge(sh, 3, &one, &mone, &cause), 0);
	CU_ASSERT_EQUAL(m.done, 40);
	CU_ASSERT_EQUAL_FATAL(results_host_count(r), 4);
	for (i = 0; i < 4; i++) {
		h = results_host(r, i);
		CU_ASSERT_EQUAL(results_port_count(h, 0), 10);
		CU_ASSERT_EQUAL(h->nstate[EVENT_PORT_OPEN], 1);
		CU_ASSERT_EQUAL(h->nstate[EVENT_PORT_CLOSED], 9);
		CU_ASSERT_EQUAL(h->nports, 1);
		CU_ASSERT_EQUAL(h->nruns, 1);
	}
	CU_ASSERT(fixture_same_outputs(r, one, 0, NULL));
	results_merge_free(&m);
	results_merge_free(&mone);
	results_free(r);
	results_free(one);

	CU_ASSERT_EQUAL_FATAL(merge(pairs, 2, &r, &m, &cause), 0);
	CU_ASSERT_EQUAL(results_port_count(results_host(r, 2), 0), 10);
	CU_ASSERT_EQUAL(results_port_count(results_host(r, 2),
	    EVENT_PORT_CLOSED), 9);
	results_merge_free(&m);
	results_free(r);
	CU_ASSERT_EQUAL(merge(port, 2, &r, &m, &cause), -1);
	CU_ASSERT_STRING_EQUAL(cause, "b: port 7/tcp of 198.18.0.1 is in "
	    "another shard too");
	free(cause);
	results_merge_free(&m);
	results_free(r);
}

/*
 * -sV's findings on a port of a shard (service, product, CPE, the
 * certificate) are the merged scan's too.
 */
static void
test_results_merge_keeps_service_info(void)
{
	const struct shard	 sh[] = {
		{ 7, 1, 2, "hosts", "T:1-10", "1", 1, 10, true, true },
		{ 7, 2, 2, "hosts", "T:1-10", "2", 1, 10, true, true },
	};
	const char		 strs[] = "service=http\0product=nginx\0"
				    "version=1.22\0cpe=cpe:/a:nginx:nginx:1.22\0"
				    "cert-subject=CN=lab\0cert-san=a.lab\0"
				    "cert-san=b.lab";
	struct results		*in[2], *r;
	const char		*names[2] = { "a", "b" };
	const struct results_port *p;
	const struct results_service *sv;
	struct results_port	 buf;
	struct results_merge	 m;
	struct event_header	 hdr;
	struct event_service_info *e;
	struct target_addr	 a = addr(2);
	char			*cause = NULL;
	size_t			 len = sizeof *e + sizeof strs;

	in[0] = shard_make(&sh[0]);
	in[1] = shard_make(&sh[1]);
	e = xcalloc(1, len);
	e->addr = a;
	e->port = 5;
	e->proto = PORT_TCP;
	e->method = EVENT_SERVICE_PROBED;
	e->conf = 10;
	e->tunnel = 1;
	e->cert_not_after = 1800000000;
	e->cert_sha256[0] = 0xab;
	e->nstrings = 7;
	memcpy(e + 1, strs, sizeof strs);
	memset(&hdr, 0, sizeof hdr);
	hdr.version = EVENT_VERSION;
	hdr.type = EVENT_SERVICE_INFO;
	hdr.len = (uint32_t)len;
	results_apply(in[1], &hdr, e);
	free(e);
	r = results_create();
	CU_ASSERT_EQUAL_FATAL(results_merge(r, in, names, 2, &m, &cause), 0);
	p = results_port_find(results_host_find(r, &a), 5, PORT_TCP, &buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	sv = p->service;
	CU_ASSERT_PTR_NOT_NULL_FATAL(sv);
	CU_ASSERT_STRING_EQUAL(sv->name, "http");
	CU_ASSERT_STRING_EQUAL(sv->field[EVENT_SKEY_PRODUCT -
	    EVENT_SKEY_PRODUCT], "nginx");
	CU_ASSERT_STRING_EQUAL(sv->field[EVENT_SKEY_VERSION -
	    EVENT_SKEY_PRODUCT], "1.22");
	CU_ASSERT_PTR_NULL(sv->field[EVENT_SKEY_OSTYPE - EVENT_SKEY_PRODUCT]);
	CU_ASSERT_EQUAL(sv->method, EVENT_SERVICE_PROBED);
	CU_ASSERT_EQUAL(sv->conf, 10);
	CU_ASSERT_TRUE(sv->tunnel);
	CU_ASSERT_EQUAL_FATAL(sv->ncpe, 1);
	CU_ASSERT_STRING_EQUAL(sv->cpe[0], "cpe:/a:nginx:nginx:1.22");
	CU_ASSERT_TRUE(sv->cert);
	CU_ASSERT_STRING_EQUAL(sv->cert_subject, "CN=lab");
	CU_ASSERT_EQUAL_FATAL(sv->ncert_san, 2);
	CU_ASSERT_STRING_EQUAL(sv->cert_san[1], "b.lab");
	CU_ASSERT_EQUAL(sv->cert_not_after, 1800000000);
	CU_ASSERT_EQUAL(sv->cert_sha256[0], 0xab);
	/* The other shard's open port had none. */
	a = addr(1);
	p = results_port_find(results_host_find(r, &a), 5, PORT_TCP, &buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_PTR_NULL(p->service);
	results_merge_free(&m);
	results_free(in[0]);
	results_free(in[1]);
	results_free(r);
}

static const struct unit_test tests[] = {
	TEST(test_results_merge_adds_whole_host_shards_up),
	TEST(test_results_merge_counts_missing_and_unfinished_shards),
	TEST(test_results_merge_shares_hosts_of_pair_shards),
	TEST(test_results_merge_refuses_shards_of_other_scans),
	TEST(test_results_merge_refuses_overlap),
	TEST(test_results_merge_takes_ports_in_runs),
	TEST(test_results_merge_keeps_service_info),
	TEST_END
};

UNIT_MAIN("results-merge", tests)
