/*
 * Write a scan's journal for the output tests, as the engine would:
 * hosts, ports and banners a hostile target could send (terminal
 * escapes, NUL, invalid UTF-8, markup, a 1 MB line).
 *
 *	output-journal file [interrupted | strings]
 *	output-journal file resume hosts pairs string...
 *
 * With "interrupted" the journal ends without a scan-end record. With
 * "strings" the scan-start record's strings are hostile too: a profile
 * and targets with terminal escapes, C1 controls and bidirectional
 * overrides, the targets 120 KB long. With "resume" the journal is a
 * scan-start record alone, of hosts hosts and pairs pairs, with the
 * strings given ("arg=-sT", "cwd=/tmp"), as a scan interrupted before
 * its first answer: what anyone who can write a journal may make.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "event.h"
#include "journal.h"
#include "port-spec.h"
#include "xmalloc.h"

#define BIG_BANNER	(1U << 20)

static const char hostile[] =
    "SSH-2.0-\033[2J\033]0;owned\007<x a=\"1\">&amp;</x>\0nul \xff\xfe"
    "\xc0\xaf \xed\xa0\x80 -- \xef\xbf\xbe \"q\" \r\n\t\xc2\x9b" "31m"
    "\xe2\x80\xae" "evil, 1/open";

static const char start_strings[] =
    "args=tact scan -sS --purpose \"audit -- <all>\" 198.18.0.0/30\0"
    "profile=polite\0technique=syn\0purpose=audit -- <all>\0"
    "scope=CHG-42 & \"lab\"";

/* The hostile strings' parts: the profile, then the targets' head. */
static const char hostile_profile[] =
    "profile=\033]0;owned\007\xc2\x9b" "31mpolite\xe2\x80\xae";
static const char hostile_targets[] =
    "targets=\033]2;retitled\033\\\xc2\x85\xe2\x81\xa6" "198.18.0.1 ";

#define HOSTILE_TARGETS_LEN	(120 * 1024)

static struct target_addr
addr(uint8_t d)
{
	struct target_addr	a;

	memset(&a, 0, sizeof a);
	a.family = AF_INET;
	a.addr[0] = 198;
	a.addr[1] = 18;
	a.addr[3] = d;
	return (a);
}

/* A scan-start record of hosts and pairs with the strings argv holds. */
static void
start(struct event_stream *es, uint64_t hosts, uint64_t pairs, int argc,
    char **argv)
{
	struct event_scan_start	 s;
	char			*buf;
	size_t			 len = sizeof s;
	int			 i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	buf = xcalloc(1, len);
	memset(&s, 0, sizeof s);
	s.wall_start = 1795913175;
	s.hosts = hosts;
	s.pairs = pairs;
	s.nstrings = (uint32_t)argc;
	memcpy(buf, &s, sizeof s);
	for (len = sizeof s, i = 0; i < argc; i++) {
		memcpy(buf + len, argv[i], strlen(argv[i]) + 1);
		len += strlen(argv[i]) + 1;
	}
	event_stream_emit(es, EVENT_SCAN_START, buf, len);
	free(buf);
}

static void
host(struct event_stream *es, uint8_t d, uint8_t state)
{
	struct event_host	e;

	memset(&e, 0, sizeof e);
	e.addr = addr(d);
	e.state = state;
	e.reason = state == EVENT_HOST_UP ? EVENT_REASON_ECHO_REPLY :
	    EVENT_REASON_NO_RESPONSE;
	e.ttl = state == EVENT_HOST_UP ? 64 : 0;
	e.rtt_us = 800;
	event_stream_emit(es, EVENT_HOST_STATE, &e, sizeof e);
}

static void
port(struct event_stream *es, uint16_t p, uint8_t state)
{
	struct event_port	e;

	memset(&e, 0, sizeof e);
	e.addr = addr(1);
	e.port = p;
	e.proto = PORT_TCP;
	e.state = state;
	e.reason = state == EVENT_PORT_OPEN ? EVENT_REASON_SYN_ACK :
	    EVENT_REASON_RESET;
	e.ttl = 64;
	event_stream_emit(es, EVENT_PORT_STATE, &e, sizeof e);
}

