/* alt: a per-job atomic counter of claim attempts: atomic_fetch_add hands out each value once, so exactly one worker draws ticket 0 and owns the job; a non-zero count means taken. */
#include <stdatomic.h>
#include <stdlib.h>

#include "jobs.h"

struct job {
	int id;
	atomic_uint tickets;	/* 0: pending; >0: claimed by whoever drew ticket 0 */
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
	for (int id = 0; id < n; id++) {
		t->job[id].id = id;
		atomic_init(&t->job[id].tickets, 0);
	}
	return t;
}

void jobs_destroy(struct jobs *t)
{
	free(t->job);
	free(t);
}

int jobs_claim_next(struct jobs *t, jobs_want_fn want, void *worker)
{
	for (int id = 0; id < t->n; id++) {
		struct job *j = &t->job[id];
		if (atomic_load(&j->tickets) != 0 || !want(id, worker))
			continue;
		if (atomic_fetch_add(&j->tickets, 1) == 0)
			return id;	/* first ticket: ours */
	}
	return -1;
}
