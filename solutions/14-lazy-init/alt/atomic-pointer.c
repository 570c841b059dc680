/* alt: double-checked locking on an _Atomic pointer: the release store publishes the loaded config, the acquire load that sees it sees its fields, and the mutex lets one caller load. */
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include "config.h"

static _Atomic(struct config *) instance;	/* NULL until the config is loaded, then set once */
static pthread_mutex_t instance_lock = PTHREAD_MUTEX_INITIALIZER;

const struct config *config_get(void)
{
	/* Acquire: if this sees the pointer, it sees every field written before the release store. */
	struct config *c = atomic_load_explicit(&instance, memory_order_acquire);
	if (c != NULL)
		return c;

	pthread_mutex_lock(&instance_lock);
	/* Again, under the lock: another first caller may have loaded it while we waited here. */
	c = atomic_load_explicit(&instance, memory_order_relaxed);
	if (c == NULL) {
		c = config_load();
		/* Release: the config's fields are written before any caller can find the pointer. */
		atomic_store_explicit(&instance, c, memory_order_release);
	}
	pthread_mutex_unlock(&instance_lock);
	return c;
}
