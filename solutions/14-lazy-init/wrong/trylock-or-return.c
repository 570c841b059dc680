/* wrong: a caller that finds the lock busy assumes "someone is loading it" and returns the pointer as it is: while the first load runs, that is NULL (and a plain read racing with the write). */
#include <pthread.h>
#include <stddef.h>

#include "config.h"

static struct config *instance;
static pthread_mutex_t instance_lock = PTHREAD_MUTEX_INITIALIZER;

const struct config *config_get(void)
{
	if (pthread_mutex_trylock(&instance_lock) != 0)
		return instance;	/* busy: somebody else is loading it, nobody should wait */
	if (instance == NULL)
		instance = config_load();
	pthread_mutex_unlock(&instance_lock);
	return instance;
}
