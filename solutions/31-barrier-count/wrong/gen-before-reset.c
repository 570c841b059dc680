/* wrong: a sense-reversing barrier of C11 atomics whose last arrival flips the sense before it resets the count: a fast waiter released by the flip arrives at the next round before the reset, and its arrival is wiped */
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

#include "pool.h"

struct sense_barrier {
	int count;            /* threads that meet here each round */
	atomic_int left;      /* arrivals still missing this round */
	atomic_bool sense;    /* flips once per round */
};

struct worker {
	struct pool *pool;
	struct sense_barrier *bar;
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

static void sense_wait(struct sense_barrier *b, bool *local_sense)
{
	bool mine = !*local_sense;
	*local_sense = mine;
	if (atomic_fetch_sub(&b->left, 1) == 1) {
		atomic_store_explicit(&b->sense, mine, memory_order_release);
		atomic_store_explicit(&b->left, b->count, memory_order_relaxed);
	} else {
		while (atomic_load_explicit(&b->sense, memory_order_acquire) != mine)
			sched_yield();
	}
}

/* One thread's share of the job: shards id, id + nthreads, ... in every phase, phase by phase. */
static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->pool;
	struct job *job = p->job;
	bool local_sense = false;

	for (int phase = 0; phase < job->nphases; phase++) {
		for (int s = w->id; s < job->nshards; s += p->nthreads)
			job->run(job, phase, s);
		/* The next phase reads what this one wrote in other shards: wait for everyone. */
		sense_wait(w->bar, &local_sense);
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

	struct sense_barrier bar = { .count = p->nthreads };
	atomic_init(&bar.left, p->nthreads);
	atomic_init(&bar.sense, false);

	struct worker *w = calloc((size_t)p->nthreads, sizeof *w);
	if (w == NULL)
		abort();
	for (int i = 0; i < p->nthreads; i++) {
		w[i] = (struct worker){ .pool = p, .bar = &bar, .id = i };
		if (pthread_create(&w[i].thread, NULL, worker_main, &w[i]) != 0)
			abort();
	}
	for (int i = 0; i < p->nthreads; i++)
		pthread_join(w[i].thread, NULL);
	free(w);
	p->job = NULL;
}
