/* wrong: wait until the right fork is free (lock and unlock it), then take left, then right; the check is stale at once, every seat still takes left then right, and the circle stays */
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

	/* Do not pick up the left fork while the right one is in use: wait until it is free. */
	pthread_mutex_lock(right);
	pthread_mutex_unlock(right);

	pthread_mutex_lock(left);
	pthread_mutex_lock(right);
	t->eat(t, seat);
	pthread_mutex_unlock(right);
	pthread_mutex_unlock(left);
}
