/* wrong (by the README's rule): a doorman, a semaphore that seats at most seats - 1 philosophers, and every philosopher still takes left then right; no deadlock can happen, but the lock-order graph keeps its circle, and this lab grades the lock order */
#include <semaphore.h>

#include "dining.h"

static sem_t doorman;	/* chairs left at the table */

void table_init(struct table *t, int seats, void (*eat)(struct table *t, int seat))
{
	t->seats = seats;
	t->eat = eat;
	for (int i = 0; i < seats; i++)
		pthread_mutex_init(&t->fork[i], NULL);
	sem_init(&doorman, 0, (unsigned)seats - 1);
}

void table_destroy(struct table *t)
{
	for (int i = 0; i < t->seats; i++)
		pthread_mutex_destroy(&t->fork[i]);
	sem_destroy(&doorman);
}

void dine(struct table *t, int seat)
{
	pthread_mutex_t *left = &t->fork[seat];
	pthread_mutex_t *right = &t->fork[(seat + 1) % t->seats];

	sem_wait(&doorman);
	pthread_mutex_lock(left);
	pthread_mutex_lock(right);
	t->eat(t, seat);
	pthread_mutex_unlock(right);
	pthread_mutex_unlock(left);
	sem_post(&doorman);
}
