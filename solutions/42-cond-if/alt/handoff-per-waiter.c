/* alt: an idle worker queues a waiter record with its own condvar; jobq_put hands the job straight to the oldest waiter (job, done) and queues it only when nobody waits. A job goes to one waiter or one slot under the mutex; each waiter loops on its own done flag, so a spurious wakeup waits again. */
#include <pthread.h>
#include <stdlib.h>

#include "jobq.h"

struct waiter {
	struct waiter *next;
	pthread_cond_t wake;     /* signalled once, when job is set */
	int job;
	bool done;
};

struct jobq {
	pthread_mutex_t lock;    /* guards everything below */
	struct waiter *first;    /* idle workers, oldest first */
	struct waiter *last;
	int jobs[JOBQ_CAP];      /* jobs nobody was waiting for */
	unsigned head;
	unsigned len;
};

struct jobq *jobq_new(void)
{
	struct jobq *q = calloc(1, sizeof *q);
	if (q == NULL)
		abort();
	pthread_mutex_init(&q->lock, NULL);
	return q;
}

void jobq_free(struct jobq *q)
{
	pthread_mutex_destroy(&q->lock);
	free(q);
}

bool jobq_put(struct jobq *q, int job)
{
	pthread_mutex_lock(&q->lock);
	struct waiter *w = q->first;
	if (w != NULL) {                  /* an idle worker: give it the job directly */
		q->first = w->next;
		if (q->first == NULL)
			q->last = NULL;
		w->job = job;
		w->done = true;
		pthread_cond_signal(&w->wake);
		pthread_mutex_unlock(&q->lock);
		return true;
	}
	if (q->len == JOBQ_CAP) {
		pthread_mutex_unlock(&q->lock);
		return false;
	}
	q->jobs[(q->head + q->len) % JOBQ_CAP] = job;
	q->len++;
	pthread_mutex_unlock(&q->lock);
	return true;
}

int jobq_take(struct jobq *q)
{
	pthread_mutex_lock(&q->lock);
	if (q->len > 0) {
		int job = q->jobs[q->head];
		q->head = (q->head + 1) % JOBQ_CAP;
		q->len--;
		pthread_mutex_unlock(&q->lock);
		return job;
	}
	struct waiter w = { .next = NULL, .done = false };
	pthread_cond_init(&w.wake, NULL);
	if (q->last != NULL)
		q->last->next = &w;
	else
		q->first = &w;
	q->last = &w;
	while (!w.done)                   /* only put sets done; anything else is spurious */
		pthread_cond_wait(&w.wake, &q->lock);
	int job = w.job;
	pthread_mutex_unlock(&q->lock);
	pthread_cond_destroy(&w.wake);
	return job;
}
