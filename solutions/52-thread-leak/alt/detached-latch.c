/* alt: threads created detached, and a mutex + condvar latch on the caller's stack counts finished tasks; fanout_run waits (predicate loop) until every started task has counted, which orders the results before its return */
#include <stdlib.h>

#include "fanout.h"

struct latch {
	pthread_mutex_t lock;
	pthread_cond_t all_done;
	int done;                       /* tasks finished */
};

struct job {
	struct task *task;
	struct latch *latch;
};

static void *run_task(void *arg)
{
	struct job *j = arg;
	struct task *t = j->task;
	struct latch *l = j->latch;

	t->fn(t);
	pthread_mutex_lock(&l->lock);
	l->done++;
	pthread_cond_broadcast(&l->all_done);
	pthread_mutex_unlock(&l->lock);     /* the last thing we touch of the caller's */
	return NULL;
}

int fanout_run(struct task *tasks, int n)
{
	if (n <= 0)
		return 0;
	struct job *jobs = calloc((size_t)n, sizeof *jobs);
	if (!jobs)
		return -1;

	struct latch l = { .done = 0 };
	pthread_attr_t attr;
	if (pthread_mutex_init(&l.lock, NULL) != 0) {
		free(jobs);
		return -1;
	}
	if (pthread_cond_init(&l.all_done, NULL) != 0) {
		pthread_mutex_destroy(&l.lock);
		free(jobs);
		return -1;
	}
	int started = 0, rc = 0;
	if (pthread_attr_init(&attr) != 0) {
		rc = -1;
	} else {
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		for (; started < n; started++) {
			pthread_t th;
			jobs[started] = (struct job){ .task = &tasks[started], .latch = &l };
			if (pthread_create(&th, &attr, run_task, &jobs[started]) != 0) {
				rc = -1;        /* wait for the ones already started */
				break;
			}
		}
		pthread_attr_destroy(&attr);
	}

	pthread_mutex_lock(&l.lock);
	while (l.done < started)
		pthread_cond_wait(&l.all_done, &l.lock);
	pthread_mutex_unlock(&l.lock);

	pthread_cond_destroy(&l.all_done);
	pthread_mutex_destroy(&l.lock);
	free(jobs);
	return rc;
}
