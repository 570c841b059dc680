/* alt: no cancellation: jobs_retire links a request naming the worker under the lock, broadcasts, and waits until that worker has taken it; the worker looks for its request before each job and around each wait, and leaves holding nothing */
#include <stdlib.h>

#include "jobs.h"

enum { CAPACITY = 64 };

/* A request to retire one worker; lives on jobs_retire's stack until the worker takes it. */
struct retire_req {
	pthread_t who;
	bool taken;
	struct retire_req *next;
};

struct jobs {
	pthread_mutex_t lock;
	pthread_cond_t ready;	/* signalled when a job is queued, broadcast on a retire request */
	pthread_cond_t taken;	/* broadcast when a worker has taken its retire request */
	struct retire_req *reqs;
	int queue[CAPACITY];	/* a ring: count jobs from head on */
	int head, count;
	jobs_run_fn run;
	void *arg;
};

struct jobs *jobs_create(jobs_run_fn run, void *arg)
{
	struct jobs *j = calloc(1, sizeof *j);
	if (j == NULL)
		return NULL;
	pthread_mutex_init(&j->lock, NULL);
	pthread_cond_init(&j->ready, NULL);
	pthread_cond_init(&j->taken, NULL);
	j->reqs = NULL;
	j->run = run;
	j->arg = arg;
	return j;
}

void jobs_destroy(struct jobs *j)
{
	pthread_cond_destroy(&j->taken);
	pthread_cond_destroy(&j->ready);
	pthread_mutex_destroy(&j->lock);
	free(j);
}

bool jobs_submit(struct jobs *j, int job)
{
	pthread_mutex_lock(&j->lock);
	bool room = j->count < CAPACITY;
	if (room) {
		j->queue[(j->head + j->count) % CAPACITY] = job;
		j->count++;
		pthread_cond_signal(&j->ready);
	}
	pthread_mutex_unlock(&j->lock);
	return room;
}

/* Caller holds j->lock. The pending request for this thread, unlinked, or NULL. */
static struct retire_req *take_request(struct jobs *j)
{
	for (struct retire_req **p = &j->reqs; *p != NULL; p = &(*p)->next)
		if (pthread_equal((*p)->who, pthread_self())) {
			struct retire_req *r = *p;
			*p = r->next;
			return r;
		}
	return NULL;
}

void *jobs_worker(void *arg)
{
	struct jobs *j = arg;
	struct retire_req *r;

	pthread_mutex_lock(&j->lock);
	for (;;) {
		while (j->count == 0 && (r = take_request(j)) == NULL)
			pthread_cond_wait(&j->ready, &j->lock);
		if (j->count > 0)
			r = take_request(j);	/* retired beats busy: check before each job */
		if (r != NULL)
			break;
		int job = j->queue[j->head];
		j->head = (j->head + 1) % CAPACITY;
		j->count--;
		pthread_mutex_unlock(&j->lock);
		j->run(job, j->arg);		/* never cut: nobody cancels us */
		pthread_mutex_lock(&j->lock);
	}
	r->taken = true;			/* after this, r (on the retirer's stack) is not ours to touch */
	pthread_cond_broadcast(&j->taken);
	if (j->count > 0)
		pthread_cond_signal(&j->ready);	/* pass on a wakeup we may have taken */
	pthread_mutex_unlock(&j->lock);
	return NULL;
}

void jobs_retire(struct jobs *j, pthread_t worker)
{
	struct retire_req r = { .who = worker, .taken = false };

	pthread_mutex_lock(&j->lock);
	r.next = j->reqs;
	j->reqs = &r;
	pthread_cond_broadcast(&j->ready);	/* it may be any of the sleepers */
	while (!r.taken)			/* r lives here until the worker has taken it */
		pthread_cond_wait(&j->taken, &j->lock);
	pthread_mutex_unlock(&j->lock);
}
