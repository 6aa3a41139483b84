/*
 * Service and version detection (-sV), a phase of the engine's loop:
 * once a group's ports are settled, each open TCP port is probed as
 * Nmap does. A connection, the greeting read (the NULL probe), then one
 * connection for each probe in order of likelihood for the port
 * (service_db_order()) until a match; a NULL probe that heard nothing
 * leaves its connection to the next probe, as Nmap's does. A softmatch
 * narrows the probes to those that can name its service; a match of
 * "ssl" starts over inside TLS (OpenSSL, service-tls.c) and keeps the
 * certificate; a match of "ssl/NAME" (Nmap's name for NAME seen through
 * TLS from outside) stands, and a handshake alone fetches the
 * certificate. A greeting
 * that ends (reset or closed) with nothing said within the probe's
 * tcpwrappedms is tcpwrapped; a connection that is refused or never
 * completes ends the port's probing.
 *
 * With -sU, open and open|filtered UDP ports get the UDP probes the same
 * way, each datagram from a connected UDP socket of its own (a probe,
 * as a connection is): a datagram back makes an open|filtered port
 * open (its own port record, reason udp-response), and an ICMP port
 * unreachable (ECONNREFUSED) ends its probing.
 *
 * Every socket and TLS step is non-blocking and driven by the loop's
 * epoll set. Politeness comes from the plan: each connection is a
 * probe, taken from the scan's and the host's token buckets (max_rate,
 * host_max_rate) and counted; a host has at most
 * service_max_connections (and host_max_outstanding) open at once.
 * A response is kept up to SVC_READ_MAX bytes, so a service that sends
 * a megabyte or a byte a second costs bounded memory and time (the
 * probe's totalwaitms).
 */
#include <sys/epoll.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "event.h"
#include "port-spec.h"
#include "scan-engine.h"
#include "service-tls.h"
#include "service.h"
#include "xmalloc.h"

#define SVC_READ_MAX	(32 * 1024)	/* of one response, kept */
#define SVC_BANNER_MAX	2048		/* of the greeting, recorded */
#define SVC_CONF_HARD	10
#define SVC_CONF_SOFT	8
#define SVC_CONF_TABLE	3

enum svc_state {
	SVC_WAIT,		/* for the limits to allow a connection */
	SVC_CONNECT,
	SVC_HANDSHAKE,		/* TLS */
	SVC_READ,		/* the probe is sent (or being sent) */
	SVC_DONE
};

struct scan_svc {
	struct scan_host	*host;
	uint16_t		 port;
	uint8_t			 proto;		/* PORT_TCP or PORT_UDP */
	bool			 was_open;	/* not open|filtered */
	bool			 replied;	/* a datagram came back */
	enum svc_state		 state;
	int			 fd;
	uint32_t		 events;	/* registered with epoll */
	struct service_tls	*tls;
	bool			 ssl;		/* probing inside TLS */
	bool			 cert_only;	/* a handshake, then done */
	size_t			*order;
	size_t			 norder;
	size_t			 next;		/* the probe in hand */
	uint8_t			*buf;		/* its response so far */
	size_t			 len;
	size_t			 sent;		/* of its bytes */
	uint64_t		 start_ns;
	uint64_t		 deadline_ns;
	struct service_info	 info;
	bool			 hard;
	bool			 soft;
	bool			 wrapped;
	struct service_cert	 cert;
	bool			 have_cert;
	uint8_t			*banner;
	size_t			 banner_len;
};

static const struct service_probe *svc_probe(const struct scan *,
		    const struct scan_svc *);
static bool	svc_can(const struct scan *, const struct scan_host *,
		    uint64_t);
static void	svc_order(struct scan *, struct scan_svc *);
static void	svc_watch(struct scan *, struct scan_svc *, uint32_t);
static void	svc_connect(struct scan *, struct scan_svc *, uint64_t);
static void	svc_connected(struct scan *, struct scan_svc *, uint64_t);
static void	svc_handshake(struct scan *, struct scan_svc *, uint64_t);
static void	svc_write(struct scan *, struct scan_svc *, uint64_t);
static void	svc_read(struct scan *, struct scan_svc *, uint64_t);
static bool	svc_match(struct scan *, struct scan_svc *);
static void	svc_response_end(struct scan *, struct scan_svc *, uint64_t,
		    bool);
