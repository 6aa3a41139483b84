/*
 * A stand-in engine for the shell tests of list, stop and attach: it
 * makes a scan directory as the engine does (journal, ring, control
 * socket, lock), prints the scan's ID, then writes a made-up scan of
 * 127.0.0.1 (every tenth port open) at a given rate, obeying pause,
 * resume, slower, faster and stop from the control socket. With -r it
 * resumes an interrupted scan as the engine must: from its journal, with
 * the pairs already decided skipped; with -d it detaches as `tact scan
 * --detach` does (cmd_detach). It sends no packet.
 *
 * usage: event-feeder [-d | -r id] pairs records-per-second
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "control.h"
#include "event.h"
#include "port-spec.h"
#include "results.h"
#include "scan-dir.h"
#include "strnum.h"
#include "xmalloc.h"

#define FEEDER_STRINGS	"args=event-feeder\0targets=127.0.0.1\0profile=test"

static uint64_t	now_ns(void);
static void	emit_start(struct event_stream *, uint64_t);
static void	emit_progress(struct event_stream *, uint64_t, uint64_t,
		    uint64_t, uint64_t, double);
static int	obey(struct scan_dir *, struct event_stream *, int *,
		    double *);

static uint64_t
now_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec);
}

static void
emit_start(struct event_stream *es, uint64_t pairs)
{
	char			 buf[sizeof (struct event_scan_start) +
				     sizeof FEEDER_STRINGS];
	struct event_scan_start	*st = (struct event_scan_start *)buf;

	memset(buf, 0, sizeof buf);
	st->hosts = 1;
	st->pairs = pairs;
	st->wall_start = (uint64_t)time(NULL);
	st->shard_count = 1;
	st->nstrings = 3;
	memcpy(st + 1, FEEDER_STRINGS, sizeof FEEDER_STRINGS);
	event_stream_emit(es, EVENT_SCAN_START, buf, sizeof buf);
}

/* Every pair below iter_done is decided: the position to resume from. */
static void
emit_progress(struct event_stream *es, uint64_t done, uint64_t iter_done,
    uint64_t total, uint64_t open, double rate)
{
	struct event_progress	p;

	memset(&p, 0, sizeof p);
	p.pairs_done = done;
	p.iter_done = iter_done;
	p.pairs_total = total;
	p.probes_sent = done;
	p.hosts_up = 1;
	p.open_ports = open;
	p.rate_milli = (uint32_t)(rate * 1000);
	p.eta_ms = UINT32_MAX;
	event_stream_emit(es, EVENT_PROGRESS, &p, sizeof p);
}

/* Answer one control command; 1 when told to stop. */
static int
obey(struct scan_dir *d, struct event_stream *es, int *paused, double *rate)
{
	enum event_control_action	 a;
	struct event_control		 c;
	char				*cause, detail[64];
	uid_t				 uid;
	int				 fd;

	if ((fd = control_accept(d->control_fd, d->control_uid, &a, &uid,
	    &cause)) == -1) {
		fprintf(stderr, "event-feeder: %s\n", cause);
		free(cause);
		return (0);
	}
	switch (a) {
	case EVENT_CONTROL_PAUSE:
		*paused = 1;
		break;
	case EVENT_CONTROL_RESUME:
		*paused = 0;
		break;
	case EVENT_CONTROL_SLOWER:
		*rate /= 2;
		break;
	case EVENT_CONTROL_FASTER:
		*rate *= 2;
		break;
	case EVENT_CONTROL_STOP:
		break;
	}
	memset(&c, 0, sizeof c);
	c.action = a;
	c.uid = (uint32_t)uid;
	c.rate = *rate;
	event_stream_emit(es, EVENT_CONTROL, &c, sizeof c);
	snprintf(detail, sizeof detail, "rate=%.1f", *rate);
	control_reply(fd, true, detail);
	return (a == EVENT_CONTROL_STOP);
}

