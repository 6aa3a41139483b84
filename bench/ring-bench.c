/*
 * Ring benchmark: how many records a second one writer puts through the
 * shared-memory ring (src/ring.c) to one reader that follows it flat out,
 * whether that reader loses any with the writer held to 20 million a
 * second, and how much the writer slows down with 4 readers attached as
 * viewers are (each drains the ring, then sleeps a millisecond). The
 * writer runs on CPU 0, the readers on CPU 1. The writer's rate is given
 * per second of wall time and per second of its own CPU time: the
 * second leaves out the time other processes took the CPU from it, which
 * on a busy machine is most of the difference. Records carry a
 * 48-byte payload (80 bytes with the header) and a CRC, which the writer
 * computes as the engine's stream does and the reader checks. Each
 * figure is the median and the best of several runs, interleaved; the
 * output is key=value lines for bench/ring.sh.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "event.h"
#include "ring.h"

#define PAYLOAD		48
#define RUN_NS		1000000000ULL
#define RUNS		5
#define VIEWERS		4
#define NMODES		4

struct bench {
	const char	*path;
	struct ring	*ring;
	double		 pace;		/* records/s; 0: flat out */
	atomic_int	 stop;
	atomic_int	 ready;
	uint64_t	 written;
	uint64_t	 cpu_ns;	/* the writer thread's CPU time */
};

struct reader {
	struct bench	*b;
	int		 viewer;	/* sleep between drains */
	uint64_t	 records;
	uint64_t	 laps;
};

static uint64_t	now_ns(void);
static uint64_t	cpu_ns(void);
static void	pin(int);
static void	*writer_main(void *);
static void	*reader_main(void *);
static void	run(int, int, double, double *, double *, double *,
		    double *);
static int	cmp_double(const void *, const void *);

static uint64_t
now_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec);
}

static uint64_t
cpu_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec);
}

