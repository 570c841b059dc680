/* wrong: takes the mutex with trylock; if it is busy, "someone is already counting", so it falls back to an atomic add instead of waiting. Wrong because the locked path does a plain c->value++ that the atomic add in another thread is not ordered with: under contention (4 threads at once) an atomic add landing between the locked load and store is overwritten and lost, and TSan reports the plain/atomic race; single-threaded or uncontended runs never take the fallback and look fine. Written by an outside author; no plain run shows it every time, the schedules gate forces its window (class 6). */
#include <errno.h>
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
	if (pthread_mutex_trylock(&c->lock) == EBUSY) {
		__atomic_fetch_add(&c->value, 1, __ATOMIC_SEQ_CST);
		return;
	}
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