int
main(int argc, char **argv)
{
	struct scan_dir_base	 b;
	struct scan_dir		*d;
	struct event_stream	*es;
	struct event_host	 host;
	struct event_port	 port;
	struct event_scan_end	 end;
	struct pollfd		 pfd;
	struct results		*res = NULL;
	const struct results_host *rh = NULL;
	struct results_port	 pbuf;
	uint64_t		 pairs, seq, done = 0, open = 0, start, last;
	uint64_t		 next = 0, done0;
	double			 rate;
	char			*cause, *resume = NULL;
	int			 paused = 0, stopped = 0, detach = 0;
	int			 ready = -1, rc;

	if (argc == 4 && strcmp(argv[1], "-d") == 0) {
		detach = 1;
		argc--;
		argv++;
	} else if (argc == 5 && strcmp(argv[1], "-r") == 0) {
		resume = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc != 3 ||
	    strnum_u64(argv[1], 1, 65535, &pairs, &cause) != 0 ||
	    strnum_double(argv[2], 1, 1e9, &rate, &cause) != 0) {
		fprintf(stderr,
		    "usage: event-feeder [-d | -r id] pairs rate\n");
		return (2);
	}
	if (scan_dir_base_init(&b, getenv("XDG_STATE_HOME"),
	    getenv("XDG_RUNTIME_DIR"), getenv("HOME"), getuid(), &cause) != 0 ||
	    (d = resume != NULL ? scan_dir_open(&b, resume, &cause) :
	    scan_dir_create(&b, &cause)) == NULL ||
	    (resume != NULL &&
	    (res = results_load_journal(d->journal, &cause)) == NULL)) {
		fprintf(stderr, "event-feeder: %s\n", cause);
		return (1);
	}
	if (detach) {
		if ((rc = cmd_detach(d->id, &ready, &cause)) == -1) {
			fprintf(stderr, "event-feeder: %s\n", cause);
			return (1);
		}
		if (rc >= 0) {
			scan_dir_free(d);
			scan_dir_base_free(&b);
			return (rc);
		}
	}
	es = event_stream_create();
	if (scan_dir_start(d, es, resume != NULL, &seq, &cause) != 0) {
		fprintf(stderr, "event-feeder: %s\n", cause);
		return (1);
	}
	if (detach)
		cmd_detach_ready(ready);
	else {
		printf("%s\n", d->id);
		fflush(stdout);
	}

	memset(&host, 0, sizeof host);
	host.addr.family = 2;
	memcpy(host.addr.addr, "\177\0\0\1", 4);
	if (resume != NULL) {
		event_stream_set_seq(es, seq);
		next = results_progress(res)->iter_done;
		if ((rh = results_host_find(res, &host.addr)) != NULL) {
			done = results_port_count(rh, 0);
			open = rh->nstate[EVENT_PORT_OPEN];
		}
	} else {
		emit_start(es, pairs);
		host.state = EVENT_HOST_UP;
		host.reason = EVENT_REASON_LOCALHOST;
		event_stream_emit(es, EVENT_HOST_STATE, &host, sizeof host);
	}

	done0 = done;
	pfd.fd = d->control_fd;
	pfd.events = POLLIN;
	start = last = now_ns();
	while (next < pairs && !stopped) {
		if (poll(&pfd, 1, paused ? 100 : 0) == 1)
			stopped = obey(d, es, &paused, &rate);
		if (paused || stopped)
			continue;
		/* Port pair + 1: decided before the interruption? */
		if (rh != NULL && results_port_find(rh, (uint16_t)(next + 1),
		    PORT_TCP, &pbuf) != NULL) {
			next++;
			continue;
		}
		if ((double)(done - done0) * 1e9 >
		    rate * (double)(now_ns() - start + 1)) {
			usleep(200);
			continue;
		}
		memset(&port, 0, sizeof port);
		port.addr = host.addr;
		port.port = (uint16_t)(next + 1);
		port.proto = PORT_TCP;
		port.state = port.port % 10 == 0 ? EVENT_PORT_OPEN :
		    EVENT_PORT_CLOSED;
		port.reason = port.port % 10 == 0 ? EVENT_REASON_SYN_ACK :
		    EVENT_REASON_RESET;
		next++;
		event_stream_emit(es, EVENT_PORT_STATE, &port, sizeof port);
		done++;
		if (port.state == EVENT_PORT_OPEN)
			open++;
		if (now_ns() - last >= 100000000ULL) {
			emit_progress(es, done, next, pairs, open, rate);
			last = now_ns();
		}
		if (scan_dir_tick(d, &cause) != 0) {
			fprintf(stderr, "event-feeder: %s\n", cause);
			return (1);
		}
	}
	emit_progress(es, done, next, pairs, open, rate);
	memset(&end, 0, sizeof end);
	end.status = stopped ? EVENT_END_STOPPED : EVENT_END_DONE;
	end.wall_end = (uint64_t)time(NULL);
	event_stream_emit(es, EVENT_SCAN_END, &end, sizeof end);
	if (scan_dir_finish(d, &cause) != 0) {
		fprintf(stderr, "event-feeder: %s\n", cause);
		return (1);
	}
	results_free(res);
	scan_dir_free(d);
	event_stream_free(es);
	scan_dir_base_free(&b);
	return (0);
}
