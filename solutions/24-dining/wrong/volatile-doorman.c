/* wrong: a doorman made of a volatile counter and a busy loop; the check and the increment are two steps (two philosophers take the last chair), the counter races, the wait spins, and every seat still takes left then right */
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

static volatile int seated;

void dine(struct table *t, int seat)
{
	pthread_mutex_t *left = &t->fork[seat];
	pthread_mutex_t *right = &t->fork[(seat + 1) % t->seats];

	while (seated >= t->seats - 1)
		;	/* the table is full: wait for a chair */
	seated++;
	pthread_mutex_lock(left);
	pthread_mutex_lock(right);
	t->eat(t, seat);
	pthread_mutex_unlock(right);
	pthread_mutex_unlock(left);
	seated--;
}
