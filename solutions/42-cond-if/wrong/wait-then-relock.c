/* wrong: waits correctly in `while (q->len == 0)`, unlocks, and then takes the job in a second short critical section. Wrong because the check and the take are in different critical sections: two workers woken by one broadcast can both see len == 1 and leave the loop before either takes, then both take: one gets the job, the other the stale head of an empty ring (len wraps to UINT_MAX), i.e. a job run twice. Shows with two idle workers and one job whenever the second worker gets the mutex between the first one's unlock and relock. Written by an outside author; the schedules gate forces the window that plain runs rarely open. */
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
	while (q->len == 0)     /* sleep until there is a job */
		pthread_cond_wait(&q->arrived, &q->lock);
	pthread_mutex_unlock(&q->lock);

	pthread_mutex_lock(&q->lock);     /* there is a job: take it */
	int job = q->jobs[q->head];
	q->head = (q->head + 1) % JOBQ_CAP;
	q->len--;
	pthread_mutex_unlock(&q->lock);
	return job;
}
