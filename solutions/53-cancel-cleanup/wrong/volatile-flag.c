/* wrong: a retire flag written under the lock but read without it through volatile at the top of the worker loop: a data race, volatile orders nothing */
#include <stdlib.h>

#include "jobs.h"

enum { CAPACITY = 64 };

/* A live worker, on its own stack, linked into the queue's list while it runs. */
struct worker_node {
	pthread_t self;
	bool retire;			/* set by jobs_retire: end after the current job */
	struct worker_node *next;
};

struct jobs {
	pthread_mutex_t lock;
	pthread_cond_t ready;	/* signalled when a job is queued, broadcast on a retire */
	pthread_cond_t joined;	/* broadcast when a worker has put itself on the list */
	struct worker_node *workers;
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
	pthread_cond_init(&j->joined, NULL);
	j->workers = NULL;
	j->run = run;
	j->arg = arg;
	return j;
}

void jobs_destroy(struct jobs *j)
{
	pthread_cond_destroy(&j->joined);
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

void *jobs_worker(void *arg)
{
	struct jobs *j = arg;
	struct worker_node me = { .self = pthread_self(), .retire = false };

	pthread_mutex_lock(&j->lock);
	me.next = j->workers;
	j->workers = &me;
	pthread_cond_broadcast(&j->joined);
	pthread_mutex_unlock(&j->lock);
	for (;;) {
		if (*(volatile bool *)&me.retire)
			break;
		pthread_mutex_lock(&j->lock);
		while (j->count == 0 && !me.retire)
			pthread_cond_wait(&j->ready, &j->lock);
		if (j->count == 0) {		/* woken for the retire: leave at the top */
			pthread_mutex_unlock(&j->lock);
			continue;
		}
		int job = j->queue[j->head];
		j->head = (j->head + 1) % CAPACITY;
		j->count--;
		pthread_mutex_unlock(&j->lock);
		j->run(job, j->arg);		/* never cut: nobody cancels us */
	}
	pthread_mutex_lock(&j->lock);
	/* Leave the list, and pass on a wakeup meant for a job that we will not take. */
	for (struct worker_node **p = &j->workers; *p != NULL; p = &(*p)->next)
		if (*p == &me) {
			*p = me.next;
			break;
		}
	if (j->count > 0)
		pthread_cond_signal(&j->ready);
	pthread_mutex_unlock(&j->lock);
	return NULL;
}

void jobs_retire(struct jobs *j, pthread_t worker)
{
	struct worker_node *n;

	pthread_mutex_lock(&j->lock);
	/* A worker just created may not have put itself on the list yet. */
	for (;;) {
		for (n = j->workers; n != NULL; n = n->next)
			if (pthread_equal(n->self, worker) && !n->retire)
				break;
		if (n != NULL)
			break;
		pthread_cond_wait(&j->joined, &j->lock);
	}
	n->retire = true;
	pthread_cond_broadcast(&j->ready);	/* it may be any of the sleepers */
	pthread_mutex_unlock(&j->lock);
}
