/* alt: even seats take their left fork first, odd seats their right; neighbours reach for the fork between them in opposite turns, so the lock-order graph has no circle at any table size (2 to 8): no circle of waits can form, and a waiter sleeps in pthread_mutex_lock */
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
	/* Neighbours reach for the fork between them in opposite turns. */
	pthread_mutex_t *first = seat % 2 == 0 ? left : right;
	pthread_mutex_t *second = seat % 2 == 0 ? right : left;

	pthread_mutex_lock(first);
	pthread_mutex_lock(second);
	t->eat(t, seat);
	pthread_mutex_unlock(second);
	pthread_mutex_unlock(first);
}
