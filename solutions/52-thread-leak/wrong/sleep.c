/* wrong: sleep before returning, so the threads have time to finish */
#include <stdlib.h>
#include <unistd.h>

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

	/* Give the tasks time to finish before anyone reads the results. */
	usleep(100 * 1000);
	free(threads);
	return 0;
}
