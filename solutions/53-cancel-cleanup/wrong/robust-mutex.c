/* wrong: keep pthread_cancel with no cleanup handler, but make the queue lock a robust mutex, so the next lock takes EOWNERDEAD and marks it consistent. Wrong because the last retired worker still owns the lock when jobs_destroy destroys it (POSIX: destroying a locked mutex is undefined), and TSan says so: "destroy of a locked mutex". Its "double lock" reports beside it are its own limit: it does not model a robust mutex taken back from a dead owner. */
#include <errno.h>
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
	pthread_mutexattr_t ma;
	if (pthread_mutexattr_init(&ma) != 0) {
		free(j);
		return NULL;
	}
	/* If a worker ends holding the lock, the next locker is told so instead of waiting forever. */
	pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	int rc = pthread_mutex_init(&j->lock, &ma);
	pthread_mutexattr_destroy(&ma);
	if (rc != 0) {
		free(j);
		return NULL;
	}
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

/*
 * The lock's owner can only have died in one place: cancelled inside pthread_cond_wait in
 * jobs_worker, where it changed nothing. The queue is intact: mark the lock consistent.
 */
static void recover(struct jobs *j, int rc)
{
	if (rc == EOWNERDEAD)
		pthread_mutex_consistent(&j->lock);
}

static void lock_queue(struct jobs *j)
{
	recover(j, pthread_mutex_lock(&j->lock));
}

bool jobs_submit(struct jobs *j, int job)
{
	lock_queue(j);
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
		lock_queue(j);
		while (j->count == 0)
			recover(j, pthread_cond_wait(&j->ready, &j->lock));   /* may end us, lock held */
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
	pthread_cancel(worker);
}
