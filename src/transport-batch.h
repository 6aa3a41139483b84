/*
 * Probes on their way to a raw socket, sent many to a system call
 * (sendmmsg) by threads of their own: the raw transport queues each
 * packet here, the engine flushes what is queued once it has sent what
 * its limits allow, and a sending thread hands it to the kernel.
 */
#ifndef TRANSPORT_BATCH_H
#define TRANSPORT_BATCH_H

#include <sys/socket.h>

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "probe.h"

#define TRANSPORT_BATCH_MAX	64	/* packets a sendmmsg */
#define TRANSPORT_BATCH_SLOTS	8	/* batches queued, the one filling too */
#define TRANSPORT_BATCH_THREADS	2	/* sending threads */

struct transport_batch_slot {
	unsigned int		 n;
	bool			 done;
	struct mmsghdr		 msg[TRANSPORT_BATCH_MAX];
	struct iovec		 iov[TRANSPORT_BATCH_MAX];
	struct sockaddr_storage	 addr[TRANSPORT_BATCH_MAX];
	uint8_t			 buf[TRANSPORT_BATCH_MAX][PROBE_PACKET_MAX];
};

struct transport_batch {
	int			 fd;
	/* sendmmsg(2); a test puts its own here. */
	int			(*sendmmsg)(int, struct mmsghdr *, unsigned int,
				    int);
	/*
	 * slot[head % TRANSPORT_BATCH_SLOTS] is filling (the engine's);
	 * slots tail to head - 1 are queued (the sending threads'): those
	 * before next taken by a thread, some of them done. Everything
	 * here but the slots' packets is under lock; a slot's packets are
	 * only ever one thread's at a time.
	 */
	pthread_mutex_t		 lock;
	pthread_cond_t		 queued;	/* head moved, or stop */
	pthread_cond_t		 sent;		/* tail moved */
	unsigned int		 head;
	unsigned int		 tail;
	unsigned int		 next;		/* the next queued to take */
	int			 error;		/* first failed send's errno */
	bool			 stop;
	unsigned int		 nthreads;	/* started */
	pthread_t		 thread[TRANSPORT_BATCH_THREADS];
	struct transport_batch_slot slot[TRANSPORT_BATCH_SLOTS];
};

void	transport_batch_init(struct transport_batch *, int);
/* Send what is queued, stop the sending thread; the batch is unusable. */
void	transport_batch_free(struct transport_batch *);
/* Queue a packet to addr; a full batch is flushed first. 0, or -1. */
int	transport_batch_add(struct transport_batch *, const void *, size_t,
	    const struct sockaddr *, socklen_t, char **);
/*
 * Hand every packet queued to the sending threads (the first started
 * on the first full batch, so that it is made after privileges are
 * dropped and inherits the system call filter; more while batches
 * wait), waiting only while TRANSPORT_BATCH_SLOTS batches are still
 * unsent; a partial batch with none queued is sent by the caller. A
 * batch goes in order, however few each call takes; a packet the
 * kernel has no buffer for (ENOBUFS, EAGAIN) is dropped, as a probe
 * lost on the way. 0, or -1 and cause once a send has failed with any
 * other error (the rest of its batch is not sent).
 */
int	transport_batch_flush(struct transport_batch *, char **);
/* transport_batch_flush, and wait until all is sent. */
int	transport_batch_sync(struct transport_batch *, char **);

#endif