static void	svc_close(struct scan *, struct scan_svc *);
static void	svc_next(struct scan *, struct scan_svc *, uint64_t, bool);
static void	svc_finish(struct scan *, struct scan_svc *);
static void	svc_string(char **, size_t *, uint32_t *,
		    enum event_service_key, const char *);
static void	svc_emit(struct scan *, struct scan_svc *);
static void	svc_free(struct scan_svc *);

int
scan_service_create(struct scan *s, char **cause)
{
	if (s->plan->service_intensity < 0)
		return (0);
	if ((s->tls_ctx = service_tls_ctx_create(cause)) == NULL)
		return (-1);
	s->svc_buf = xmalloc(SVC_READ_MAX);
	s->svc_order = xcalloc(s->plan->service_db->nprobes,
	    sizeof *s->svc_order);
	return (0);
}

void
scan_service_free(struct scan *s)
{
	scan_service_end(s);
	service_tls_ctx_free(s->tls_ctx);
	free(s->svc_buf);
	free(s->svc_order);
}

static const struct service_probe *
svc_probe(const struct scan *s, const struct scan_svc *j)
{
	return (&s->plan->service_db->probes[j->order[j->next]]);
}

static void
svc_order(struct scan *s, struct scan_svc *j)
{
	free(j->order);
	j->norder = service_db_order(s->plan->service_db, j->port, j->proto,
	    j->ssl, (unsigned)s->plan->service_intensity, s->svc_order);
	j->order = xcalloc(j->norder + 1, sizeof *j->order);
	memcpy(j->order, s->svc_order, j->norder * sizeof *j->order);
	j->next = 0;
}

/*
 * An open TCP port of host h, or an open or open|filtered UDP port (open
 * says whether it is open), to probe once the group's ports are done.
 */
void
scan_service_add(struct scan *s, struct scan_host *h, uint16_t port,
    uint8_t proto, bool open)
{
	struct scan_svc	*j;

	if (s->plan->service_intensity < 0)
		return;
	j = xcalloc(1, sizeof *j);
	j->host = h;
	j->port = port;
	j->proto = proto;
	j->was_open = open;
	j->fd = -1;
	svc_order(s, j);
	if (j->norder == 0) {		/* an Exclude'd port */
		svc_free(j);
		return;
	}
	if (s->nsvc == s->asvc) {
		s->asvc = s->asvc == 0 ? 16 : s->asvc * 2;
		s->svc = xreallocarray(s->svc, s->asvc, sizeof *s->svc);
	}
	s->svc[s->nsvc++] = j;
}

bool
scan_service_finished(const struct scan *s)
{
	return (s->svc_done == s->nsvc);
}

/* Are ports of host h still to be probed, or being probed? */
bool
scan_service_pending(const struct scan *s, const struct scan_host *h)
{
	size_t	i;

	for (i = 0; i < s->nsvc; i++)
		if (s->svc[i]->host == h && s->svc[i]->state != SVC_DONE)
			return (true);
	return (false);
}

/*
 * Host h is abandoned (host_timeout): its ports' probing ends where it
 * is, with no record, since none of its ports is a result.
 */
void
scan_service_abandon(struct scan *s, struct scan_host *h)
{
	struct scan_svc	*j;
	size_t		 i;

	for (i = 0; i < s->nsvc; i++) {
		j = s->svc[i];
		if (j->host != h || j->state == SVC_DONE)
			continue;
		svc_close(s, j);
		j->state = SVC_DONE;
		s->svc_done++;
	}
}

/*
 * May host h open another connection now? Its connections open (at most
 * service_max_connections and host_max_outstanding), then the host's
 * and the scan's token buckets, as for any probe.
 */
