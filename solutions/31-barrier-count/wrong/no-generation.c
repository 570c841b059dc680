/* wrong: a condvar barrier that waits while arrived != 0, with no generation; a woken waiter that re-takes the mutex after the last arrival has already come back for the next round sees arrived = 1 and sleeps on in a round that is over (hang) */
#include <stdlib.h>

#include "pool.h"

struct phase_gate {
	pthread_mutex_t lock;
	pthread_cond_t opened;
	int count;            /* threads that meet here each round */
	int arrived;          /* arrivals in the current round */
};

struct worker {
	struct pool *pool;
	struct phase_gate *gate;
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

static void gate_wait(struct phase_gate *g)
{
	pthread_mutex_lock(&g->lock);
	if (++g->arrived == g->count) {
		g->arrived = 0;
		pthread_cond_broadcast(&g->opened);
	} else {
		while (g->arrived != 0)
			pthread_cond_wait(&g->opened, &g->lock);
	}
	pthread_mutex_unlock(&g->lock);
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
		gate_wait(w->gate);
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

	struct phase_gate gate = { .count = p->nthreads, .arrived = 0 };
	if (pthread_mutex_init(&gate.lock, NULL) != 0 || pthread_cond_init(&gate.opened, NULL) != 0)
		abort();

	struct worker *w = calloc((size_t)p->nthreads, sizeof *w);
	if (w == NULL)
		abort();
	for (int i = 0; i < p->nthreads; i++) {
		w[i] = (struct worker){ .pool = p, .gate = &gate, .id = i };
		if (pthread_create(&w[i].thread, NULL, worker_main, &w[i]) != 0)
			abort();
	}
	for (int i = 0; i < p->nthreads; i++)
		pthread_join(w[i].thread, NULL);
	free(w);

	/* Only after the joins: nobody is inside gate_wait any more. */
	pthread_cond_destroy(&gate.opened);
	pthread_mutex_destroy(&gate.lock);
	p->job = NULL;
}