static void
pin(int cpu)
{
	cpu_set_t	set;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

static void *
writer_main(void *arg)
{
	struct bench		*b = arg;
	struct event_header	 h;
	unsigned char		 payload[PAYLOAD];
	uint64_t		 seq = 0, start, cpu;
	int			 i;

	pin(0);
	memset(payload, 0xab, sizeof payload);
	memset(&h, 0, sizeof h);
	h.version = EVENT_VERSION;
	h.type = EVENT_PORT_STATE;
	h.len = PAYLOAD;
	while (atomic_load_explicit(&b->ready, memory_order_acquire) == 0)
		continue;
	start = now_ns();
	cpu = cpu_ns();
	while (!atomic_load_explicit(&b->stop, memory_order_relaxed)) {
		if (b->pace != 0 &&
		    (double)seq * 1e9 > b->pace * (double)(now_ns() - start))
			continue;
		for (i = 0; i < 256; i++) {
			h.seq = ++seq;
			h.crc = event_record_crc(&h, payload);
			ring_sink(b->ring, &h, payload);
		}
	}
	ring_flush(b->ring);
	b->cpu_ns = cpu_ns() - cpu;
	b->written = seq;
	return (NULL);
}

static void *
reader_main(void *arg)
{
	struct reader			*rd = arg;
	struct ring_reader		*r;
	const struct event_header	*h;
	const void			*p;
	struct timespec			 ms = { 0, 1000000 };
	char				*cause;

	pin(1);
	if ((r = ring_reader_open(rd->b->path, &cause)) == NULL) {
		fprintf(stderr, "ring-bench: %s\n", cause);
		exit(1);
	}
	while (!atomic_load_explicit(&rd->b->stop, memory_order_relaxed)) {
		switch (ring_reader_next(r, &h, &p)) {
		case RING_RECORD:
			rd->records++;
			break;
		case RING_LAPPED:
			rd->laps++;
			break;
		default:
			if (rd->viewer)
				nanosleep(&ms, NULL);
			break;
		}
	}
	ring_reader_free(r);
	return (NULL);
}

/*
 * One run: the writer with nreaders readers (viewers or flat out).
 * Returns the writer's records/s, the readers' total records/s and the
 * share of records the readers lost to laps.
 */
static void
run(int nreaders, int viewers, double pace, double *wrate, double *wcpu,
    double *rrate, double *lost)
{
	struct bench	 b;
	struct reader	 rd[VIEWERS];
	pthread_t	 wt, rt[VIEWERS];
	uint64_t	 start, elapsed, got = 0, laps = 0;
	char		 path[] = "/tmp/tact-ring-bench-XXXXXX";
	char		*cause;
	int		 fd, i;

	if ((fd = mkstemp(path)) == -1) {
		perror("ring-bench: mkstemp");
		exit(1);
	}
	close(fd);
	unlink(path);
	memset(&b, 0, sizeof b);
	b.path = path;
	b.pace = pace;
	if ((b.ring = ring_create(path, RING_SIZE_DEFAULT, &cause)) == NULL) {
		fprintf(stderr, "ring-bench: %s\n", cause);
		exit(1);
	}
	for (i = 0; i < nreaders; i++) {
		memset(&rd[i], 0, sizeof rd[i]);
		rd[i].b = &b;
		rd[i].viewer = viewers;
		pthread_create(&rt[i], NULL, reader_main, &rd[i]);
	}
	pthread_create(&wt, NULL, writer_main, &b);
	usleep(20000);
	start = now_ns();
	atomic_store_explicit(&b.ready, 1, memory_order_release);
	usleep(RUN_NS / 1000);
	atomic_store(&b.stop, 1);
	pthread_join(wt, NULL);
	elapsed = now_ns() - start;
	for (i = 0; i < nreaders; i++) {
		pthread_join(rt[i], NULL);
		got += rd[i].records;
		laps += rd[i].laps;
	}
	ring_close(b.ring);
	unlink(path);
	*wrate = (double)b.written * 1e9 / (double)elapsed;
	*wcpu = (double)b.written * 1e9 / (double)b.cpu_ns;
	*rrate = (double)got * 1e9 / (double)elapsed;
	*lost = nreaders == 0 ? 0 : 1.0 - (double)got /
	    ((double)b.written * nreaders);
	(void)laps;
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

int
main(void)
{
	static const struct {
		const char	*name;
		int		 nreaders;
		int		 viewers;
		double		 pace;
	} modes[] = {
		{ "0readers", 0, 0, 0 },
		{ "4viewers", VIEWERS, 1, 0 },
		{ "1reader", 1, 0, 0 },
		{ "1reader20M", 1, 0, 20e6 },
	};
	double	w[NMODES][RUNS], c[NMODES][RUNS], r[NMODES][RUNS];
	double	l[NMODES][RUNS], lost;
	size_t	m;
	int	i;

	printf("payload_bytes=%d\nring_bytes=%u\nruns=%d\n", PAYLOAD,
	    RING_SIZE_DEFAULT, RUNS);
	/* Interleaved, so that other load on the machine hits each alike. */
	for (i = 0; i < RUNS; i++) {
		for (m = 0; m < NMODES; m++)
			run(modes[m].nreaders, modes[m].viewers, modes[m].pace,
			    &w[m][i], &c[m][i], &r[m][i], &l[m][i]);
	}
	for (m = 0; m < NMODES; m++) {
		lost = 0;
		for (i = 0; i < RUNS; i++)
			lost += l[m][i] / RUNS;
		qsort(w[m], RUNS, sizeof w[m][0], cmp_double);
		qsort(c[m], RUNS, sizeof c[m][0], cmp_double);
		qsort(r[m], RUNS, sizeof r[m][0], cmp_double);
		printf("%s_writer_cpu=%.0f\n", modes[m].name, c[m][RUNS / 2]);
		printf("%s_writer=%.0f\n%s_writer_best=%.0f\n"
		    "%s_readers=%.0f\n%s_readers_best=%.0f\n%s_lost=%.4f\n",
		    modes[m].name, w[m][RUNS / 2], modes[m].name,
		    w[m][RUNS - 1], modes[m].name, r[m][RUNS / 2],
		    modes[m].name, r[m][RUNS - 1], modes[m].name, lost);
	}
	return (fflush(stdout) == 0 ? 0 : 1);
}
