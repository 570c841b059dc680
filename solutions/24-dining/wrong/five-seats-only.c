/* wrong: only seat 4 takes its right fork first; at five seats that breaks the circle, but a table of 2, 3 or 4 seats has no seat 4 and keeps the whole circle (the header allows 2 to 8 seats) */
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

	if (seat == 4) {	/* the seat that closes the ring */
		pthread_mutex_t *tmp = left;
		left = right;
		right = tmp;
	}
	pthread_mutex_lock(left);
	pthread_mutex_lock(right);
	t->eat(t, seat);
	pthread_mutex_unlock(right);
	pthread_mutex_unlock(left);
}
