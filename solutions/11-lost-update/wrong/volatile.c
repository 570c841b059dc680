/* wrong: make the increment go through a volatile pointer, hoping the compiler was the problem. */
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
	/* volatile forces a real load and store, but still two of them: nothing atomic. */
	volatile long *v = &c->value;
	(*v)++;
}

long counter_get(struct counter *c)
{
	pthread_mutex_lock(&c->lock);
	long v = c->value;
	pthread_mutex_unlock(&c->lock);
	return v;
}
