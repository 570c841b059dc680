/* wrong: states in a second calloc, claimed by CAS (right), but when that calloc fails jobs_create frees the table and not t->job: a leak on the out-of-memory path. */
#include <stdatomic.h>
#include <stdlib.h>

#include "jobs.h"

enum { PENDING, CLAIMED };

struct job {
	int id;
};

struct jobs {
	int n;
	struct job *job;
	_Atomic int *state;	/* state[id]: PENDING until claimed, then CLAIMED */
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
	t->state = calloc((size_t)n, sizeof *t->state);
	if (t->state == NULL) {
		free(t);
		return NULL;
	}
	t->n = n;
	for (int id = 0; id < n; id++) {
		t->job[id].id = id;
		atomic_init(&t->state[id], PENDING);
	}
	return t;
}

void jobs_destroy(struct jobs *t)
{
	free(t->state);
	free(t->job);
	free(t);
}

int jobs_claim_next(struct jobs *t, jobs_want_fn want, void *worker)
{
	for (int id = 0; id < t->n; id++) {
		if (atomic_load(&t->state[id]) != PENDING || !want(id, worker))
			continue;
		int expected = PENDING;
		if (atomic_compare_exchange_strong(&t->state[id], &expected, CLAIMED))
			return id;
	}
	return -1;
}
