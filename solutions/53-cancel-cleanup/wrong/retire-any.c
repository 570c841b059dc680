/* wrong: jobs_retire counts a retirement and whichever worker wakes first leaves: with several idle workers it is not the one named, whose join hangs */
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
	int to_retire;		/* workers still to stop */
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
	pthread_mutex_lock(&j->lock);
	for (;;) {
		while (j->count == 0 && j->to_retire == 0)
			pthread_cond_wait(&j->ready, &j->lock);
		if (j->to_retire > 0) {
			j->to_retire--;
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
	(void)worker;	/* one worker fewer: which one does not matter */
	pthread_mutex_lock(&j->lock);
	j->to_retire++;
	pthread_cond_broadcast(&j->ready);
	pthread_mutex_unlock(&j->lock);
}
