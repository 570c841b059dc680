/* wrong: an atomic load, then a separate atomic store of v+1: no data race for any detector, but two threads that load the same v both store v+1 and an increment is lost whenever they overlap. */
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
	long v = __atomic_load_n(&c->value, __ATOMIC_SEQ_CST);
	__atomic_store_n(&c->value, v + 1, __ATOMIC_SEQ_CST);
}

long counter_get(struct counter *c)
{
	return __atomic_load_n(&c->value, __ATOMIC_SEQ_CST);
}
