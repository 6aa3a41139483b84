/*
 * Batched sends: a flush sends what is queued, a partial batch too and
 * in order, full batches from a thread other than the engine's and a
 * lone partial one from the caller; a full batch is flushed before the
 * next packet is queued; a short count from sendmmsg
 * sends the rest in the next call; a packet the kernel has no buffer
 * for is dropped and the rest still go; any other error is the cause;
 * a second sending thread starts when batches wait. sendmmsg is
 * replaced by a recorder (batches may be recorded in any order, a
 * batch's packets in theirs); a sync waits for the sending threads
 * before the record is read.
 */
#include <netinet/in.h>

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "unit.h"

#include "transport-batch.h"

static struct {
	int		 take;		/* the most a call takes; 0: all */
	int		 fail_at;	/* a packet's first byte that fails */
	int		 err;
	int		 calls;
	uint8_t		 sent[512];	/* each packet's first byte */
	int		 nsent;
	pthread_t	 thread;	/* the last caller */
	pthread_t	 threads[2];	/* the first two callers */
	int		 nthreads;
	int		 hold;		/* calls wait while set */
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
} rec = { .lock = PTHREAD_MUTEX_INITIALIZER,
    .cond = PTHREAD_COND_INITIALIZER };

static int
rec_sendmmsg(int fd, struct mmsghdr *m, unsigned int n, int flags)
{
	unsigned int	i;
	uint8_t		first;
	int		k;

	pthread_mutex_lock(&rec.lock);
	rec.calls++;
	rec.thread = pthread_self();
	for (k = 0; k < rec.nthreads; k++)
		if (pthread_equal(rec.threads[k], rec.thread))
			break;
	if (k == rec.nthreads && k < 2)
		rec.threads[rec.nthreads++] = rec.thread;
	pthread_cond_broadcast(&rec.cond);
	while (rec.hold)
		pthread_cond_wait(&rec.cond, &rec.lock);
	if (rec.take > 0 && n > (unsigned int)rec.take)
		n = (unsigned int)rec.take;
	for (i = 0; i < n; i++) {
		first = ((uint8_t *)m[i].msg_hdr.msg_iov->iov_base)[0];
		if (first == rec.fail_at) {
			if (i > 0)
				break;		/* short; the error next */
			rec.fail_at = -1;
			pthread_mutex_unlock(&rec.lock);
			errno = rec.err;
			return (-1);
		}
		rec.sent[rec.nsent++] = first;
	}
	pthread_mutex_unlock(&rec.lock);
	return ((int)i);
}

static void
batch_setup(struct transport_batch *b)
{
	rec.take = rec.err = rec.calls = rec.nsent = rec.nthreads = 0;
	rec.hold = 0;
	rec.fail_at = -1;
	transport_batch_init(b, -1);
	b->sendmmsg = rec_sendmmsg;
}

/* Were packets 0 to n - 1 each sent once, whatever the batches' order? */
static int
batch_all_sent(int n)
{
	int	seen[512], i;

	if (rec.nsent != n)
		return (0);
	memset(seen, 0, sizeof seen);
	for (i = 0; i < n; i++)
		if (rec.sent[i] >= n || seen[rec.sent[i]]++ != 0)
			return (0);
	return (1);
}

static int
batch_add(struct transport_batch *b, uint8_t first, char **cause)
{
	struct sockaddr_in	sin;
	uint8_t			pkt[40];

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	memset(pkt, 0, sizeof pkt);
	pkt[0] = first;
	return (transport_batch_add(b, pkt, sizeof pkt,
	    (struct sockaddr *)&sin, sizeof sin, cause));
}

