/* alt: one pill that counts: -k means k workers still to stop; the worker that swallows -k puts -(k-1) back at the tail under the same lock hold (its pop just freed a slot) before it leaves. The pill is behind all queued work, and the last worker takes -1. */
#include <stdlib.h>

#include "pool.h"

/* Items are >= 0; a pill is -k: "k workers, me included, still have to stop". */
static bool is_pill(long item) { return item < 0; }

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
		if (is_pill(item)) {
			if (item < -1)
				push(p, item + 1);   /* hand the pill on, one worker fewer */
			pthread_mutex_unlock(&p->lock);
			return NULL;
		}
		pthread_mutex_unlock(&p->lock);
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
	p->nworkers = 0;
	for (int i = 0; i < nworkers; i++) {
		if (pthread_create(&p->workers[i], NULL, worker, p) != 0)
			break;
		p->nworkers++;          /* only threads that exist are counted in the pill and joined */
	}
	if (p->nworkers == 0)
		abort();                /* no worker at all: nothing would ever be handled */
}

void pool_submit(struct pool *p, long item)
{
	pthread_mutex_lock(&p->lock);
	push(p, item);
	pthread_mutex_unlock(&p->lock);
}

void pool_shutdown(struct pool *p)
{
	/* One pill behind the queued items; it goes round until every worker had it. */
	pthread_mutex_lock(&p->lock);
	push(p, -(long)p->nworkers);
	pthread_mutex_unlock(&p->lock);

	for (int i = 0; i < p->nworkers; i++)
		pthread_join(p->workers[i], NULL);

	pthread_cond_destroy(&p->not_full);
	pthread_cond_destroy(&p->not_empty);
	pthread_mutex_destroy(&p->lock);
}
