/* fanout.c: runs each task on a thread of its own, then forgets the threads. Fix it. */
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

	for (int i = 0; i < n; i++)
		if (pthread_create(&threads[i], NULL, run_task, &tasks[i]) != 0)
			return -1;

	/* Every task has a thread now, and threads are fast. */
	return 0;
}