static void
test_transport_batch_flushes_a_partial_batch_in_order(void)
{
	struct transport_batch	*b = malloc(sizeof *b);
	char			*cause = NULL;
	int			 i;

	batch_setup(b);
	for (i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(batch_add(b, (uint8_t)i, &cause), 0);
	CU_ASSERT_EQUAL(rec.calls, 0);		/* queued, not sent */
	CU_ASSERT_EQUAL(transport_batch_sync(b, &cause), 0);
	CU_ASSERT_EQUAL(rec.calls, 1);
	CU_ASSERT_EQUAL(rec.nsent, 3);
	for (i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(rec.sent[i], i);
	/* Nothing queued: nothing sent. */
	CU_ASSERT_EQUAL(transport_batch_sync(b, &cause), 0);
	CU_ASSERT_EQUAL(rec.calls, 1);
	transport_batch_free(b);
	free(b);
}

static void
test_transport_batch_sends_a_full_batch_before_the_next(void)
{
	struct transport_batch	*b = malloc(sizeof *b);
	char			*cause = NULL;
	int			 i;

	batch_setup(b);
	for (i = 0; i < TRANSPORT_BATCH_MAX + 1; i++)
		CU_ASSERT_EQUAL(batch_add(b, (uint8_t)i, &cause), 0);
	CU_ASSERT_EQUAL(b->head, 1);		/* the first handed on */
	CU_ASSERT_EQUAL(b->slot[1].n, 1);
	CU_ASSERT_EQUAL(transport_batch_sync(b, &cause), 0);
	CU_ASSERT_EQUAL(rec.calls, 2);
	CU_ASSERT_TRUE(batch_all_sent(TRANSPORT_BATCH_MAX + 1));
	transport_batch_free(b);
	free(b);
}

static void
test_transport_batch_sends_the_rest_after_a_short_count(void)
{
	struct transport_batch	*b = malloc(sizeof *b);
	char			*cause = NULL;
	int			 i;

	batch_setup(b);
	rec.take = 3;
	for (i = 0; i < 10; i++)
		batch_add(b, (uint8_t)i, &cause);
	CU_ASSERT_EQUAL(transport_batch_sync(b, &cause), 0);
	CU_ASSERT_EQUAL(rec.calls, 4);		/* 3, 3, 3, 1 */
	CU_ASSERT_EQUAL(rec.nsent, 10);
	for (i = 0; i < 10; i++)
		CU_ASSERT_EQUAL(rec.sent[i], i);
	transport_batch_free(b);
	free(b);
}

static void
test_transport_batch_drops_what_has_no_buffer_and_sends_the_rest(void)
{
	struct transport_batch	*b = malloc(sizeof *b);
	char			*cause = NULL;
	int			 i;

	batch_setup(b);
	rec.fail_at = 4;
	rec.err = ENOBUFS;
	for (i = 0; i < 8; i++)
		batch_add(b, (uint8_t)i, &cause);
	CU_ASSERT_EQUAL(transport_batch_sync(b, &cause), 0);
	CU_ASSERT_PTR_NULL(cause);
	CU_ASSERT_EQUAL(rec.nsent, 7);
	CU_ASSERT_EQUAL(rec.sent[3], 3);
	CU_ASSERT_EQUAL(rec.sent[4], 5);
	CU_ASSERT_EQUAL(b->slot[0].n, 0);
	transport_batch_free(b);
	free(b);
}

static void
test_transport_batch_fails_on_another_error(void)
{
	struct transport_batch	*b = malloc(sizeof *b);
	char			*cause = NULL;
	int			 i;

	batch_setup(b);
	rec.fail_at = 0;
	rec.err = EPERM;
	for (i = 0; i < 4; i++)
		batch_add(b, (uint8_t)i, &cause);
	CU_ASSERT_EQUAL(transport_batch_sync(b, &cause), -1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cause);
	CU_ASSERT_STRING_EQUAL(cause, "send: Operation not permitted");
	CU_ASSERT_EQUAL(rec.nsent, 0);		/* the rest of it dropped */
	free(cause);
	cause = NULL;
	/* And the next flush says so too: the scan stops. */
	CU_ASSERT_EQUAL(transport_batch_flush(b, &cause), -1);
	free(cause);
	transport_batch_free(b);
	free(b);
}

static void
test_transport_batch_sends_from_a_thread_of_its_own(void)
{
	struct transport_batch	*b = malloc(sizeof *b);
	char			*cause = NULL;
	int			 i;

	batch_setup(b);
	rec.thread = pthread_self();
	for (i = 0; i < 2 * TRANSPORT_BATCH_MAX; i++)
		batch_add(b, (uint8_t)i, &cause);
	CU_ASSERT_EQUAL(transport_batch_sync(b, &cause), 0);
	CU_ASSERT_TRUE(batch_all_sent(2 * TRANSPORT_BATCH_MAX));
	CU_ASSERT_FALSE(pthread_equal(rec.thread, pthread_self()));
	transport_batch_free(b);
	free(b);
}

/*
 * A partial batch with none queued leaves from the caller, at the flush
 * (a polite scan's probes are on the wire when their timeouts start),
 * and starts no thread; one queued behind full batches goes to them.
 */
static void
test_transport_batch_sends_a_lone_partial_batch_itself(void)
{
	struct transport_batch	*b = malloc(sizeof *b);
	char			*cause = NULL;
	int			 i;

	batch_setup(b);
	rec.thread = 0;
	for (i = 0; i < 3; i++)
		batch_add(b, (uint8_t)i, &cause);
	CU_ASSERT_EQUAL(transport_batch_flush(b, &cause), 0);
	CU_ASSERT_EQUAL(rec.calls, 1);
	CU_ASSERT_TRUE(batch_all_sent(3));
	CU_ASSERT_TRUE(pthread_equal(rec.thread, pthread_self()));
	CU_ASSERT_EQUAL(b->nthreads, 0);

	rec.nsent = 0;
	rec.hold = 1;
	for (i = 0; i < TRANSPORT_BATCH_MAX + 3; i++)
		batch_add(b, (uint8_t)i, &cause);
	CU_ASSERT_EQUAL(b->nthreads, 1);
	CU_ASSERT_EQUAL(transport_batch_flush(b, &cause), 0);
	CU_ASSERT_EQUAL(b->head, 2);		/* queued behind the first */
	pthread_mutex_lock(&rec.lock);
	rec.hold = 0;
	pthread_cond_broadcast(&rec.cond);
	pthread_mutex_unlock(&rec.lock);
	CU_ASSERT_EQUAL(transport_batch_sync(b, &cause), 0);
	CU_ASSERT_TRUE(batch_all_sent(TRANSPORT_BATCH_MAX + 3));
	transport_batch_free(b);
	free(b);
}

/* Freeing sends what was flushed before the thread ends. */
static void
test_transport_batch_free_sends_what_was_flushed(void)
{
	struct transport_batch	*b = malloc(sizeof *b);
	char			*cause = NULL;
	int			 i;

	batch_setup(b);
	for (i = 0; i < 3 * TRANSPORT_BATCH_MAX; i++)
		CU_ASSERT_EQUAL(batch_add(b, (uint8_t)i, &cause), 0);
	CU_ASSERT_EQUAL(transport_batch_flush(b, &cause), 0);
	transport_batch_free(b);
	CU_ASSERT_TRUE(batch_all_sent(3 * TRANSPORT_BATCH_MAX));
	free(b);
}

/*
 * While the first thread is held in its call, the batches behind it
 * start a second, which sends them.
 */
static void
test_transport_batch_starts_a_second_thread_when_batches_wait(void)
{
	struct transport_batch	*b = malloc(sizeof *b);
	struct timespec		 until;
	char			*cause = NULL;
	int			 i;

	batch_setup(b);
	rec.hold = 1;
	for (i = 0; i < 3 * TRANSPORT_BATCH_MAX; i++)
		batch_add(b, (uint8_t)i, &cause);
	CU_ASSERT_EQUAL(transport_batch_flush(b, &cause), 0);
	CU_ASSERT_EQUAL(b->nthreads, 2);
	/* Both in a call at once (or 10 s gone). */
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 10;
	pthread_mutex_lock(&rec.lock);
	while (rec.nthreads < 2 && pthread_cond_timedwait(&rec.cond,
	    &rec.lock, &until) == 0)
		;
	CU_ASSERT_EQUAL(rec.nthreads, 2);
	rec.hold = 0;
	pthread_cond_broadcast(&rec.cond);
	pthread_mutex_unlock(&rec.lock);
	CU_ASSERT_EQUAL(transport_batch_sync(b, &cause), 0);
	CU_ASSERT_TRUE(batch_all_sent(3 * TRANSPORT_BATCH_MAX));
	transport_batch_free(b);
	free(b);
}

static const struct unit_test tests[] = {
	TEST(test_transport_batch_flushes_a_partial_batch_in_order),
	TEST(test_transport_batch_sends_a_full_batch_before_the_next),
	TEST(test_transport_batch_sends_the_rest_after_a_short_count),
	TEST(test_transport_batch_drops_what_has_no_buffer_and_sends_the_rest),
	TEST(test_transport_batch_fails_on_another_error),
	TEST(test_transport_batch_sends_from_a_thread_of_its_own),
	TEST(test_transport_batch_sends_a_lone_partial_batch_itself),
	TEST(test_transport_batch_free_sends_what_was_flushed),
	TEST(test_transport_batch_starts_a_second_thread_when_batches_wait),
	TEST_END
};

UNIT_MAIN("transport-batch", tests);
