/* wrong: detach every thread, then spin until every volatile result is set: a data race, not a synchronization (and a real result of 0 spins forever) */
#include <sched.h>
#include <stdlib.h>

#include "fanout.h"

static void *run_task(void *arg)
{
	struct task *t = arg;
	t->fn(t);
	return NULL;
}

int fanout_run(struct task *tasks, int n)
{
	pthread_t *threads = calloc((size_t)n, sizeof *threads);
	if (!threads)
		return -1;

	for (int i = 0; i < n; i++) {
		if (pthread_create(&threads[i], NULL, run_task, &tasks[i]) != 0) {
			free(threads);
			return -1;
		}
		pthread_detach(threads[i]);
	}
	free(threads);

	/* Each task fills in its result when it is done: wait until all have. */
	for (int i = 0; i < n; i++)
		while (*(volatile long *)&tasks[i].result == 0)
			sched_yield();
	return 0;
}
