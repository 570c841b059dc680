/* counter.c: the fix for 11-lost-update: the increment happens under the counter's mutex. */
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
	/* Load, add and store now happen as one step for every other thread that locks. */
	pthread_mutex_lock(&c->lock);
	c->value++;
	pthread_mutex_unlock(&c->lock);
}

long counter_get(struct counter *c)
{
	pthread_mutex_lock(&c->lock);
	long v = c->value;
	pthread_mutex_unlock(&c->lock);
	return v;
}
