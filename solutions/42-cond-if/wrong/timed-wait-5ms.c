/* wrong: a while loop around a 5 ms pthread_cond_timedwait, "in case a wakeup is missed": every job still runs once, but idle workers wake 200 times a second (polling, which the README rules out). */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

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
	/*
	 * A loop, not an if: waking up only means "look again". Another worker
	 * may have taken the job first (the broadcast wakes them all), and POSIX
	 * allows a wait to return with no wakeup at all.
	 */
	while (q->len == 0) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 5 * 1000 * 1000;      /* look again in 5 ms anyway */
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&q->arrived, &q->lock, &until);
	}
	int job = q->jobs[q->head];
	q->head = (q->head + 1) % JOBQ_CAP;
	q->len--;
	pthread_mutex_unlock(&q->lock);
	return job;
}
