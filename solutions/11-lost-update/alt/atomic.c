/* alt: no lock: __atomic_fetch_add makes each increment one indivisible read-modify-write on the plain long that counter.h declares, and every access to value is atomic, so none races. */
#include "counter.h"

/*
 * counter.h keeps value a plain long, so <stdatomic.h>'s atomic_fetch_add
 * (which wants an _Atomic object) does not apply; GCC's and clang's __atomic
 * builtins work on a plain integer. Relaxed is enough: the count orders
 * nothing else, it only has to add up.
 */

void counter_init(struct counter *c)
{
	c->value = 0;	/* before any thread can see the counter */
	pthread_mutex_init(&c->lock, NULL);
}

void counter_destroy(struct counter *c)
{
	pthread_mutex_destroy(&c->lock);
}

void counter_inc(struct counter *c)
{
	__atomic_fetch_add(&c->value, 1, __ATOMIC_RELAXED);
}

long counter_get(struct counter *c)
{
	/* Atomic too: a reader may look while other threads count. */
	return __atomic_load_n(&c->value, __ATOMIC_RELAXED);
}
