/* wrong: an idle worker polls (unlock, usleep, look again) instead of waiting in pthread_cond_wait, which the README rules out: it wakes up hundreds of times a second for nothing */
#include <stdlib.h>
#include <unistd.h>

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
		int job, state;

		pthread_mutex_lock(&j->lock);
		while (j->count == 0) {
			pthread_mutex_unlock(&j->lock);
			usleep(1000);                         /* cancellation point, lock not held */
			pthread_mutex_lock(&j->lock);
		}
		job = j->queue[j->head];
		j->head = (j->head + 1) % CAPACITY;
		j->count--;
		pthread_mutex_unlock(&j->lock);

		/* A job is not cut halfway: a cancel that comes meanwhile waits until it is done. */
		pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &state);
		j->run(job, j->arg);
		pthread_setcancelstate(state, NULL);
		pthread_testcancel();                         /* retired during the job: end now */
	}
	return NULL;
}

void jobs_retire(struct jobs *j, pthread_t worker)
{
	(void)j;
	/* Deferred cancel: acted on in pthread_cond_wait (cleanup unlocks) or right after a job. */
	pthread_cancel(worker);
}
