/*
 * Batched sends for the raw transport (transport-batch.h), by threads
 * of their own. At line rate a system call a probe costs as much as
 * making the probe, so packets are copied into a batch of
 * TRANSPORT_BATCH_MAX and handed to the kernel with one sendmmsg. And
 * on a local link that call carries the whole way of the packet and its
 * answer (the kernel runs the receiving side's softirq in the sender's
 * context): at brisk rates nearly all of the engine's time. So sending
 * threads pay it, on other CPUs, while the engine makes the next probes
 * and reads the replies: the first starts on the first full batch
 * (after privileges are dropped, so it inherits the system call
 * filter), and another, up to TRANSPORT_BATCH_THREADS, whenever more
 * batches wait than threads send. A partial batch with none queued
 * (a polite scan's few probes a turn) the caller sends itself, at once. Batches may then leave
 * out of order, a packet's own never. The engine waits only when
 * TRANSPORT_BATCH_SLOTS batches are unsent, so what it released can be
 * late on the wire by at most that many batches; the rate limits stay
 * the engine's. The kernel may take fewer than it is given (a short
 * count); the rest go in the next call.
 */
#include <sys/socket.h>

#include <errno.h>
#include <signal.h>
#include <string.h>

#include "transport-batch.h"
#include "xmalloc.h"

static void	*transport_batch_main(void *);
static int	 transport_batch_send(struct transport_batch *,
		     struct transport_batch_slot *);
static int	 transport_batch_error(struct transport_batch *, char **);
static int	 transport_batch_start(struct transport_batch *, char **);

void
transport_batch_init(struct transport_batch *b, int fd)
{
	memset(b, 0, sizeof *b);
	b->fd = fd;
	b->sendmmsg = sendmmsg;
	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->queued, NULL);
	pthread_cond_init(&b->sent, NULL);
}

void
transport_batch_free(struct transport_batch *b)
{
	unsigned int	i;

	pthread_mutex_lock(&b->lock);
	b->stop = true;
	pthread_cond_broadcast(&b->queued);
	pthread_mutex_unlock(&b->lock);
	for (i = 0; i < b->nthreads; i++)
		pthread_join(b->thread[i], NULL);
	pthread_cond_destroy(&b->sent);
	pthread_cond_destroy(&b->queued);
	pthread_mutex_destroy(&b->lock);
}

int
transport_batch_add(struct transport_batch *b, const void *buf, size_t len,
    const struct sockaddr *sa, socklen_t salen, char **cause)
{
	struct transport_batch_slot	*sl;
	struct mmsghdr			*m;

	sl = &b->slot[b->head % TRANSPORT_BATCH_SLOTS];
	if (sl->n == TRANSPORT_BATCH_MAX) {
		if (transport_batch_flush(b, cause) != 0)
			return (-1);
		sl = &b->slot[b->head % TRANSPORT_BATCH_SLOTS];
	}
	if (len > sizeof sl->buf[0] || salen > sizeof sl->addr[0]) {
		xasprintf(cause, "send: packet too long");
		return (-1);
	}
	memcpy(sl->buf[sl->n], buf, len);
	memcpy(&sl->addr[sl->n], sa, salen);
	sl->iov[sl->n].iov_base = sl->buf[sl->n];
	sl->iov[sl->n].iov_len = len;
	m = &sl->msg[sl->n];
	memset(m, 0, sizeof *m);
	m->msg_hdr.msg_name = &sl->addr[sl->n];
	m->msg_hdr.msg_namelen = salen;
	m->msg_hdr.msg_iov = &sl->iov[sl->n];
	m->msg_hdr.msg_iovlen = 1;
	sl->n++;
	return (0);
}

