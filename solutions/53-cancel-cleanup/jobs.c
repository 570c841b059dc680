/* jobs.c (solution): a worker cancelled in pthread_cond_wait releases the lock on its way out; a job is never cancelled halfway. */
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
		 * A thread cancelled in the wait ends holding j->lock. The handler,
		 * pushed while we hold the lock and popped (not run) before we
		 * release it, covers exactly that stretch: the wait is the loop's
		 * only cancellation point while the lock is held.
		 */
		pthread_cleanup_push(unlock_on_cancel, &j->lock);
		while (j->count == 0)
			pthread_cond_wait(&j->ready, &j->lock);
		pthread_cleanup_pop(0);
		int job = j->queue[j->head];
		j->head = (j->head + 1) % CAPACITY;
		j->count--;
		pthread_mutex_unlock(&j->lock);

		/*
		 * A retired worker finishes the job it is running (jobs.h), but a job
		 * may well reach a cancellation point of its own: usleep, read,
		 * printf... So no cancellation while it runs: a retirement that comes
		 * meanwhile waits, pending, and takes effect at pthread_testcancel,
		 * before this worker takes another job.
		 */
		int was;
		pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &was);
		j->run(job, j->arg);
		pthread_setcancelstate(was, NULL);
		pthread_testcancel();
	}
	return NULL;
}

void jobs_retire(struct jobs *j, pthread_t worker)
{
	(void)j;
	/* A waiting worker ends at once and its cleanup handler releases the queue's lock;
	 * a worker running a job ends once the job is done. */
	pthread_cancel(worker);
}
