/* counter.h: a counter shared by many threads (the interface the tests call). */
#ifndef COUNTER_H
#define COUNTER_H

#include <pthread.h>

struct counter {
	long value;            /* alone in its 8 bytes: the variable the threads share */
	pthread_mutex_t lock;  /* there for you to use */
};

void counter_init(struct counter *c);
void counter_destroy(struct counter *c);

/* Add one. Called by many threads at once. */
void counter_inc(struct counter *c);

/* The current count. */
long counter_get(struct counter *c);

#endif
