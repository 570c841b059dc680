/* alt: a closing flag under the lock, and a chain of signals instead of a broadcast: shutdown signals once and every worker that leaves signals once more. After closing no worker starts a new sleep, and each exit wakes one more of the fixed set of sleepers, so all leave. */
#include <stdlib.h>

#include "pool.h"

/* Caller holds p->lock. */
static void push(struct pool *p, long item)
{
	while (p->count == QUEUE_CAP)
		pthread_cond_wait(&p->not_full, &p->lock);
	p->items[(p->head + p->count) % QUEUE_CAP] = item;
	p->count++;
	pthread_cond_signal(&p->not_empty);
}

/* Caller holds p->lock. Returns false when the pool is closing and nothing is left. */
static bool pop(struct pool *p, long *out)
{
	while (p->count == 0 && !p->closing)
		pthread_cond_wait(&p->not_empty, &p->lock);
	if (p->count == 0)
		return false;           /* closing, and the queue is drained */
	long item = p->items[p->head];
	p->head = (p->head + 1) % QUEUE_CAP;
	p->count--;
	pthread_cond_signal(&p->not_full);
	*out = item;
	return true;
}

static void *worker(void *arg)
{
	struct pool *p = arg;

	for (;;) {
		long item;
		pthread_mutex_lock(&p->lock);
		bool got = pop(p, &item);
		if (!got) {
			/* closed and empty: pass the wakeup on to the next sleeper, then go */
			pthread_cond_signal(&p->not_empty);
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
		p->nworkers++;          /* only threads that exist get joined */
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
	/* Workers finish what is queued, then see "empty and closing" and leave. */
	pthread_mutex_lock(&p->lock);
	p->closing = true;
	pthread_cond_signal(&p->not_empty);      /* the first link of the chain */
	pthread_mutex_unlock(&p->lock);

	for (int i = 0; i < p->nworkers; i++)
		pthread_join(p->workers[i], NULL);

	pthread_cond_destroy(&p->not_full);
	pthread_cond_destroy(&p->not_empty);
	pthread_mutex_destroy(&p->lock);
}
