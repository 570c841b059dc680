/* alt: a compare-and-swap retry loop: old+1 is stored only if value still holds old, else the CAS reloads old and tries again, so no increment is overwritten; every access is atomic. */
#include <stdbool.h>
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
	long old = __atomic_load_n(&c->value, __ATOMIC_RELAXED);
	while (!__atomic_compare_exchange_n(&c->value, &old, old + 1, false,
					    __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		;	/* old now holds the fresh value: try again */
}

long counter_get(struct counter *c)
{
	return __atomic_load_n(&c->value, __ATOMIC_ACQUIRE);
}
