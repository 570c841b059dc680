/* wrong: waits in a while loop, reads the head job and decrements len in one critical section, and advances head in a second one "to keep the lock short". Wrong because the (head, len) pair is torn between the two sections: a second worker that takes in between reads the same head, so one job runs twice and the job behind it is never run (head then advances twice past it). Shows with two jobs queued and two workers taking at once, e.g. 200 jobs on four workers. Written by an outside author; the schedules gate forces the window that plain runs rarely open. */
#include <pthread.h>
#include <stdlib.h>

#include "jobq.h"

struct jobq {
	pthread_mutex_t lock;    /* guards everything below */
	pthread_cond_t arrived;  /* broadcast when a job is put */
	int jobs[JOBQ_CAP];      /* a ring: the oldest job is at head */
	unsigned head;
	unsigned len;
};

struct jobq *jobq_new(void)
{
	struct jobq *q = calloc(1, sizeof *q);
	if (q == NULL)
		abort();
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->arrived, NULL);
	return q;
}

void jobq_free(struct jobq *q)
{
	pthread_cond_destroy(&q->arrived);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

bool jobq_put(struct jobq *q, int job)
{
	pthread_mutex_lock(&q->lock);
	if (q->len == JOBQ_CAP) {
		pthread_mutex_unlock(&q->lock);
		return false;
	}
	q->jobs[(q->head + q->len) % JOBQ_CAP] = job;
	q->len++;
	/* Wake every idle worker, so none of them sleeps through new work. */
	pthread_cond_broadcast(&q->arrived);
	pthread_mutex_unlock(&q->lock);
	return true;
}

int jobq_take(struct jobq *q)
{
	pthread_mutex_lock(&q->lock);
	while (q->len == 0)
		pthread_cond_wait(&q->arrived, &q->lock);
	int job = q->jobs[q->head];
	q->len--;
	pthread_mutex_unlock(&q->lock);

	pthread_mutex_lock(&q->lock);
	q->head = (q->head + 1) % JOBQ_CAP;
	pthread_mutex_unlock(&q->lock);
	return job;
}
