/* wrong (by the README's rule): a waiter lock held while a philosopher picks up both forks; no deadlock can happen, but every seat still takes left then right and the lock-order graph keeps its circle, which this lab grades */
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

static pthread_mutex_t waiter = PTHREAD_MUTEX_INITIALIZER;

void dine(struct table *t, int seat)
{
	pthread_mutex_t *left = &t->fork[seat];
	pthread_mutex_t *right = &t->fork[(seat + 1) % t->seats];

	/* Only one philosopher at a time may be picking up forks. */
	pthread_mutex_lock(&waiter);
	pthread_mutex_lock(left);
	pthread_mutex_lock(right);
	pthread_mutex_unlock(&waiter);
	t->eat(t, seat);
	pthread_mutex_unlock(right);
	pthread_mutex_unlock(left);
}
