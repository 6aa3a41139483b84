/*
 * The output tests' results store: hosts 198.18.0.N with their ports,
 * made from event records exactly as the engine emits them.
 */
#include <iconv.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <CUnit/CUnit.h>

#include "output-fixture.h"
#include "port-spec.h"
#include "scan-opts.h"
#include "xmalloc.h"

const char fixture_hostile[] =
    "\033[2J\033]0;owned\007<x a=\"1\">&amp;</x>\0after-nul \xff\xfe"
    "\xc0\xaf \xed\xa0\x80 -- \xef\xbf\xbe \\ \"q\" \r\n\t\x9b" "31m"
    "\xc2\x9b" "31m \xe2\x80\xae" "evil \xf4\x90\x80\x80 \xe2\x82 -";
const size_t fixture_hostile_len = sizeof fixture_hostile - 1;

static struct target_addr
fixture_addr(uint8_t d)
{
	struct target_addr	a;

	memset(&a, 0, sizeof a);
	a.family = AF_INET;
	a.addr[0] = 198;
	a.addr[1] = 18;
	a.addr[3] = d;
	return (a);
}

void
fixture_start(struct fixture *fx, const char *const *strings, size_t n)
{
	struct event_scan_start	 s;
	char			*buf;
	size_t			 len = sizeof s, i, off;

	fx->results = results_create();
	fx->es = event_stream_create();
	event_stream_add_sink(fx->es, results_sink, fx->results);
	for (i = 0; i < n; i++)
		len += strlen(strings[i]) + 1;
	buf = xcalloc(1, len);
	memset(&s, 0, sizeof s);
	s.wall_start = 1795913175;
	s.nstrings = (uint32_t)n;
	memcpy(buf, &s, sizeof s);
	off = sizeof s;
	for (i = 0; i < n; i++) {
		memcpy(buf + off, strings[i], strlen(strings[i]) + 1);
		off += strlen(strings[i]) + 1;
	}
	event_stream_emit(fx->es, EVENT_SCAN_START, buf, len);
	free(buf);
}

void
fixture_host(struct fixture *fx, uint8_t d, uint8_t state, uint8_t reason)
{
	struct event_host	e;

	memset(&e, 0, sizeof e);
	e.addr = fixture_addr(d);
	e.state = state;
	e.reason = reason;
	e.ttl = 64;
	e.rtt_us = 1200;
	event_stream_emit(fx->es, EVENT_HOST_STATE, &e, sizeof e);
}

void
fixture_port(struct fixture *fx, uint8_t d, uint16_t port, uint8_t state,
    uint8_t reason)
{
	struct event_port	e;

	memset(&e, 0, sizeof e);
	e.addr = fixture_addr(d);
	e.port = port;
	e.proto = PORT_TCP;
	e.state = state;
	e.reason = reason;
	e.ttl = reason == EVENT_REASON_NO_RESPONSE ? 0 : 64;
	event_stream_emit(fx->es, EVENT_PORT_STATE, &e, sizeof e);
}

void
fixture_banner(struct fixture *fx, uint8_t d, uint16_t port, const void *b,
    size_t len)
{
	struct event_service	 e;
	char			*buf = xmalloc(sizeof e + len);

	memset(&e, 0, sizeof e);
	e.addr = fixture_addr(d);
	e.port = port;
	e.proto = PORT_TCP;
	e.len = (uint32_t)len;
	memcpy(buf, &e, sizeof e);
	memcpy(buf + sizeof e, b, len);
	event_stream_emit(fx->es, EVENT_SERVICE, buf, sizeof e + len);
	free(buf);
}

void
fixture_name(struct fixture *fx, uint8_t d, const void *name, size_t len)
{
	struct event_host_name	 e;
	char			*buf = xmalloc(sizeof e + len);

	memset(&e, 0, sizeof e);
	e.addr = fixture_addr(d);
	e.type = EVENT_NAME_USER;
	e.len = (uint32_t)len;
	memcpy(buf, &e, sizeof e);
	memcpy(buf + sizeof e, name, len);
	event_stream_emit(fx->es, EVENT_HOST_NAME, buf, sizeof e + len);
	free(buf);
}

void
fixture_end(struct fixture *fx, uint32_t status)
{
	struct event_scan_end	e;

	memset(&e, 0, sizeof e);
	e.status = status;
	e.wall_end = 1795913177;
	event_stream_emit(fx->es, EVENT_SCAN_END, &e, sizeof e);
}

