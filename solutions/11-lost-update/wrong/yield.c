/* wrong: call sched_yield() before the increment, hoping to give other threads their turn first. */
#include <sched.h>

#include "counter.h"

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
	/* Yielding changes the timing, not the rules: the increment is still unordered. */
	sched_yield();
	c->value++;
}

long counter_get(struct counter *c)
{
	pthread_mutex_lock(&c->lock);
	long v = c->value;
	pthread_mutex_unlock(&c->lock);
	return v;
}
