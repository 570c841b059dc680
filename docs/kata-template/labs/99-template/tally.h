/* tally.h: a tally of bytes served, shared by many threads (the interface the tests call). */
#ifndef TALLY_H
#define TALLY_H

#include <pthread.h>

struct tally {
	long total;            /* alone in its 8 bytes: the variable the threads share */
	pthread_mutex_t lock;  /* there for you to use */
};

void tally_init(struct tally *t);
void tally_destroy(struct tally *t);

/* Add n bytes. Called by many threads at once. */
void tally_add(struct tally *t, long n);

/* The bytes added so far. */
long tally_total(struct tally *t);

#endif
