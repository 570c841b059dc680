/* wrong: double-checked locking on an atomic pointer, but with relaxed loads and stores */
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include "config.h"

static _Atomic(struct config *) instance;	/* NULL until the first config_get() */
static pthread_mutex_t instance_lock = PTHREAD_MUTEX_INITIALIZER;

const struct config *config_get(void)
{
	/* Atomic, so never torn; relaxed, since it is "only a pointer" and relaxed is cheapest. */
	struct config *c = atomic_load_explicit(&instance, memory_order_relaxed);
	if (c == NULL) {
		pthread_mutex_lock(&instance_lock);
		c = atomic_load_explicit(&instance, memory_order_relaxed);
		if (c == NULL) {
			c = config_load();
			atomic_store_explicit(&instance, c, memory_order_relaxed);
		}
		pthread_mutex_unlock(&instance_lock);
	}
	return c;
}
