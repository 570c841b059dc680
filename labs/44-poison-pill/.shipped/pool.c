/* pool.c: a worker pool stopped with a poison pill. Fix pool_shutdown so it returns. */
#include <stdlib.h>

#include "pool.h"

/* Not an item: the worker that pops it stops. */
enum { POISON = -1 };

/* Caller holds p->lock. */
static void push(struct pool *p, long item)
{
	while (p->count == QUEUE_CAP)
		pthread_cond_wait(&p->not_full, &p->lock);
	p->items[(p->head + p->count) % QUEUE_CAP] = item;
	p->count++;
	pthread_cond_signal(&p->not_empty);
}

/* Caller holds p->lock. */
static long pop(struct pool *p)
{
	while (p->count == 0)
		pthread_cond_wait(&p->not_empty, &p->lock);
	long item = p->items[p->head];
	p->head = (p->head + 1) % QUEUE_CAP;
	p->count--;
	pthread_cond_signal(&p->not_full);
	return item;
}

static void *worker(void *arg)
{
	struct pool *p = arg;

	for (;;) {
		pthread_mutex_lock(&p->lock);
		long item = pop(p);
		pthread_mutex_unlock(&p->lock);
		if (item == POISON)
			return NULL;    /* swallowed the pill: this worker is done */
		p->handle(item);        /* outside the lock, so workers run in parallel */
	}
}

void pool_start(struct pool *p, int nworkers, handle_fn handle)
{
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->not_empty, NULL);
	pthread_cond_init(&p->not_full, NULL);
	p->head = p->count = 0;
	p->closing = false;
	p->handle = handle;
	/* Only threads that exist are counted, stopped and joined; with none, no item would ever be handled. */
	p->nworkers = 0;
	for (int i = 0; i < nworkers; i++) {
		if (pthread_create(&p->workers[i], NULL, worker, p) != 0)
			break;
		p->nworkers++;
	}
	if (p->nworkers == 0)
		abort();
}

void pool_submit(struct pool *p, long item)
{
	pthread_mutex_lock(&p->lock);
	push(p, item);
	pthread_mutex_unlock(&p->lock);
}

void pool_shutdown(struct pool *p)
{
	/* The pill goes in behind the queued items, so they are handled first. */
	pthread_mutex_lock(&p->lock);
	push(p, POISON);
	pthread_mutex_unlock(&p->lock);

	for (int i = 0; i < p->nworkers; i++)
		pthread_join(p->workers[i], NULL);

	pthread_cond_destroy(&p->not_full);
	pthread_cond_destroy(&p->not_empty);
	pthread_mutex_destroy(&p->lock);
}
