/* counter.c: a hit counter that many threads bump at once. Fix it. */
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
	/* One line, three steps: load value, add one, store it back. */
	c->value++;
}

long counter_get(struct counter *c)
{
	pthread_mutex_lock(&c->lock);
	long v = c->value;
	pthread_mutex_unlock(&c->lock);
	return v;
}