/* A record as a journal read back gives it, ns after the scan-start. */
static void
fixture_record_at(struct fixture *fx, uint16_t type, const void *payload,
    size_t len, uint64_t ns)
{
	struct event_header	h;

	memset(&h, 0, sizeof h);
	h.version = EVENT_VERSION;
	h.type = type;
	h.len = (uint32_t)len;
	h.mono_ns = results_scan(fx->results)->start_ns + ns;
	results_apply(fx->results, &h, payload);
}

char *
fixture_render_unfinished(const struct output_ops *ops, const char *how)
{
	static const char *const strings[] = { "args=tact scan 198.18.0.1" };
	struct fixture		 fx;
	struct event_progress	 p;
	struct event_scan_end	 e;
	char			*s;

	setenv("TZ", "UTC", 1);
	tzset();
	fixture_start(&fx, strings, 1);
	fixture_host(&fx, 1, EVENT_HOST_UP, EVENT_REASON_ECHO_REPLY);
	fixture_port(&fx, 1, 22, EVENT_PORT_OPEN, EVENT_REASON_SYN_ACK);
	memset(&p, 0, sizeof p);
	p.pairs_done = 1;
	p.pairs_total = 2;
	fixture_record_at(&fx, EVENT_PROGRESS, &p, sizeof p, 42500000000ULL);
	if (strcmp(how, "running") == 0)
		results_set_running(fx.results);
	else if (strcmp(how, "stopped") == 0) {
		memset(&e, 0, sizeof e);
		e.status = EVENT_END_STOPPED;
		e.wall_end = 1795913175 + 43;
		fixture_record_at(&fx, EVENT_SCAN_END, &e, sizeof e,
		    43000000000ULL);
	}
	s = fixture_render(ops, &fx, NULL);
	fixture_free(&fx);
	return (s);
}

void
fixture_free(struct fixture *fx)
{
	event_stream_free(fx->es);
	results_free(fx->results);
}

char *
fixture_render(const struct output_ops *ops, struct fixture *fx, size_t *len)
{
	char	*buf = NULL, *cause = NULL;
	size_t	 n = 0;
	FILE	*f;

	f = open_memstream(&buf, &n);
	CU_ASSERT_FATAL(f != NULL);
	CU_ASSERT(output_write(ops, f, fx->results, &cause) == 0);
	free(cause);
	fclose(f);
	if (len != NULL)
		*len = n;
	return (buf);
}

int
fixture_same_outputs(const struct results *a, const struct results *b,
    int flags, char **text)
{
	static const enum scan_opts_output outs[] = { SCAN_OUTPUT_JSON,
	    SCAN_OUTPUT_NORMAL, SCAN_OUTPUT_XML, SCAN_OUTPUT_GREPABLE };
	const struct results	*r[2] = { a, b };
	char			*buf[2];
	size_t			 len[2], i, k;
	FILE			*f;
	int			 same = 1;

	for (i = 0; i < sizeof outs / sizeof outs[0]; i++) {
		for (k = 0; k < 2; k++) {
			f = open_memstream(&buf[k], &len[k]);
			CU_ASSERT_FATAL(f != NULL);
			CU_ASSERT(output_write_flags(output_find(outs[i]), f,
			    r[k], flags, NULL) == 0);
			fclose(f);
		}
		if (len[0] == 0 || len[0] != len[1] ||
		    memcmp(buf[0], buf[1], len[0]) != 0)
			same = 0;
		free(buf[0]);
		if (i == 0 && text != NULL)
			*text = buf[1];
		else
			free(buf[1]);
	}
	return (same);
}

int
fixture_utf8_valid(const char *s, size_t len)
{
	iconv_t	 cd = iconv_open("UTF-32LE", "UTF-8");
	char	*in = (char *)s, *out, *buf;
	size_t	 inleft = len, outleft = len * 4 + 4, rc;

	CU_ASSERT_FATAL(cd != (iconv_t)-1);
	buf = out = xmalloc(outleft);
	rc = iconv(cd, &in, &inleft, &out, &outleft);
	iconv_close(cd);
	free(buf);
	return (rc != (size_t)-1 && inleft == 0);
}

int
fixture_has_control(const char *s, const char *allowed)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 && strchr(allowed, *s) == NULL)
			return (1);
		if ((unsigned char)*s == 0x7f)
			return (1);
	}
	return (0);
}