static bool
svc_can(const struct scan *s, const struct scan_host *h, uint64_t now)
{
	uint32_t	max = s->plan->service_max_connections;

	if (max > s->host_max_out)
		max = s->host_max_out;
	return (h->svc_open < max && now >= h->next_ns &&
	    rate_wait(&h->rate, now) == 0 && rate_wait(&s->rate, now) == 0);
}

void
scan_service_send(struct scan *s, uint64_t now)
{
	struct scan_svc	*j;
	size_t		 i;

	if (!s->svc_phase || s->paused || s->stop)
		return;
	for (i = 0; i < s->nsvc; i++) {
		j = s->svc[i];
		if (j->state == SVC_WAIT && svc_can(s, j->host, now))
			svc_connect(s, j, now);
	}
}

static void
svc_watch(struct scan *s, struct scan_svc *j, uint32_t events)
{
	struct epoll_event	ev;

	if (j->events == events)
		return;
	memset(&ev, 0, sizeof ev);
	ev.events = events;
	ev.data.ptr = j;
	if (epoll_ctl(s->epfd, j->events == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD,
	    j->fd, &ev) == -1) {
		s->stop = true;
		if (s->cause == NULL)
			xasprintf(&s->cause, "epoll: %s", strerror(errno));
		return;
	}
	j->events = events;
}

