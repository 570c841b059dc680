/* alt: atomic_exchange(CLAIMED) as a one-shot test-and-set: CLAIMED is final, so of all swaps on one job exactly one returns PENDING; the losers skip on; no lock. */
#include <stdatomic.h>
#include <stdlib.h>

#include "jobs.h"

enum { PENDING, CLAIMED };

struct job {
	int id;
	_Atomic int state;	/* PENDING until a worker claims it, then CLAIMED for good */
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
		atomic_init(&t->job[id].state, PENDING);
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
		if (atomic_load(&j->state) != PENDING || !want(id, worker))
			continue;
		/* Take it and learn in the same step whether it was still free. */
		if (atomic_exchange(&j->state, CLAIMED) == PENDING)
			return id;
		/* Someone else got there first: skip it. */
	}
	return -1;
}
