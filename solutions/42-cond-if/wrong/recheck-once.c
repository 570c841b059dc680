/* wrong: two ifs instead of a loop: tolerates one empty wakeup, not two (a lost broadcast race followed by a spurious wakeup takes from an empty queue). */
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
	if (q->len == 0)        /* nothing to do: sleep until a job arrives */
		pthread_cond_wait(&q->arrived, &q->lock);
	if (q->len == 0)        /* another worker got it first: wait for the next one */
		pthread_cond_wait(&q->arrived, &q->lock);
	int job = q->jobs[q->head];
	q->head = (q->head + 1) % JOBQ_CAP;
	q->len--;
	pthread_mutex_unlock(&q->lock);
	return job;
}
