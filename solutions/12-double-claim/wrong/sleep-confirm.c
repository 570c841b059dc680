/* wrong: write my owner id, sleep 1 ms, read it back and keep the job if it is still mine: sleeping orders nothing; owner is a plain field raced by every worker. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <time.h>

#include "jobs.h"

struct job {
	int id;
	void *owner;	/* NULL until a worker claims it */
};

struct jobs {
	int n;
	struct job *job;
};

struct jobs *jobs_create(int n)
{
	struct jobs *t = malloc(sizeof *t);
	if (t == NULL)
		return NULL;
	t->job = calloc((size_t)n, sizeof *t->job);
	if (t->job == NULL) {
		free(t);
		return NULL;
	}
	t->n = n;
	for (int id = 0; id < n; id++)
		t->job[id] = (struct job){ .id = id, .owner = NULL };
	return t;
}

void jobs_destroy(struct jobs *t)
{
	free(t->job);
	free(t);
}

int jobs_claim_next(struct jobs *t, jobs_want_fn want, void *worker)
{
	const struct timespec settle = { 0, 1000000 };
	for (int id = 0; id < t->n; id++) {
		struct job *j = &t->job[id];
		if (j->owner != NULL || !want(id, worker))
			continue;
		j->owner = worker;
		nanosleep(&settle, NULL);	/* let a racing worker's write land */
		if (j->owner == worker)
			return id;
	}
	return -1;
}
