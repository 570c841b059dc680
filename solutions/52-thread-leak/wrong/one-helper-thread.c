/* wrong: one helper thread runs every task in turn and is joined: no race, no leak, but the tasks do not each run on a thread of their own, all at once, as fanout.h asks */
#include "fanout.h"

struct batch {
	struct task *tasks;
	int n;
};

static void *run_all(void *arg)
{
	struct batch *b = arg;

	for (int i = 0; i < b->n; i++)
		b->tasks[i].fn(&b->tasks[i]);
	return NULL;
}

int fanout_run(struct task *tasks, int n)
{
	struct batch b = { .tasks = tasks, .n = n };
	pthread_t helper;

	if (pthread_create(&helper, NULL, run_all, &b) != 0)
		return -1;
	pthread_join(helper, NULL);     /* one join covers every task */
	return 0;
}
