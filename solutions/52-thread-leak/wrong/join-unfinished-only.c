/* wrong: joins only the tasks whose result is still unset and detaches the rest: the unsynchronized read of result races with the task writing it */
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

	int started = 0, rc = 0;
	for (; started < n; started++)
		if (pthread_create(&threads[started], NULL, run_task, &tasks[started]) != 0) {
			rc = -1;
			break;
		}

	/* Only wait for the tasks that have not produced their result yet. */
	for (int i = 0; i < started; i++) {
		if (tasks[i].result == 0)
			pthread_join(threads[i], NULL);
		else
			pthread_detach(threads[i]);
	}
	free(threads);
	return rc;
}
