/* wrong: CAS the job to CLAIMED before asking want(), give it back on a no: while a refuser decides, the job looks taken and a worker that wants it is handed -1. */
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
		int expected = PENDING;
		/* Take it first, so nobody else can race us while we decide. */
		if (!atomic_compare_exchange_strong(&j->state, &expected, CLAIMED))
			continue;
		if (want(id, worker))
			return id;
		atomic_store(&j->state, PENDING);	/* not ours: give it back */
	}
	return -1;
}
