/* alt: no condition variable: a counting semaphore holds one unit per queued job; jobq_take does sem_wait (EINTR retried), then pops under the mutex. Each unit was posted for a job already in the ring and each sem_wait consumes one, so a worker reaches the pop only with a job there for it. */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>

#include "jobq.h"

struct jobq {
	pthread_mutex_t lock;    /* guards jobs, head, len */
	sem_t queued;            /* one unit per job in the ring */
	int jobs[JOBQ_CAP];
	unsigned head;
	unsigned len;
};

struct jobq *jobq_new(void)
{
	struct jobq *q = calloc(1, sizeof *q);
	if (q == NULL)
		abort();
	pthread_mutex_init(&q->lock, NULL);
	if (sem_init(&q->queued, 0, 0) != 0)
		abort();
	return q;
}

void jobq_free(struct jobq *q)
{
	sem_destroy(&q->queued);
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
	pthread_mutex_unlock(&q->lock);
	sem_post(&q->queued);   /* one job, one worker */
	return true;
}

int jobq_take(struct jobq *q)
{
	while (sem_wait(&q->queued) != 0)
		if (errno != EINTR)
			abort();
	pthread_mutex_lock(&q->lock);
	int job = q->jobs[q->head];
	q->head = (q->head + 1) % JOBQ_CAP;
	q->len--;
	pthread_mutex_unlock(&q->lock);
	return job;
}
