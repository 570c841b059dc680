/* alt: C11 <threads.h>: thrd_create each task, thrd_join every started one (the error path too), free the handles; thrd_join synchronizes with the thread's end (C11 7.26.5.6) */
#include <stdlib.h>
#include <threads.h>

#include "fanout.h"

static int run_task(void *arg)
{
	struct task *t = arg;
	t->fn(t);
	return 0;
}

int fanout_run(struct task *tasks, int n)
{
	if (n <= 0)
		return 0;
	thrd_t *threads = calloc((size_t)n, sizeof *threads);
	if (!threads)
		return -1;

	int started = 0, rc = 0;
	for (; started < n; started++)
		if (thrd_create(&threads[started], run_task, &tasks[started]) != thrd_success) {
			rc = -1;        /* the ones already started still have to finish */
			break;
		}

	for (int i = 0; i < started; i++)
		thrd_join(threads[i], NULL);
	free(threads);
	return rc;
}