static void
svc_connect(struct scan *s, struct scan_svc *j, uint64_t now)
{
	struct scan_host	*h = j->host;
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	struct linger		 l = { 1, 0 };
	socklen_t		 len;

	memset(&ss, 0, sizeof ss);
	if (h->addr.family == AF_INET6) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(j->port);
		memcpy(&sin6->sin6_addr, h->addr.addr, 16);
		len = sizeof *sin6;
	} else {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(j->port);
		memcpy(&sin->sin_addr, h->addr.addr, 4);
		len = sizeof *sin;
	}
	rate_take(&s->rate, now);
	rate_take(&h->rate, now);
	h->next_ns = now + h->delay.delay_us * 1000;
	h->probes++;
	s->stats.probes++;
	if (h->probes > s->stats.max_host_probes)
		s->stats.max_host_probes = h->probes;
	j->fd = socket(h->addr.family, (j->proto == PORT_UDP ? SOCK_DGRAM :
	    SOCK_STREAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (j->fd == -1) {
		s->stop = true;
		if (s->cause == NULL)
			xasprintf(&s->cause, "socket: %s", strerror(errno));
		return;
	}
	/* Closing resets: no TIME_WAIT left on either side. */
	if (j->proto == PORT_TCP)
		(void)setsockopt(j->fd, SOL_SOCKET, SO_LINGER, &l,
		    sizeof l);
	h->svc_open++;
	j->events = 0;
	j->start_ns = now;
	j->deadline_ns = now + (uint64_t)svc_probe(s, j)->totalwaitms *
	    1000000;
	j->len = j->sent = 0;
	if (connect(j->fd, (struct sockaddr *)&ss, len) == 0) {
		svc_connected(s, j, now);
		return;
	}
	if (errno != EINPROGRESS) {
		svc_finish(s, j);
		return;
	}
	j->state = SVC_CONNECT;
	svc_watch(s, j, EPOLLOUT);
}

static void
svc_connected(struct scan *s, struct scan_svc *j, uint64_t now)
{
	char	*cause = NULL;

	if (!j->ssl) {
		j->state = SVC_READ;
		svc_write(s, j, now);
		return;
	}
	if ((j->tls = service_tls_new(s->tls_ctx, j->fd, &cause)) == NULL) {
		free(cause);
		svc_finish(s, j);
		return;
	}
	j->state = SVC_HANDSHAKE;
	svc_handshake(s, j, now);
}

static void
svc_handshake(struct scan *s, struct scan_svc *j, uint64_t now)
{
	uint32_t	events = 0;
	int		rc;

	rc = service_tls_handshake(j->tls, &events);
	if (rc == -2) {
		svc_watch(s, j, events);
		return;
	}
	if (rc != 1) {
		/* The ssl match said TLS, but no tunnel could be made. */
		j->ssl = false;
		svc_finish(s, j);
		return;
	}
	if (!j->have_cert)
		j->have_cert = service_tls_cert(j->tls, &j->cert) == 0;
	if (j->cert_only) {
		svc_finish(s, j);
		return;
	}
	j->state = SVC_READ;
	svc_write(s, j, now);
}

/* The rest of the probe's bytes, then wait for the response. */
static void
svc_write(struct scan *s, struct scan_svc *j, uint64_t now)
{
	const struct service_probe	*pr = svc_probe(s, j);
	uint32_t			 events = EPOLLOUT;
	ssize_t				 n;

	if (j->proto == PORT_UDP && j->sent == 0) {
		/* One datagram, whole or not at all; an empty one too. */
		n = send(j->fd, pr->data, pr->len, MSG_NOSIGNAL);
		if (n == -1 && (errno == EAGAIN || errno == EINTR)) {
			svc_watch(s, j, EPOLLOUT | EPOLLIN);
			return;
		}
		if (n < 0) {
			svc_response_end(s, j, now, true);
			return;
		}
		j->sent = pr->len;
	}
	while (j->sent < pr->len) {
		if (j->tls != NULL)
			n = service_tls_write(j->tls, pr->data + j->sent,
			    pr->len - j->sent, &events);
		else {
			n = send(j->fd, pr->data + j->sent, pr->len - j->sent,
			    MSG_NOSIGNAL);
			if (n == -1 && (errno == EAGAIN || errno == EINTR))
				n = -2;
		}
		if (n == -2) {
			svc_watch(s, j, events | EPOLLIN);
			return;
		}
		if (n < 0) {
			svc_response_end(s, j, now, true);
			return;
		}
		j->sent += (size_t)n;
	}
	svc_watch(s, j, EPOLLIN);
	/* TLS may hold decrypted bytes that epoll cannot see. */
	if (j->tls != NULL)
		svc_read(s, j, now);
}

static void
svc_read(struct scan *s, struct scan_svc *j, uint64_t now)
{
	uint32_t	events = EPOLLIN;
	ssize_t		n;
	size_t		room;

	for (;;) {
		room = SVC_READ_MAX - j->len;
		if (room == 0) {
			svc_response_end(s, j, now, false);
			return;
		}
		if (j->tls != NULL)
			n = service_tls_read(j->tls, s->svc_buf, room, &events);
		else {
			n = recv(j->fd, s->svc_buf, room, 0);
			if (n == -1 && (errno == EAGAIN || errno == EINTR))
				n = -2;
		}
		if (n == -2) {
			if (j->sent == svc_probe(s, j)->len)
				svc_watch(s, j, events);
			return;
		}
		if (n < 0 || (n == 0 && j->proto == PORT_TCP)) {
			svc_response_end(s, j, now, true);
			return;
		}
		/* Any datagram back: the UDP port is open. */
		j->replied = true;
		if (n == 0)
			continue;
		if (j->buf == NULL)
			j->buf = xmalloc(SVC_READ_MAX);
		memcpy(j->buf + j->len, s->svc_buf, (size_t)n);
		j->len += (size_t)n;
		if (svc_match(s, j))
			return;
	}
}

/*
 * Match what the probe in hand has had back so far. True when the
 * port's probing moved on (a match ended it, started TLS or narrowed
 * it to a softmatch's service): the caller must not touch the
 * connection again.
 */
static bool
svc_match(struct scan *s, struct scan_svc *j)
{
	const struct service_db	*db = s->plan->service_db;
	struct service_info	 m;

	if (service_db_match(db, j->order[j->next], j->buf, j->len,
	    j->soft ? j->info.service : NULL, &m) != 1)
		return (false);
	if (svc_probe(s, j)->len == 0 && j->banner == NULL) {
		j->banner_len = j->len < SVC_BANNER_MAX ? j->len :
		    SVC_BANNER_MAX;
		j->banner = xmalloc(j->banner_len);
		memcpy(j->banner, j->buf, j->banner_len);
	}
	if (m.soft) {
		if (!j->soft) {
			service_info_free(&j->info);
			j->info = m;
			j->soft = true;
		} else
			service_info_free(&m);
		svc_next(s, j, 0, false);
		return (true);
	}
	service_info_free(&j->info);
	j->info = m;
	j->soft = false;
	if ((strcmp(m.service, "ssl") == 0 ||
	    strncmp(m.service, "ssl/", 4) == 0) && !j->ssl &&
	    j->proto == PORT_TCP) {
		/*
		 * "ssl": start over inside the tunnel, for the certificate
		 * and what it hides. "ssl/http" already says what it hides
		 * (Nmap stops there too): a handshake for the certificate.
		 */
		j->ssl = true;
		j->hard = m.service[3] == '/';
		j->cert_only = j->hard;
		svc_close(s, j);
		j->state = SVC_WAIT;
		if (j->cert_only)
			return (true);
		svc_order(s, j);
		if (j->norder == 0)
			svc_finish(s, j);
		return (true);
	}
	j->hard = true;
	svc_finish(s, j);
	return (true);
}

/*
 * The probe's response is all there is: the connection ended (eof), the
 * time is up or the buffer is full. A greeting that ended in silence
 * soon enough is tcpwrapped; a NULL probe that heard nothing on a
 * connection still open hands it to the next probe; else the next probe
 * on a connection of its own.
 */
static void
svc_response_end(struct scan *s, struct scan_svc *j, uint64_t now, bool eof)
{
	const struct service_probe	*pr = svc_probe(s, j);

	if (pr->len == 0 && j->len > 0 && j->banner == NULL) {
		j->banner_len = j->len < SVC_BANNER_MAX ? j->len :
		    SVC_BANNER_MAX;
		j->banner = xmalloc(j->banner_len);
		memcpy(j->banner, j->buf, j->banner_len);
	}
	if (j->proto == PORT_UDP && eof) {
		/* Refused: an ICMP port unreachable, nothing listens. */
		svc_finish(s, j);
		return;
	}
	if (eof && j->len == 0 && pr->len == 0 && !j->ssl &&
	    j->proto == PORT_TCP &&
	    now - j->start_ns < (uint64_t)pr->tcpwrappedms * 1000000) {
		j->wrapped = true;
		svc_finish(s, j);
		return;
	}
	svc_next(s, j, now, !eof && j->len == 0 && pr->len == 0 &&
	    j->proto == PORT_TCP);
}

static void
svc_close(struct scan *s, struct scan_svc *j)
{
	service_tls_free(j->tls);
	j->tls = NULL;
	if (j->fd != -1) {
		close(j->fd);
		j->fd = -1;
		j->host->svc_open--;
	}
	j->events = 0;
	j->len = j->sent = 0;
}

/*
 * The next probe that may still name the port, or the end. With keep,
 * it is sent at once on the connection in hand (no SYN, nothing more
 * open); else it waits for a connection of its own.
 */
static void
svc_next(struct scan *s, struct scan_svc *j, uint64_t now, bool keep)
{
	const struct service_db	*db = s->plan->service_db;

	for (j->next++; j->next < j->norder; j->next++) {
		if (!j->soft || service_db_may_name(db, j->order[j->next],
		    j->info.service))
			break;
	}
	if (j->next >= j->norder) {
		svc_finish(s, j);
		return;
	}
	if (keep && j->fd != -1) {
		j->len = j->sent = 0;
		j->start_ns = now;
		j->deadline_ns = now + (uint64_t)svc_probe(s, j)->totalwaitms *
		    1000000;
		svc_write(s, j, now);
		return;
	}
	svc_close(s, j);
	j->state = SVC_WAIT;
}

static void
svc_finish(struct scan *s, struct scan_svc *j)
{
	svc_close(s, j);
	if (j->state == SVC_DONE)
		return;
	j->state = SVC_DONE;
	s->svc_done++;
	svc_emit(s, j);
	free(j->buf);
	j->buf = NULL;
}

/* Append "key=value\0" to the record being built. */
static void
svc_string(char **rec, size_t *len, uint32_t *n, enum event_service_key k,
    const char *v)
{
	size_t	kl = strlen(event_service_key(k)), vl;

	if (v == NULL)
		return;
	vl = strnlen(v, SERVICE_VALUE_MAX * 4);
	*rec = xreallocarray(*rec, 1, *len + kl + vl + 2);
	memcpy(*rec + *len, event_service_key(k), kl);
	(*rec)[*len + kl] = '=';
	memcpy(*rec + *len + kl + 1, v, vl);
	(*rec)[*len + kl + 1 + vl] = '\0';
	*len += kl + vl + 2;
	(*n)++;
}

/*
 * The port's records: open, for a UDP port that was open|filtered and
 * answered; its greeting (EVENT_SERVICE); then what it is.
 */
static void
svc_emit(struct scan *s, struct scan_svc *j)
{
	struct event_port		 ep;
	struct event_service		*b;
	struct event_service_info	*e;
	const char			*name;
	char				*rec;
	size_t				 len = sizeof *e, k;
	uint32_t			 n = 0;
	bool				 probed;

	if (j->proto == PORT_UDP && j->replied && !j->was_open) {
		memset(&ep, 0, sizeof ep);
		ep.addr = j->host->addr;
		ep.port = j->port;
		ep.proto = PORT_UDP;
		ep.state = EVENT_PORT_OPEN;
		ep.reason = EVENT_REASON_UDP_RESPONSE;
		ep.tries = 1;
		s->open_ports++;
		event_stream_emit(s->es, EVENT_PORT_STATE, &ep, sizeof ep);
	}
	if (j->banner != NULL) {
		b = xcalloc(1, sizeof *b + j->banner_len);
		b->addr = j->host->addr;
		b->port = j->port;
		b->proto = j->proto;
		b->len = (uint32_t)j->banner_len;
		memcpy(b + 1, j->banner, j->banner_len);
		event_stream_emit(s->es, EVENT_SERVICE, b,
		    sizeof *b + j->banner_len);
		free(b);
	}
	rec = xcalloc(1, len);
	e = (struct event_service_info *)rec;
	e->addr = j->host->addr;
	e->port = j->port;
	e->proto = j->proto;
	e->tunnel = j->ssl ? 1 : 0;
	if (j->hard || j->soft || (j->info.service != NULL && !j->ssl)) {
		/* An "ssl" match whose tunnel failed is still probed. */
		e->method = EVENT_SERVICE_PROBED;
		e->conf = j->soft ? SVC_CONF_SOFT : SVC_CONF_HARD;
		name = j->info.service;
	} else if (j->wrapped) {
		e->method = EVENT_SERVICE_PROBED;
		e->conf = SVC_CONF_SOFT;
		name = "tcpwrapped";
	} else {
		e->method = EVENT_SERVICE_TABLE;
		e->conf = SVC_CONF_TABLE;
		name = port_spec_service(j->port, j->proto);
		if (name == NULL)
			name = "unknown";
	}
	if (j->have_cert) {
		e->cert_not_before = j->cert.not_before;
		e->cert_not_after = j->cert.not_after;
		memcpy(e->cert_sha256, j->cert.sha256, sizeof e->cert_sha256);
	}
	probed = e->method == EVENT_SERVICE_PROBED && !j->wrapped;
	/* Nmap's "ssl/http" is http in a tunnel. */
	if (strncmp(name, "ssl/", 4) == 0 && name[4] != '\0') {
		e->tunnel = 1;
		name += 4;
	}
	/* Each string may move rec: e is not used after this. */
	svc_string(&rec, &len, &n, EVENT_SKEY_SERVICE, name);
	if (probed) {
		for (k = 0; k < SERVICE_FIELD_MAX; k++)
			svc_string(&rec, &len, &n,
			    (enum event_service_key)(EVENT_SKEY_PRODUCT + k),
			    j->info.field[k]);
		for (k = 0; k < j->info.ncpe; k++)
			svc_string(&rec, &len, &n, EVENT_SKEY_CPE,
			    j->info.cpe[k]);
	}
	if (j->have_cert) {
		svc_string(&rec, &len, &n, EVENT_SKEY_CERT_SUBJECT,
		    j->cert.subject);
		svc_string(&rec, &len, &n, EVENT_SKEY_CERT_ISSUER,
		    j->cert.issuer);
		for (k = 0; k < j->cert.nsan; k++)
			svc_string(&rec, &len, &n, EVENT_SKEY_CERT_SAN,
			    j->cert.san[k]);
	}
	((struct event_service_info *)rec)->nstrings = n;
	event_stream_emit(s->es, EVENT_SERVICE_INFO, rec, len);
	free(rec);
}

/* Time up for a connection, a handshake or a response. */
void
scan_service_timeouts(struct scan *s, uint64_t now)
{
	struct scan_svc	*j;
	size_t		 i;

	if (!s->svc_phase)
		return;
	for (i = 0; i < s->nsvc; i++) {
		j = s->svc[i];
		if (j->state == SVC_WAIT || j->state == SVC_DONE ||
		    j->deadline_ns > now)
			continue;
		if (j->state == SVC_READ)
			svc_response_end(s, j, now, false);
		else {
			/* It stopped answering: its probing ends. */
			if (j->state == SVC_HANDSHAKE)
				j->ssl = false;
			svc_finish(s, j);
		}
	}
}

/* When the phase next needs the loop without a packet: UINT64_MAX never. */
uint64_t
scan_service_deadline(const struct scan *s, uint64_t now)
{
	const struct scan_svc	*j;
	uint64_t		 next = UINT64_MAX, t;
	size_t			 i;
	uint32_t		 max = s->plan->service_max_connections;

	if (!s->svc_phase || s->paused)
		return (next);
	if (max > s->host_max_out)
		max = s->host_max_out;
	for (i = 0; i < s->nsvc; i++) {
		j = s->svc[i];
		if (j->state == SVC_DONE)
			continue;
		if (j->state != SVC_WAIT)
			t = j->deadline_ns;
		else if (j->host->svc_open >= max)
			continue;
		else {
			t = now + rate_wait(&j->host->rate, now);
			if (t < j->host->next_ns)
				t = j->host->next_ns;
			if (now + rate_wait(&s->rate, now) > t)
				t = now + rate_wait(&s->rate, now);
		}
		if (t < next)
			next = t;
	}
	return (next);
}

void
scan_service_event(struct scan *s, struct scan_svc *j, uint32_t events)
{
	uint64_t	now = clock_now_ns();
	socklen_t	len;
	int		err = 0;

	switch (j->state) {
	case SVC_CONNECT:
		len = sizeof err;
		if (getsockopt(j->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
			err = errno;
		if (err != 0) {
			/* Refused or unreachable now: nothing more to ask. */
			svc_finish(s, j);
			return;
		}
		svc_connected(s, j, now);
		break;
	case SVC_HANDSHAKE:
		svc_handshake(s, j, now);
		break;
	case SVC_READ:
		if (j->sent < svc_probe(s, j)->len) {
			svc_write(s, j, now);
			return;
		}
		svc_read(s, j, now);
		break;
	case SVC_WAIT:
	case SVC_DONE:
		break;
	}
}

static void
svc_free(struct scan_svc *j)
{
	free(j->order);
	free(j->buf);
	free(j->banner);
	service_info_free(&j->info);
	service_cert_free(&j->cert);
	free(j);
}

/* The group is over: close and forget its ports' probing. */
void
scan_service_end(struct scan *s)
{
	size_t	i;

	for (i = 0; i < s->nsvc; i++) {
		svc_close(s, s->svc[i]);
		svc_free(s->svc[i]);
	}
	free(s->svc);
	s->svc = NULL;
	s->nsvc = s->asvc = s->svc_done = 0;
	s->svc_phase = false;
}
