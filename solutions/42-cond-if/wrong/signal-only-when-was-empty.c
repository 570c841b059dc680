/* wrong: jobq_put signals one worker, and only when the queue was empty: a burst of puts wakes one of several idle workers, and the others sleep beside queued jobs. */
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
	if (q->len == 1)        /* queue was empty: some worker may be asleep */
		pthread_cond_signal(&q->arrived);
	pthread_mutex_unlock(&q->lock);
	return true;
}

int jobq_take(struct jobq *q)
{
	pthread_mutex_lock(&q->lock);
	while (q->len == 0)
		pthread_cond_wait(&q->arrived, &q->lock);
	int job = q->jobs[q->head];
	q->head = (q->head + 1) % JOBQ_CAP;
	q->len--;
	pthread_mutex_unlock(&q->lock);
	return job;
}
