/* wrong: a claimed-bitmap of a fixed 1024 bits inside struct jobs: right for small tables, but a table of more than 1024 jobs indexes past it. */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "jobs.h"

#define MAX_JOBS 1024

struct jobs {
	int n;
	_Atomic uint64_t claimed[MAX_JOBS / 64];	/* bit id set: job id taken */
};

struct jobs *jobs_create(int n)
{
	struct jobs *t = malloc(sizeof *t);
	if (t == NULL)
		return NULL;
	t->n = n;
	for (int w = 0; w < MAX_JOBS / 64; w++)
		atomic_init(&t->claimed[w], 0);
	return t;
}

void jobs_destroy(struct jobs *t)
{
	free(t);
}

int jobs_claim_next(struct jobs *t, jobs_want_fn want, void *worker)
{
	for (int id = 0; id < t->n; id++) {
		uint64_t bit = UINT64_C(1) << (id % 64);
		if ((atomic_load(&t->claimed[id / 64]) & bit) || !want(id, worker))
			continue;
		if (!(atomic_fetch_or(&t->claimed[id / 64], bit) & bit))
			return id;
	}
	return -1;
}
