/* wrong: double-checked locking on a plain pointer (check, lock, check again, load) */
#include <pthread.h>
#include <stddef.h>

#include "config.h"

static struct config *instance;	/* NULL until the first config_get() */
static pthread_mutex_t instance_lock = PTHREAD_MUTEX_INITIALIZER;

const struct config *config_get(void)
{
	/* The fast path takes no lock: once the config is there, nobody waits. */
	if (instance == NULL) {
		pthread_mutex_lock(&instance_lock);
		/* Check again under the lock: only one caller can load. */
		if (instance == NULL)
			instance = config_load();
		pthread_mutex_unlock(&instance_lock);
	}
	return instance;
}
