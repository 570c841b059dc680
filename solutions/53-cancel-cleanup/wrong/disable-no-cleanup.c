/* wrong: runs each job with cancellation disabled, but has no cleanup handler: an idle worker cancelled in pthread_cond_wait still ends holding the lock */
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

void *jobs_worker(void *arg)
{
	struct jobs *j = arg;
	for (;;) {
		pthread_mutex_lock(&j->lock);
		while (j->count == 0)
			pthread_cond_wait(&j->ready, &j->lock);
		int job = j->queue[j->head];
		j->head = (j->head + 1) % CAPACITY;
		j->count--;
		pthread_mutex_unlock(&j->lock);

		/* A job is not cut halfway: a cancel that comes meanwhile waits until it is done. */
		int state;
		pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &state);
		j->run(job, j->arg);
		pthread_setcancelstate(state, NULL);
		pthread_testcancel();
	}
	return NULL;
}

void jobs_retire(struct jobs *j, pthread_t worker)
{
	(void)j;
	/* An idle worker sleeps in pthread_cond_wait, a cancellation point: it ends right there. */
	pthread_cancel(worker);
}
