/* wrong: makes state _Atomic, and after want() re-checks atomic_load(state) == PENDING right before atomic_store(CLAIMED). Wrong because the re-check and the store are still two atomic steps: two workers released from want() together both re-load PENDING, both store CLAIMED and both return job 0 (claimed 2 times); TSan stays quiet because every access is atomic, only the claim count shows it. Written by an outside author; no plain run shows it every time, the schedules gate forces its window (class 6). */
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
		/* want() may have been slow: make sure it is still free, then take it. */
		if (atomic_load(&j->state) != PENDING)
			continue;
		atomic_store(&j->state, CLAIMED);
		return id;
	}
	return -1;
}
