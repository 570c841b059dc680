/* fanout.c (solution): join every thread that was started, then free the handles. */
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

	int started = 0;
	while (started < n &&
	       pthread_create(&threads[started], NULL, run_task, &tasks[started]) == 0)
		started++;

	/*
	 * pthread_join is what makes "finished" true: it returns only after the
	 * thread has ended, it orders the thread's writes (the results) before
	 * everything we do next, and it releases the thread's stack. Join even
	 * when a create failed, so no thread outlives this call.
	 */
	for (int i = 0; i < started; i++)
		pthread_join(threads[i], NULL);

	free(threads);
	return started == n ? 0 : -1;
}
