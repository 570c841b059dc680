/* wrong: when a pthread_create fails it goes on with the threads already started by lowering nthreads, but the barrier was set up for the old count: the threads that did start wait for one that never came, and they read nthreads while it is written */
#include <stdlib.h>

#include "pool.h"

struct worker {
	struct pool *pool;
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

/* One thread's share of the job: shards id, id + nthreads, ... in every phase, phase by phase. */
static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->pool;
	struct job *job = p->job;

	for (int phase = 0; phase < job->nphases; phase++) {
		for (int s = w->id; s < job->nshards; s += p->nthreads)
			job->run(job, phase, s);
		/* The next phase reads what this one wrote in other shards: wait for everyone. */
		pthread_barrier_wait(&p->phase_end);
	}
	return NULL;
}

void pool_run(struct pool *p, struct job *job)
{
	/* A thread with no shard would have nothing to do: start at most one per shard. */
	p->nthreads = job->nshards < p->nworkers ? job->nshards : p->nworkers;
	if (p->nthreads <= 0)
		return;
	p->job = job;
	/* One seat at the barrier for each thread that will really sit in it. */
	if (pthread_barrier_init(&p->phase_end, NULL, (unsigned)p->nthreads) != 0)
		abort();

	struct worker *w = calloc((size_t)p->nthreads, sizeof *w);
	if (w == NULL)
		abort();
	for (int i = 0; i < p->nthreads; i++) {
		w[i] = (struct worker){ .pool = p, .id = i };
		if (pthread_create(&w[i].thread, NULL, worker_main, &w[i]) != 0) {
			/* Out of threads: carry on with the ones we have rather than crash. */
			p->nthreads = i;
			break;
		}
	}
	for (int i = 0; i < p->nthreads; i++)
		pthread_join(w[i].thread, NULL);
	free(w);

	/* Only after the joins: a thread may still be on its way out of pthread_barrier_wait. */
	pthread_barrier_destroy(&p->phase_end);
	p->job = NULL;
}
