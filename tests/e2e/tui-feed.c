/*
 * A scan's event records for the dashboard's tests, written through the
 * real scan directory, journal, ring and control socket, with no engine
 * and no packet: hosts in 198.18.0.0/15 that are only records. It prints
 * the scan's ID, then with -s SECONDS keeps the scan running that long
 * (a progress record every 100 ms, answering pause, resume, slower,
 * faster and stop), and ends it. With -p PORTS the first host also has
 * that many closed ports, 1000 on. With -t the last host is abandoned at
 * host_timeout, as the engine does it: a warning, then its timeout.
 *
 *	tui-feed [-n hosts] [-p ports] [-s seconds] [-t]
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <err.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "control.h"
#include "event.h"
#include "port-spec.h"
#include "scan-dir.h"
#include "strnum.h"

struct feed {
	struct event_stream	*es;
	struct scan_dir		*d;
	struct event_progress	 p;
	bool			 paused;
	double			 rate;
	bool			 stop;
};

/* Host i: 198.18.0.10 on, 240 a /24, into 198.19.0.0/16. */
static void
feed_addr(struct target_addr *a, unsigned i)
{
	memset(a, 0, sizeof *a);
	a->family = AF_INET;
	a->addr[0] = 198;
	a->addr[3] = (uint8_t)(10 + i % 240);
	i /= 240;
	a->addr[2] = (uint8_t)(i % 256);
	a->addr[1] = (uint8_t)(18 + i / 256);
}

static void
feed_start(struct feed *f, unsigned hosts)
{
	char			buf[512];
	struct event_scan_start	s;
	int			len;

	memset(&s, 0, sizeof s);
	s.hosts = hosts;
	s.pairs = (uint64_t)hosts * 3;
	s.wall_start = (uint64_t)time(NULL);
	s.shard_count = 1;
	s.nstrings = 6;
	memcpy(buf, &s, sizeof s);
	len = snprintf(buf + sizeof s, sizeof buf - sizeof s,
	    "targets=198.18.0.0/15 (%u hosts)%cprofile=polite%c"
	    "purpose=dashboard test%cmax_rate=100%chost_max_rate=10%c"
	    "group_size=32", hosts, '\0', '\0', '\0', '\0', '\0');
	event_stream_emit(f->es, EVENT_SCAN_START, buf, sizeof s +
	    (size_t)len + 1);
}

static void
feed_port(struct feed *f, const struct target_addr *a, uint16_t port,
    uint8_t state, uint8_t reason)
{
	struct event_port	e;

	memset(&e, 0, sizeof e);
	e.addr = *a;
	e.port = port;
	e.proto = PORT_TCP;
	e.state = state;
	e.reason = reason;
	e.ttl = 64;
	e.tries = 1;
	e.rtt_us = 800;
	event_stream_emit(f->es, EVENT_PORT_STATE, &e, sizeof e);
	f->p.pairs_done++;
	if (state == EVENT_PORT_OPEN)
		f->p.open_ports++;
}

static void
feed_text(struct feed *f, enum event_type type, const void *head,
    size_t hlen, const char *text)
{
	char	buf[512];

	memcpy(buf, head, hlen);
	memcpy(buf + hlen, text, strlen(text));
	event_stream_emit(f->es, type, buf, hlen + strlen(text));
}

/* Host i: up, ssh open with a hostile banner, http closed, https filtered. */
static void
feed_host(struct feed *f, unsigned i)
{
	struct event_host	h;
	struct event_service	s;
	struct event_warning	w;
	static const char	banner[] = "SSH-2.0-Feed\x1b[2J\x1b]0;owned\x07";
	char			text[128], name[64];

	memset(&h, 0, sizeof h);
	feed_addr(&h.addr, i);
	h.state = EVENT_HOST_UP;
	h.reason = EVENT_REASON_ECHO_REPLY;
	h.ttl = 64;
	h.rtt_us = 400 + 100 * (i % 50);
	h.probes = 1;
	event_stream_emit(f->es, EVENT_HOST_STATE, &h, sizeof h);
	f->p.hosts_up++;
	if (i % 2 == 0)
		feed_port(f, &h.addr, 22, EVENT_PORT_OPEN,
		    EVENT_REASON_SYN_ACK);
	else
		feed_port(f, &h.addr, 22, EVENT_PORT_CLOSED,
		    EVENT_REASON_RESET);
	feed_port(f, &h.addr, 80, EVENT_PORT_CLOSED, EVENT_REASON_RESET);
	feed_port(f, &h.addr, 443, EVENT_PORT_FILTERED,
	    EVENT_REASON_NO_RESPONSE);
	if (i % 2 == 0) {
		memset(&s, 0, sizeof s);
		s.addr = h.addr;
		s.port = 22;
		s.proto = PORT_TCP;
		s.len = sizeof banner - 1;
		feed_text(f, EVENT_SERVICE, &s, sizeof s, banner);
	}
	if (i == 1) {
		memset(&w, 0, sizeof w);
		w.addr = h.addr;
		snprintf(text, sizeof text, "%s is rate-limiting RSTs: "
		    "slowed to 20/s", target_addr_str(&h.addr, name,
		    sizeof name));
		w.len = (uint32_t)strlen(text);
		feed_text(f, EVENT_WARNING, &w, sizeof w, text);
		h.state = EVENT_HOST_SILENT;
		h.probes = 40;
		event_stream_emit(f->es, EVENT_HOST_STATE, &h, sizeof h);
	}
}

