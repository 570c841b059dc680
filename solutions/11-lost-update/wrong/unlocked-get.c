/* wrong: lock the increment but read without the lock ("an aligned long load is atomic"): the read races with the locked writes while threads count (C11 UB); the total still comes out right. */
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
	pthread_mutex_lock(&c->lock);
	c->value++;
	pthread_mutex_unlock(&c->lock);
}

long counter_get(struct counter *c)
{
	/* A single aligned load cannot be torn, so no lock needed here. */
	return c->value;
}
