/* wrong: jobs_retire raises the retire flag and wakes the workers in one critical section, names the worker in a second: a worker woken between them sees the flag with the previous name, and the one named sleeps on */
#include <stdlib.h>

#include "jobs.h"

enum { CAPACITY = 64 };

struct jobs {
	pthread_mutex_t lock;
	pthread_cond_t ready;	/* signalled when a job is queued */
	int queue[CAPACITY];	/* a ring: count jobs from head on */
	int head, count;
	jobs_run_fn run;
	void *arg;
	bool retire_pending;	/* a worker is to stop ... */
	pthread_t retire_target;	/* ... this one */
};

struct jobs *jobs_create(jobs_run_fn run, void *arg)
{
	struct jobs *j = calloc(1, sizeof *j);
	if (j == NULL)
		return NULL;
	pthread_mutex_init(&j->lock, NULL);
	pthread_cond_init(&j->ready, NULL);
	j->run = run;
	j->arg = arg;
	return j;
}

void jobs_destroy(struct jobs *j)
{
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

/* Caller holds j->lock. */
static bool retire_me(struct jobs *j)
{
	return j->retire_pending && pthread_equal(j->retire_target, pthread_self());
}

void *jobs_worker(void *arg)
{
	struct jobs *j = arg;
	pthread_mutex_lock(&j->lock);
	for (;;) {
		while (j->count == 0 && !retire_me(j))
			pthread_cond_wait(&j->ready, &j->lock);
		if (retire_me(j)) {
			j->retire_pending = false;
			break;
		}
		int job = j->queue[j->head];
		j->head = (j->head + 1) % CAPACITY;
		j->count--;
		pthread_mutex_unlock(&j->lock);
		j->run(job, j->arg);
		pthread_mutex_lock(&j->lock);
	}
	if (j->count > 0)
		pthread_cond_signal(&j->ready);
	pthread_mutex_unlock(&j->lock);
	return NULL;
}

void jobs_retire(struct jobs *j, pthread_t worker)
{
	pthread_mutex_lock(&j->lock);
	j->retire_pending = true;
	pthread_cond_broadcast(&j->ready);
	pthread_mutex_unlock(&j->lock);

	pthread_mutex_lock(&j->lock);
	j->retire_target = worker;
	pthread_mutex_unlock(&j->lock);
}
