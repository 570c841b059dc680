/* alt: no barrier; each phase starts its threads and joins them all before the next; right because pthread_join orders a thread's writes before everything the joiner does next, and there is no count to get wrong */
#include <stdlib.h>

#include "pool.h"

struct worker {
	struct pool *pool;
	int id;              /* 0 .. nthreads-1 */
	int phase;           /* the one phase this thread runs */
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

/* One thread's share of one phase: shards id, id + nthreads, ... */
static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->pool;
	struct job *job = p->job;

	for (int s = w->id; s < job->nshards; s += p->nthreads)
		job->run(job, w->phase, s);
	return NULL;
}

void pool_run(struct pool *p, struct job *job)
{
	/* A thread with no shard would have nothing to do: start at most one per shard. */
	p->nthreads = job->nshards < p->nworkers ? job->nshards : p->nworkers;
	if (p->nthreads <= 0)
		return;
	p->job = job;

	struct worker *w = calloc((size_t)p->nthreads, sizeof *w);
	if (w == NULL)
		abort();
	for (int phase = 0; phase < job->nphases; phase++) {
		for (int i = 0; i < p->nthreads; i++) {
			w[i] = (struct worker){ .pool = p, .id = i, .phase = phase };
			if (pthread_create(&w[i].thread, NULL, worker_main, &w[i]) != 0)
				abort();
		}
		/* The next phase reads what this one wrote in other shards: join everyone first. */
		for (int i = 0; i < p->nthreads; i++)
			pthread_join(w[i].thread, NULL);
	}
	free(w);
	p->job = NULL;
}
