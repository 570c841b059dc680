/* wrong: each thread counts itself started, then finished, and fanout_run waits until finished == started: a thread not yet begun is in neither count, so it returns early and the late threads use a freed latch */
#include <stdlib.h>

#include "fanout.h"

struct latch {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	int started, finished;
};

struct job {
	struct task *task;
	struct latch *latch;
};

static void *run_counted(void *arg)
{
	struct job *j = arg;
	struct latch *l = j->latch;

	pthread_mutex_lock(&l->lock);
	l->started++;
	pthread_mutex_unlock(&l->lock);

	j->task->fn(j->task);

	pthread_mutex_lock(&l->lock);
	l->finished++;
	pthread_cond_broadcast(&l->changed);
	pthread_mutex_unlock(&l->lock);
	return NULL;
}

int fanout_run(struct task *tasks, int n)
{
	struct job *jobs = calloc((size_t)n, sizeof *jobs);
	if (!jobs)
		return -1;
	struct latch l = { .started = 0, .finished = 0 };
	pthread_mutex_init(&l.lock, NULL);
	pthread_cond_init(&l.changed, NULL);

	int rc = 0;
	for (int i = 0; i < n; i++) {
		pthread_t th;
		jobs[i] = (struct job){ .task = &tasks[i], .latch = &l };
		if (pthread_create(&th, NULL, run_counted, &jobs[i]) != 0) {
			rc = -1;
			break;
		}
		pthread_detach(th);
	}

	/* Wait until every thread that started has finished. */
	pthread_mutex_lock(&l.lock);
	while (l.finished < l.started)
		pthread_cond_wait(&l.changed, &l.lock);
	pthread_mutex_unlock(&l.lock);

	pthread_cond_destroy(&l.changed);
	pthread_mutex_destroy(&l.lock);
	free(jobs);
	return rc;
}
