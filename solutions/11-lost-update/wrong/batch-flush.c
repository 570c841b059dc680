/* wrong: count into a thread-local batch and add it under the lock every 1000: exact for 4 x 1,000,000, but a partial batch is never added, so 999 increments count as 0. */
#include "counter.h"

#define BATCH 1000

static _Thread_local long pending;

void counter_init(struct counter *c)
{
	c->value = 0;
	pthread_mutex_init(&c->lock, NULL);
}

void counter_destroy(struct counter *c)
{
	pthread_mutex_destroy(&c->lock);
}

void counter_inc(struct counter *c)
{
	if (++pending < BATCH)
		return;
	pthread_mutex_lock(&c->lock);
	c->value += pending;
	pthread_mutex_unlock(&c->lock);
	pending = 0;
}

long counter_get(struct counter *c)
{
	pthread_mutex_lock(&c->lock);
	long v = c->value;
	pthread_mutex_unlock(&c->lock);
	return v;
}
