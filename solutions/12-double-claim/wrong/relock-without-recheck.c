/* wrong: check under the table lock, let go for want(), lock again and mark CLAIMED without checking again: no data race, but two workers that both saw job 0 pending both take it. */
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
	for (int id = 0; id < n; id++)
		t->job[id] = (struct job){ .id = id, .state = PENDING };
	pthread_mutex_init(&t->lock, NULL);
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
		pthread_mutex_lock(&t->lock);
		int pending = j->state == PENDING;
		pthread_mutex_unlock(&t->lock);
		/* No lock while want() runs. */
		if (!pending || !want(id, worker))
			continue;
		pthread_mutex_lock(&t->lock);
		j->state = CLAIMED;
		pthread_mutex_unlock(&t->lock);
		return id;
	}
	return -1;
}
