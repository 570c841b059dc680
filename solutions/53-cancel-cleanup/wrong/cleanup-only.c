/* wrong: a cleanup handler that releases the lock when the wait is cancelled, and nothing else: a job that reaches a cancellation point (usleep) is cut halfway */
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

/* A cancelled pthread_cond_wait takes the mutex back before the thread unwinds: give it up. */
static void unlock_on_cancel(void *lock)
{
	pthread_mutex_unlock(lock);
}

void *jobs_worker(void *arg)
{
	struct jobs *j = arg;
	for (;;) {
		pthread_mutex_lock(&j->lock);
		/*
		 * "The only cancellation point of the loop is the wait": true of the
		 * loop, not of the job it runs.
		 */
		pthread_cleanup_push(unlock_on_cancel, &j->lock);
		while (j->count == 0)
			pthread_cond_wait(&j->ready, &j->lock);
		pthread_cleanup_pop(0);
		int job = j->queue[j->head];
		j->head = (j->head + 1) % CAPACITY;
		j->count--;
		pthread_mutex_unlock(&j->lock);
		j->run(job, j->arg);
	}
	return NULL;
}

void jobs_retire(struct jobs *j, pthread_t worker)
{
	(void)j;
	/* The worker's cleanup handler releases the queue's lock if it is cancelled while waiting. */
	pthread_cancel(worker);
}
