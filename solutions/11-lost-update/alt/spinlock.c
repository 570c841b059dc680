/* alt: one pthread spinlock (set up by pthread_once) around every read and write of value: mutual exclusion and happens-before like a mutex. Helgrind may call it a "recursive write lock" under heavy contention: a known tool limit, not a bug. */
#define _POSIX_C_SOURCE 200809L
#include "counter.h"

static pthread_spinlock_t spin;
static pthread_once_t spin_once = PTHREAD_ONCE_INIT;

static void spin_setup(void)
{
	pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
}

void counter_init(struct counter *c)
{
	pthread_once(&spin_once, spin_setup);
	c->value = 0;
	pthread_mutex_init(&c->lock, NULL);
}

void counter_destroy(struct counter *c)
{
	pthread_mutex_destroy(&c->lock);
}

void counter_inc(struct counter *c)
{
	pthread_spin_lock(&spin);
	c->value++;
	pthread_spin_unlock(&spin);
}

long counter_get(struct counter *c)
{
	pthread_spin_lock(&spin);
	long v = c->value;
	pthread_spin_unlock(&spin);
	return v;
}
