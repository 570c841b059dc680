/* alt: detach each thread and have it sem_post a counting semaphore after its task; fanout_run sem_waits once per started thread: sem_post/sem_wait order the results before the return */
#include <errno.h>
#include <semaphore.h>
#include <stdlib.h>

#include "fanout.h"

struct job {
	struct task *task;
	sem_t *done;
};

static void *run_task(void *arg)
{
	struct job *j = arg;
	sem_t *done = j->done;

	j->task->fn(j->task);
	sem_post(done);                 /* the last thing we touch of the caller's */
	return NULL;
}

int fanout_run(struct task *tasks, int n)
{
	if (n <= 0)
		return 0;
	struct job *jobs = calloc((size_t)n, sizeof *jobs);
	if (!jobs)
		return -1;

	sem_t done;
	if (sem_init(&done, 0, 0) != 0) {
		free(jobs);
		return -1;
	}
	int started = 0, rc = 0;
	for (; started < n; started++) {
		pthread_t th;
		jobs[started] = (struct job){ .task = &tasks[started], .done = &done };
		if (pthread_create(&th, NULL, run_task, &jobs[started]) != 0) {
			rc = -1;        /* wait for the ones already started */
			break;
		}
		pthread_detach(th);
	}

	for (int i = 0; i < started; i++)
		while (sem_wait(&done) != 0 && errno == EINTR)
			;
	sem_destroy(&done);
	free(jobs);
	return rc;
}