static void
banner(struct event_stream *es, uint16_t p, const char *b, size_t len)
{
	struct event_service	 e;
	char			*buf = xmalloc(sizeof e + len);

	memset(&e, 0, sizeof e);
	e.addr = addr(1);
	e.port = p;
	e.proto = PORT_TCP;
	e.len = (uint32_t)len;
	memcpy(buf, &e, sizeof e);
	memcpy(buf + sizeof e, b, len);
	event_stream_emit(es, EVENT_SERVICE, buf, sizeof e + len);
	free(buf);
}

int
main(int argc, char **argv)
{
	struct event_stream	*es;
	struct journal		*j;
	struct event_scan_start	 s;
	struct event_scan_end	 end;
	char			*buf, *strings, *cause;
	size_t			 i, len;
	uint16_t		 p;

	if (argc < 2) {
		fprintf(stderr, "usage: output-journal file [interrupted |"
		    " strings | resume hosts pairs string...]\n");
		return (2);
	}
	if ((j = journal_create(argv[1], &cause)) == NULL) {
		fprintf(stderr, "output-journal: %s\n", cause);
		return (1);
	}
	es = event_stream_create();
	event_stream_add_sink(es, journal_sink, j);
	if (argc > 4 && strcmp(argv[2], "resume") == 0) {
		start(es, strtoull(argv[3], NULL, 10),
		    strtoull(argv[4], NULL, 10), argc - 5, argv + 5);
		goto close;
	}

	memset(&s, 0, sizeof s);
	s.wall_start = 1795913175;
	s.hosts = 2;
	s.nstrings = 5;
	len = sizeof start_strings;
	strings = xmalloc(len);
	memcpy(strings, start_strings, len);
	if (argc > 2 && strcmp(argv[2], "strings") == 0) {
		/* The profile and targets come first: the first ones count. */
		free(strings);
		len = sizeof hostile_profile + HOSTILE_TARGETS_LEN + 1 +
		    sizeof start_strings;
		strings = xcalloc(1, len);
		memcpy(strings, hostile_profile, sizeof hostile_profile);
		buf = strings + sizeof hostile_profile;
		memcpy(buf, hostile_targets, sizeof hostile_targets - 1);
		for (i = sizeof hostile_targets - 1; i < HOSTILE_TARGETS_LEN;
		    i++)
			buf[i] = hostile[i % (sizeof hostile - 1)] == '\0' ?
			    ' ' : hostile[i % (sizeof hostile - 1)];
		memcpy(buf + HOSTILE_TARGETS_LEN + 1, start_strings,
		    sizeof start_strings);
		s.nstrings = 7;
	}
	buf = xmalloc(sizeof s + len);
	memcpy(buf, &s, sizeof s);
	memcpy(buf + sizeof s, strings, len);
	event_stream_emit(es, EVENT_SCAN_START, buf, sizeof s + len);
	free(buf);
	free(strings);

	host(es, 1, EVENT_HOST_UP);
	host(es, 2, EVENT_HOST_DOWN);
	port(es, 22, EVENT_PORT_OPEN);
	port(es, 80, EVENT_PORT_OPEN);
	for (p = 1000; p < 1030; p++)
		port(es, p, EVENT_PORT_CLOSED);
	banner(es, 22, hostile, sizeof hostile - 1);
	buf = xmalloc(BIG_BANNER - 64);
	for (i = 0; i < BIG_BANNER - 64; i++)
		buf[i] = hostile[i % (sizeof hostile - 1)];
	banner(es, 80, buf, BIG_BANNER - 64);
	free(buf);

	if (argc < 3 || strcmp(argv[2], "interrupted") != 0) {
		memset(&end, 0, sizeof end);
		end.status = EVENT_END_DONE;
		end.wall_end = 1795913180;
		event_stream_emit(es, EVENT_SCAN_END, &end, sizeof end);
	}
close:
	event_stream_free(es);
	if (journal_close(j, &cause) != 0) {
		fprintf(stderr, "output-journal: %s\n", cause);
		return (1);
	}
	return (0);
}
