/* jobs.c (solution): each job is claimed with one compare-and-swap on its state. */
#include <stdatomic.h>
#include <stdlib.h>

#include "jobs.h"

enum { PENDING, CLAIMED };

struct job {
	int id;
	atomic_int state;	/* PENDING until one compare-and-swap makes it CLAIMED */
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
		/* A cheap look first: skip what is taken without asking want(). */
		if (atomic_load(&j->state) != PENDING || !want(id, worker))
			continue;
		/*
		 * The look is only a hint: another worker may be deciding about this
		 * job too. Check and act in one step: the swap succeeds for exactly
		 * one worker; the others skip the job and go on, they never wait.
		 */
		int expected = PENDING;
		if (atomic_compare_exchange_strong(&j->state, &expected, CLAIMED))
			return id;
	}
	return -1;
}
