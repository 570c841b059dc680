/* jobs.c: the job table and its claim; many workers claim at once. Fix it. */
#include <stdlib.h>

#include "jobs.h"

enum { PENDING, CLAIMED };

struct job {
	int id;
	int state;	/* PENDING until a worker claims it, then CLAIMED for good */
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
		t->job[id] = (struct job){ .id = id, .state = PENDING };
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
		/* Check: still free, and wanted by this worker? */
		if (j->state != PENDING || !want(id, worker))
			continue;
		/* Act: take it. Any other worker may have done the same check meanwhile. */
		j->state = CLAIMED;
		return id;
	}
	return -1;
}
