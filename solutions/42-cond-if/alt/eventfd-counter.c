/* alt: a Linux eventfd in EFD_SEMAPHORE mode counts queued jobs; an idle worker blocks in read() on it and jobq_put writes 1 after queueing. Each read takes one unit added for a job already in the ring, so exactly one worker goes on per job; EINTR retried. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "jobq.h"

struct jobq {
	pthread_mutex_t lock;    /* guards jobs, head, len */
	int efd;                 /* counter: jobs not yet claimed by a worker */
	int jobs[JOBQ_CAP];
	unsigned head;
	unsigned len;
};

struct jobq *jobq_new(void)
{
	struct jobq *q = calloc(1, sizeof *q);
	if (q == NULL)
		abort();
	q->efd = eventfd(0, EFD_SEMAPHORE | EFD_CLOEXEC);
	if (q->efd < 0)
		abort();
	pthread_mutex_init(&q->lock, NULL);
	return q;
}

void jobq_free(struct jobq *q)
{
	close(q->efd);
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

	uint64_t one = 1;
	while (write(q->efd, &one, sizeof one) != (ssize_t)sizeof one)
		if (errno != EINTR)
			abort();
	return true;
}

int jobq_take(struct jobq *q)
{
	uint64_t unit;
	while (read(q->efd, &unit, sizeof unit) != (ssize_t)sizeof unit)
		if (errno != EINTR)
			abort();
	pthread_mutex_lock(&q->lock);
	int job = q->jobs[q->head];
	q->head = (q->head + 1) % JOBQ_CAP;
	q->len--;
	pthread_mutex_unlock(&q->lock);
	return job;
}