int
transport_batch_flush(struct transport_batch *b, char **cause)
{
	struct transport_batch_slot	*sl;
	bool				 idle, more;
	int				 error;

	sl = &b->slot[b->head % TRANSPORT_BATCH_SLOTS];
	if (sl->n == 0)
		return (transport_batch_error(b, cause));
	/*
	 * A partial batch with none queued, as a polite scan sends: the
	 * caller sends it, so that it is on the wire when the engine
	 * starts its timeout, however late a thread would be scheduled.
	 */
	pthread_mutex_lock(&b->lock);
	idle = b->head == b->tail;
	pthread_mutex_unlock(&b->lock);
	if (idle && sl->n < TRANSPORT_BATCH_MAX) {
		error = transport_batch_send(b, sl);
		pthread_mutex_lock(&b->lock);
		if (b->error == 0)
			b->error = error;
		pthread_mutex_unlock(&b->lock);
		return (transport_batch_error(b, cause));
	}
	pthread_mutex_lock(&b->lock);
	b->head++;
	pthread_cond_signal(&b->queued);
	/* More batches wait than threads send: one more, if allowed. */
	more = b->head - b->tail > b->nthreads &&
	    b->nthreads < TRANSPORT_BATCH_THREADS;
	pthread_mutex_unlock(&b->lock);
	if (more && transport_batch_start(b, cause) != 0)
		return (-1);
	pthread_mutex_lock(&b->lock);
	/* The next slot to fill must be off the queue. */
	while (b->head - b->tail == TRANSPORT_BATCH_SLOTS)
		pthread_cond_wait(&b->sent, &b->lock);
	pthread_mutex_unlock(&b->lock);
	return (transport_batch_error(b, cause));
}

/* Start a sending thread, its signals blocked: they are the engine's. */
static int
transport_batch_start(struct transport_batch *b, char **cause)
{
	sigset_t	all, old;
	int		error;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	error = pthread_create(&b->thread[b->nthreads], NULL,
	    transport_batch_main, b);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (error != 0) {
		xasprintf(cause, "send: thread: %s", strerror(error));
		return (-1);
	}
	pthread_mutex_lock(&b->lock);
	b->nthreads++;
	pthread_mutex_unlock(&b->lock);
	return (0);
}

int
transport_batch_sync(struct transport_batch *b, char **cause)
{
	if (transport_batch_flush(b, cause) != 0)
		return (-1);
	pthread_mutex_lock(&b->lock);
	while (b->tail != b->head)
		pthread_cond_wait(&b->sent, &b->lock);
	pthread_mutex_unlock(&b->lock);
	return (transport_batch_error(b, cause));
}

/* The first failed send's error, if any. */
static int
transport_batch_error(struct transport_batch *b, char **cause)
{
	int	error;

	pthread_mutex_lock(&b->lock);
	error = b->error;
	pthread_mutex_unlock(&b->lock);
	if (error == 0)
		return (0);
	xasprintf(cause, "send: %s", error == -1 ? "nothing sent" :
	    strerror(error));
	return (-1);
}

/*
 * A sending thread: the oldest batch nobody sends yet, until stopped
 * and none is left. tail passes a batch once it and all before it are
 * sent.
 */
static void *
transport_batch_main(void *arg)
{
	struct transport_batch	*b = arg;
	int			 error;

	struct transport_batch_slot *sl;

	pthread_mutex_lock(&b->lock);
	for (;;) {
		while (b->next == b->head && !b->stop)
			pthread_cond_wait(&b->queued, &b->lock);
		if (b->next == b->head)
			break;
		sl = &b->slot[b->next++ % TRANSPORT_BATCH_SLOTS];
		pthread_mutex_unlock(&b->lock);
		error = transport_batch_send(b, sl);
		pthread_mutex_lock(&b->lock);
		if (b->error == 0)
			b->error = error;
		sl->done = true;
		while (b->tail != b->next &&
		    b->slot[b->tail % TRANSPORT_BATCH_SLOTS].done) {
			b->slot[b->tail % TRANSPORT_BATCH_SLOTS].done = false;
			b->tail++;
		}
		pthread_cond_signal(&b->sent);
	}
	pthread_mutex_unlock(&b->lock);
	return (NULL);
}

/* Send one batch; 0, or the errno that stopped it (-1: none given). */
static int
transport_batch_send(struct transport_batch *b,
    struct transport_batch_slot *sl)
{
	unsigned int	off = 0;
	int		r, error = 0;

	while (off < sl->n) {
		r = b->sendmmsg(b->fd, sl->msg + off, sl->n - off, 0);
		if (r > 0) {
			off += (unsigned int)r;
			continue;
		}
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && (errno == ENOBUFS || errno == EAGAIN)) {
			off++;
			continue;
		}
		error = r == -1 ? errno : -1;
		break;
	}
	sl->n = 0;
	return (error);
}
