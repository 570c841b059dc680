/* wrong: joins every thread when all start, but when a pthread_create fails it returns -1 at once: the threads already started run on unjoined, and the handles leak */
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

	/* Finished, not just started. */
	for (int i = 0; i < n; i++)
		pthread_join(threads[i], NULL);
	free(threads);
	return 0;
}
