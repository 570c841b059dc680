/* wrong: take the left fork, only try the right one, and if it is busy put the left down and retry at once */
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

	/* Never hold one fork while waiting for the other: no circular wait, no deadlock. */
	for (;;) {
		pthread_mutex_lock(left);
		if (pthread_mutex_trylock(right) == 0)
			break;
		pthread_mutex_unlock(left);
	}
	t->eat(t, seat);
	pthread_mutex_unlock(right);
	pthread_mutex_unlock(left);
}
