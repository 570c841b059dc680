/* alt: SKIP LOCKED literally: after want() says yes, trylock the row mutex (busy: skip), re-check and take under it; want() runs with no lock held and nobody waits. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "jobs.h"

enum { PENDING, CLAIMED };

struct job {
	int id;
	_Atomic int state;	/* PENDING until a worker claims it, then CLAIMED for good */
	pthread_mutex_t row;	/* held only by a worker in the act of taking it */
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
		pthread_mutex_init(&t->job[id].row, NULL);
	}
	return t;
}

void jobs_destroy(struct jobs *t)
{
	for (int id = 0; id < t->n; id++)
		pthread_mutex_destroy(&t->job[id].row);
	free(t->job);
	free(t);
}

int jobs_claim_next(struct jobs *t, jobs_want_fn want, void *worker)
{
	for (int id = 0; id < t->n; id++) {
		struct job *j = &t->job[id];
		if (atomic_load(&j->state) != PENDING || !want(id, worker))
			continue;
		if (pthread_mutex_trylock(&j->row) != 0)
			continue;	/* someone is taking it right now: skip */
		int mine = atomic_load(&j->state) == PENDING;
		if (mine)
			atomic_store(&j->state, CLAIMED);
		pthread_mutex_unlock(&j->row);
		if (mine)
			return id;
	}
	return -1;
}
