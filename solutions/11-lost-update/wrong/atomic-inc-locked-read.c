/* wrong: make the increment atomic, and leave the reader as it was: a plain read of value under a lock the writers never take. */
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
	/* One indivisible read-modify-write: no increment is lost any more. */
	__atomic_fetch_add(&c->value, 1, __ATOMIC_RELAXED);
}

long counter_get(struct counter *c)
{
	/* The reader already locks, so it looks safe; but the writers no longer take this lock,
	 * and a plain read racing with an atomic write is still a data race. */
	pthread_mutex_lock(&c->lock);
	long v = c->value;
	pthread_mutex_unlock(&c->lock);
	return v;
}