/* Host i, abandoned at host_timeout: what it found is no result. */
static void
feed_timeout(struct feed *f, unsigned i)
{
	struct event_host	h;
	struct event_warning	w;
	char			text[128], addr[64];

	memset(&h, 0, sizeof h);
	feed_addr(&h.addr, i);
	memset(&w, 0, sizeof w);
	w.addr = h.addr;
	snprintf(text, sizeof text, "%s took longer than the host timeout "
	    "(1.000 s): skipped, its ports left out",
	    target_addr_str(&h.addr, addr, sizeof addr));
	w.len = (uint32_t)strlen(text);
	feed_text(f, EVENT_WARNING, &w, sizeof w, text);
	h.state = EVENT_HOST_TIMEOUT;
	h.probes = 3;
	event_stream_emit(f->es, EVENT_HOST_STATE, &h, sizeof h);
}

static void
feed_progress(struct feed *f)
{
	f->p.probes_sent = f->p.pairs_done + f->p.retransmits;
	f->p.replies = f->p.pairs_done;
	f->p.rate_milli = f->paused ? 0 : (uint32_t)(f->rate * 1000);
	f->p.cwnd = 4;
	f->p.state_max = 1024;
	f->p.state_entries = f->p.probes_sent < 1024 ?
	    (uint32_t)f->p.probes_sent : 1024;
	event_stream_emit(f->es, EVENT_PROGRESS, &f->p, sizeof f->p);
}

/* Answer one control command with a control record, as the engine does. */
static void
feed_control(struct feed *f)
{
	struct event_control		c;
	enum event_control_action	a;
	uid_t				uid;
	char				*cause;
	int				fd;

	if ((fd = control_accept(f->d->control_fd, f->d->control_uid, &a,
	    &uid, &cause)) == -1) {
		free(cause);
		return;
	}
	switch (a) {
	case EVENT_CONTROL_PAUSE:
		f->paused = true;
		break;
	case EVENT_CONTROL_RESUME:
		f->paused = false;
		break;
	case EVENT_CONTROL_SLOWER:
		f->rate /= 2;
		break;
	case EVENT_CONTROL_FASTER:
		f->rate = f->rate * 2 > 10 ? 10 : f->rate * 2;
		break;
	case EVENT_CONTROL_STOP:
		f->stop = true;
		break;
	}
	memset(&c, 0, sizeof c);
	c.action = a;
	c.uid = (uint32_t)uid;
	c.rate = f->rate;
	event_stream_emit(f->es, EVENT_CONTROL, &c, sizeof c);
	control_reply(fd, true, NULL);
}

int
main(int argc, char **argv)
{
	struct scan_dir_base	 base;
	struct feed		 f;
	struct event_scan_end	 end;
	struct pollfd		 pfd;
	struct target_addr	 a;
	uint64_t		 last, n = 6, seconds = 0, v, ticks, ports = 0;
	char			*cause;
	unsigned		 i;
	int			 ch;
	bool			 timeout = false;

	while ((ch = getopt(argc, argv, "n:p:s:t")) != -1) {
		if (ch == 't') {
			timeout = true;
			continue;
		}
		if (ch != 'n' && ch != 'p' && ch != 's')
			errx(2, "usage: tui-feed [-n hosts] [-p ports] "
			    "[-s seconds] [-t]");
		if (strnum_u64(optarg, ch == 'n' ? 1 : 0, 120000, &v,
		    &cause) != 0)
			errx(2, "-%c: %s", ch, cause);
		if (ch == 'n')
			n = v;
		else if (ch == 'p')
			ports = v;
		else
			seconds = v;
	}
	memset(&f, 0, sizeof f);
	f.rate = 10;
	if (scan_dir_base_init(&base, getenv("XDG_STATE_HOME"),
	    getenv("XDG_RUNTIME_DIR"), getenv("HOME"), getuid(),
	    &cause) != 0 || (f.d = scan_dir_create(&base, &cause)) == NULL)
		errx(1, "%s", cause);
	f.es = event_stream_create();
	if (scan_dir_start(f.d, f.es, false, &last, &cause) != 0)
		errx(1, "%s", cause);
	printf("%s\n", f.d->id);
	fflush(stdout);

	f.p.pairs_total = n * 3 + ports + seconds * 10;
	f.p.eta_ms = UINT32_MAX;
	feed_start(&f, (unsigned)n);
	for (i = 0; i < n; i++)
		feed_host(&f, i);
	if (timeout)
		feed_timeout(&f, (unsigned)n - 1);
	feed_addr(&a, 0);
	for (i = 0; i < ports; i++)
		feed_port(&f, &a, (uint16_t)(1000 + i), EVENT_PORT_CLOSED,
		    EVENT_REASON_RESET);
	feed_progress(&f);
	if (scan_dir_tick(f.d, &cause) != 0)
		errx(1, "%s", cause);

	pfd.fd = f.d->control_fd;
	pfd.events = POLLIN;
	for (ticks = 0; ticks < seconds * 10 && !f.stop; ticks++) {
		if (poll(&pfd, 1, 100) == 1)
			feed_control(&f);
		if (!f.paused) {
			f.p.pairs_done++;
			f.p.eta_ms = (uint32_t)((seconds * 10 - ticks) * 100);
		}
		feed_progress(&f);
		if (scan_dir_tick(f.d, &cause) != 0)
			errx(1, "%s", cause);
	}
	memset(&end, 0, sizeof end);
	end.status = f.stop ? EVENT_END_STOPPED : EVENT_END_DONE;
	end.wall_end = (uint64_t)time(NULL);
	if (!f.stop)
		f.p.pairs_done = f.p.pairs_total;
	feed_progress(&f);
	event_stream_emit(f.es, EVENT_SCAN_END, &end, sizeof end);
	if (scan_dir_finish(f.d, &cause) != 0)
		errx(1, "%s", cause);
	scan_dir_free(f.d);
	event_stream_free(f.es);
	scan_dir_base_free(&base);
	return (0);
}
