/* phase.h: the barrier the sweep's threads meet at between phases (part of the lab, not yours to edit). */
#ifndef PHASE_H
#define PHASE_H

#include <pthread.h>

/*
 * pthread_barrier_wait with two hooks around it. The tests use the hooks to
 * play a busy machine: they hold some threads back just after the barrier, so
 * that an ordering bug shows on every run instead of once in a while. Your
 * code only calls phase_wait.
 */
struct phase {
	pthread_barrier_t bar;
	void (*on_arrive)(void);   /* tests only: called just before the wait */
	void (*on_leave)(void);    /* tests only: called just after it */
};

void phase_init(struct phase *ph, unsigned nthreads);
void phase_destroy(struct phase *ph);

/* Wait until all nthreads threads have arrived; returns what pthread_barrier_wait returns. */
int phase_wait(struct phase *ph);

#endif
