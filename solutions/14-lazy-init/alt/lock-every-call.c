/* alt: take the mutex on every call and check and load under it: the check and the act are one critical section, and every read of instance is ordered after its write by the lock. Slower than pthread_once (every call locks), never wrong. */
#include <pthread.h>
#include <stddef.h>

#include "config.h"

static struct config *instance;	/* guarded by instance_lock */
static pthread_mutex_t instance_lock = PTHREAD_MUTEX_INITIALIZER;

const struct config *config_get(void)
{
	pthread_mutex_lock(&instance_lock);
	if (instance == NULL)
		instance = config_load();	/* a second first caller waits here for this load */
	struct config *c = instance;
	pthread_mutex_unlock(&instance_lock);
	return c;
}
