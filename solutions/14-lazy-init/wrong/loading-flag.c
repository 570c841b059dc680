/* wrong: a "loading" flag set under the lock lets exactly one caller load (outside the lock), but the others wait by spinning on the plain pointer: loaded once, yet that read races with the write and orders nothing about the fields. */
#include <pthread.h>
#include <sched.h>
#include <stddef.h>

#include "config.h"

static struct config *instance;
static int loading;	/* guarded by instance_lock */
static pthread_mutex_t instance_lock = PTHREAD_MUTEX_INITIALIZER;

const struct config *config_get(void)
{
	pthread_mutex_lock(&instance_lock);
	int mine = instance == NULL && !loading;
	if (mine)
		loading = 1;
	pthread_mutex_unlock(&instance_lock);
	if (mine) {
		struct config *c = config_load();	/* slow, and nobody holds the lock meanwhile */
		pthread_mutex_lock(&instance_lock);
		instance = c;
		pthread_mutex_unlock(&instance_lock);
	}
	while (instance == NULL)	/* someone else is loading: wait for the pointer */
		sched_yield();
	return instance;
}
