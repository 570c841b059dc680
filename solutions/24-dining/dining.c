/* dining.c (solution): forks are picked up in one global order, lowest number first. */
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
	int left = seat;
	int right = (seat + 1) % t->seats;
	/*
	 * Number the forks and always reach for the lower number first. Then a
	 * philosopher waiting for a fork always holds only lower-numbered ones,
	 * so the waits can never close a circle round the table. In practice the
	 * last seat is the one that changes: it reaches right (fork 0) first.
	 */
	pthread_mutex_t *first = &t->fork[left < right ? left : right];
	pthread_mutex_t *second = &t->fork[left < right ? right : left];

	pthread_mutex_lock(first);
	pthread_mutex_lock(second);
	t->eat(t, seat);
	pthread_mutex_unlock(second);
	pthread_mutex_unlock(first);
}
