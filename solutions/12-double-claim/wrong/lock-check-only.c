/* wrong: lock around the check, but mark the job claimed outside the lock */
#include <pthread.h>
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
	pthread_mutex_t lock;
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
	pthread_mutex_init(&t->lock, NULL);
	for (int id = 0; id < n; id++)
		t->job[id] = (struct job){ .id = id, .state = PENDING };
	return t;
}

void jobs_destroy(struct jobs *t)
{
	pthread_mutex_destroy(&t->lock);
	free(t->job);
	free(t);
}

int jobs_claim_next(struct jobs *t, jobs_want_fn want, void *worker)
{
	for (int id = 0; id < t->n; id++) {
		struct job *j = &t->job[id];
		/* Read the state under the lock, so the check is safe... */
		pthread_mutex_lock(&t->lock);
		bool pending = j->state == PENDING;
		pthread_mutex_unlock(&t->lock);
		if (!pending || !want(id, worker))
			continue;
		/* ...and take the job once the lock is dropped. */
		j->state = CLAIMED;
		return id;
	}
	return -1;
}
