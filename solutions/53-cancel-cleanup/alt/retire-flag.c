/* alt: no cancellation: jobs_retire names the worker to leave under the lock and wakes the workers; the named one leaves between jobs, after unlocking, so it never ends holding the lock nor halfway through a job. */
#include <stdlib.h>

#include "jobs.h"

enum { CAPACITY = 64 };

struct jobs {
	pthread_mutex_t lock;
	pthread_cond_t ready;	/* broadcast when a job is queued or a worker is named to leave */
	pthread_cond_t taken;	/* broadcast when the named worker has seen its notice */
	int queue[CAPACITY];	/* a ring: count jobs from head on */
	int head, count;
	bool retiring;		/* a worker is named to leave and has not seen it yet */
	pthread_t retiree;	/* which one, while retiring */
	jobs_run_fn run;
	void *arg;
};

struct jobs *jobs_create(jobs_run_fn run, void *arg)
{
	struct jobs *j = calloc(1, sizeof *j);
	if (j == NULL)
		return NULL;
	pthread_mutex_init(&j->lock, NULL);
	pthread_cond_init(&j->ready, NULL);
	pthread_cond_init(&j->taken, NULL);
	j->run = run;
	j->arg = arg;
	return j;
}

void jobs_destroy(struct jobs *j)
{
	pthread_cond_destroy(&j->taken);
	pthread_cond_destroy(&j->ready);
	pthread_mutex_destroy(&j->lock);
	free(j);
}

bool jobs_submit(struct jobs *j, int job)
{
	pthread_mutex_lock(&j->lock);
	bool room = j->count < CAPACITY;
	if (room) {
		j->queue[(j->head + j->count) % CAPACITY] = job;
		j->count++;
		pthread_cond_signal(&j->ready);
	}
	pthread_mutex_unlock(&j->lock);
	return room;
}

/* Caller holds j->lock. Is the calling worker the one named to leave? */
static bool named(const struct jobs *j)
{
	return j->retiring && pthread_equal(j->retiree, pthread_self());
}

void *jobs_worker(void *arg)
{
	struct jobs *j = arg;
	pthread_mutex_lock(&j->lock);
	for (;;) {
		while (j->count == 0 && !named(j))
			pthread_cond_wait(&j->ready, &j->lock);
		if (named(j))
			break;		/* between jobs: nothing half done */
		int job = j->queue[j->head];
		j->head = (j->head + 1) % CAPACITY;
		j->count--;
		pthread_mutex_unlock(&j->lock);
		j->run(job, j->arg);
		pthread_mutex_lock(&j->lock);
	}
	j->retiring = false;
	pthread_cond_broadcast(&j->taken);	/* the next jobs_retire may name another */
	pthread_mutex_unlock(&j->lock);
	return NULL;
}

void jobs_retire(struct jobs *j, pthread_t worker)
{
	pthread_mutex_lock(&j->lock);
	/* One notice at a time: wait until the worker named before has seen its own. */
	while (j->retiring)
		pthread_cond_wait(&j->taken, &j->lock);
	j->retiring = true;
	j->retiree = worker;
	/* Broadcast: only the named worker leaves, and it may be any of the sleepers. */
	pthread_cond_broadcast(&j->ready);
	pthread_mutex_unlock(&j->lock);
}
