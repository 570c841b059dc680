/* alt: take the left fork, trylock the right, and if it is busy put the left one down and sleep 0.1 to 1 ms (random) before the next try: a thread never waits while holding a fork, so no circle of waits can form, and it waits asleep, not spinning; the random back-off keeps the table out of step */
#include <time.h>

#include "dining.h"

void table_init(struct table *t, int seats, void (*eat)(struct table *t, int seat))
{
	t->seats = seats;
	t->eat = eat;
	for (int i = 0; i < seats; i++)
		pthread_mutex_init(&t->fork[i], NULL);
}

void table_destroy(struct table *t)
{
	for (int i = 0; i < t->seats; i++)
		pthread_mutex_destroy(&t->fork[i]);
}

void dine(struct table *t, int seat)
{
	pthread_mutex_t *left = &t->fork[seat];
	pthread_mutex_t *right = &t->fork[(seat + 1) % t->seats];
	unsigned seed = (unsigned)seat * 2654435761u + 1;

	for (;;) {
		pthread_mutex_lock(left);
		if (pthread_mutex_trylock(right) == 0)
			break;
		pthread_mutex_unlock(left);
		seed = seed * 1103515245u + 12345u;	/* our own generator: rand() is not thread-safe */
		struct timespec nap = { 0, 100000 + (long)((seed >> 8) % 900000u) };
		nanosleep(&nap, NULL);
	}
	t->eat(t, seat);
	pthread_mutex_unlock(right);
	pthread_mutex_unlock(left);
}
