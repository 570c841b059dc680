/* alt: a reusable barrier of two semaphore turnstiles, sized to the threads started; right because nobody passes the first before all have arrived, nor re-enters it before all have left through the second, so rounds never mix */
#include <semaphore.h>
#include <stdlib.h>

#include "pool.h"

struct turnstiles {
	pthread_mutex_t lock;
	int count;            /* threads that meet here each round */
	int inside;           /* threads between the two turnstiles' counting points */
	sem_t in;             /* opened n times when the last thread arrives */
	sem_t out;            /* opened n times when the last thread has passed "in" */
};

struct worker {
	struct pool *pool;
	struct turnstiles *ts;
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

static void sem_wait_all(sem_t *s)
{
	while (sem_wait(s) != 0)
		;	/* EINTR: wait again */
}

static void ts_wait(struct turnstiles *t)
{
	pthread_mutex_lock(&t->lock);
	if (++t->inside == t->count)
		for (int i = 0; i < t->count; i++)
			sem_post(&t->in);
	pthread_mutex_unlock(&t->lock);
	sem_wait_all(&t->in);

	pthread_mutex_lock(&t->lock);
	if (--t->inside == 0)
		for (int i = 0; i < t->count; i++)
			sem_post(&t->out);
	pthread_mutex_unlock(&t->lock);
	sem_wait_all(&t->out);
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
		ts_wait(w->ts);
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

	struct turnstiles ts = { .count = p->nthreads, .inside = 0 };
	if (pthread_mutex_init(&ts.lock, NULL) != 0 || sem_init(&ts.in, 0, 0) != 0 ||
	    sem_init(&ts.out, 0, 0) != 0)
		abort();

	struct worker *w = calloc((size_t)p->nthreads, sizeof *w);
	if (w == NULL)
		abort();
	for (int i = 0; i < p->nthreads; i++) {
		w[i] = (struct worker){ .pool = p, .ts = &ts, .id = i };
		if (pthread_create(&w[i].thread, NULL, worker_main, &w[i]) != 0)
			abort();
	}
	for (int i = 0; i < p->nthreads; i++)
		pthread_join(w[i].thread, NULL);
	free(w);

	sem_destroy(&ts.out);
	sem_destroy(&ts.in);
	pthread_mutex_destroy(&ts.lock);
	p->job = NULL;
}
