/* pool.c (alternative): when a thread cannot be started, the job runs on the threads that did. Correct: the workers wait to be counted before their first phase, and the barrier is set up for the count of threads that exist. */
#include <stdlib.h>

#include "pool.h"

/* The start of one job: the workers wait here until the pool knows how many of them there are. */
struct start {
	pthread_mutex_t lock;
	pthread_cond_t counted;
	int ready;           /* 1 once p->nthreads and the barrier are final */
};

struct worker {
	struct pool *pool;
	struct start *start;
	int id;              /* 0 .. nthreads-1 */
	pthread_t thread;
};

void pool_init(struct pool *p, int nworkers)
{
	p->nworkers = nworkers;
	p->nthreads = 0;
	p->job = NULL;
}

void pool_destroy(struct pool *p)
{
	(void)p;
}

/* Every phase of the job on the shards id, id + nthreads, ...: one thread's share. */
static void run_share(struct pool *p, int id, int nthreads, int phase)
{
	for (int s = id; s < p->job->nshards; s += nthreads)
		p->job->run(p->job, phase, s);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->pool;

	/* The shares and the barrier depend on how many threads started: wait until that is known. */
	pthread_mutex_lock(&w->start->lock);
	while (!w->start->ready)
		pthread_cond_wait(&w->start->counted, &w->start->lock);
	pthread_mutex_unlock(&w->start->lock);

	for (int phase = 0; phase < p->job->nphases; phase++) {
		run_share(p, w->id, p->nthreads, phase);
		/* The next phase reads what this one wrote in other shards: wait for everyone. */
		pthread_barrier_wait(&p->phase_end);
	}
	return NULL;
}

void pool_run(struct pool *p, struct job *job)
{
	int want = job->nshards < p->nworkers ? job->nshards : p->nworkers;
	struct start start = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };
	struct worker *w = calloc((size_t)want, sizeof *w);
	if (w == NULL)
		abort();
	p->job = job;

	int started = 0;
	for (; started < want; started++) {
		w[started] = (struct worker){ .pool = p, .start = &start, .id = started };
		if (pthread_create(&w[started].thread, NULL, worker_main, &w[started]) != 0)
			break;	/* no more threads: the job runs on those that exist */
	}

	if (started == 0) {
		/* Not one thread: the caller runs every phase itself, in order. */
		for (int phase = 0; phase < job->nphases; phase++)
			run_share(p, 0, 1, phase);
	} else {
		/* One seat at the barrier for each thread that exists, set before any of them may wait. */
		pthread_mutex_lock(&start.lock);
		p->nthreads = started;
		pthread_barrier_init(&p->phase_end, NULL, (unsigned)started);
		start.ready = 1;
		pthread_cond_broadcast(&start.counted);
		pthread_mutex_unlock(&start.lock);

		for (int i = 0; i < started; i++)
			pthread_join(w[i].thread, NULL);
		/* Only after the joins: a thread may still be on its way out of pthread_barrier_wait. */
		pthread_barrier_destroy(&p->phase_end);
	}
	free(w);
	p->job = NULL;
}
