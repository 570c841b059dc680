/* alt: a process-wide rwlock: counter_inc takes it for writing (excludes every other increment and read), counter_get for reading, so the load-add-store is never interleaved. */
#define _POSIX_C_SOURCE 200809L
#include "counter.h"

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;

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
	pthread_rwlock_wrlock(&rw);
	c->value++;
	pthread_rwlock_unlock(&rw);
}

long counter_get(struct counter *c)
{
	pthread_rwlock_rdlock(&rw);
	long v = c->value;
	pthread_rwlock_unlock(&rw);
	return v;
}
