/* dining.h: a round table, its forks, and one philosopher's meal (the interface the tests call). */
#ifndef DINING_H
#define DINING_H

#include <pthread.h>

#define MAX_SEATS 8

/*
 * seats philosophers sit round the table, and one fork lies between each two
 * neighbours: seat i eats with fork[i] (its left) and fork[i + 1] (its right),
 * and the last seat's right fork is fork[0]. A philosopher eats only with both
 * of its forks in hand, and a fork is in one hand at a time.
 */
struct table {
	int seats;
	pthread_mutex_t fork[MAX_SEATS];
	/* The meal itself, set by whoever lays the table; called with both forks held. */
	void (*eat)(struct table *t, int seat);
};

/* Lay a table of 2 .. MAX_SEATS seats whose philosophers eat with eat(). */
void table_init(struct table *t, int seats, void (*eat)(struct table *t, int seat));
void table_destroy(struct table *t);

/*
 * The philosopher at `seat` picks up its two forks, eats once (t->eat), and
 * puts the forks down. Called from many threads at once, one per seat.
 */
void dine(struct table *t, int seat);

#endif
