/* wrong: the handles live in a local array of 16 (no malloc to leak): a batch of more than 16 tasks writes past its end */
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
	pthread_t threads[16];          /* a batch is a handful of pages */
	int started = 0, rc = 0;

	for (; started < n; started++)
		if (pthread_create(&threads[started], NULL, run_task, &tasks[started]) != 0) {
			rc = -1;
			break;
		}

	/* Finished, not just started. */
	for (int i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	return rc;
}
