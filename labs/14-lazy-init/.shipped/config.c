/* config.c: the service's config, loaded lazily by the first caller. Fix it. */
#include <pthread.h>
#include <stddef.h>

#include "config.h"

static struct config *instance;	/* NULL until the first config_get() */
static pthread_mutex_t instance_lock = PTHREAD_MUTEX_INITIALIZER;

const struct config *config_get(void)
{
	if (instance == NULL) {
		/* Loaded outside the lock: loading is slow, and nobody should wait for it. */
		struct config *c = config_load();
		pthread_mutex_lock(&instance_lock);
		instance = c;
		pthread_mutex_unlock(&instance_lock);
	}
	return instance;
}
