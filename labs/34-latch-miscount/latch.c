/* latch.c: a countdown latch on a mutex and a condition variable (part of the lab, not yours to edit). */
#include "latch.h"

void latch_init(struct latch *l, int count)
{
	pthread_mutex_init(&l->lock, NULL);
	pthread_cond_init(&l->zero, NULL);
	l->count = count;
}

void latch_destroy(struct latch *l)
{
	pthread_cond_destroy(&l->zero);
	pthread_mutex_destroy(&l->lock);
}

void latch_done(struct latch *l)
{
	pthread_mutex_lock(&l->lock);
	/* No check for going below zero: a miscount here is the bug this lab is about. */
	if (--l->count <= 0)
		pthread_cond_broadcast(&l->zero);
	pthread_mutex_unlock(&l->lock);
}

void latch_wait(struct latch *l)
{
	pthread_mutex_lock(&l->lock);
	while (l->count > 0)
		pthread_cond_wait(&l->zero, &l->lock);
	pthread_mutex_unlock(&l->lock);
}

int latch_count(struct latch *l)
{
	pthread_mutex_lock(&l->lock);
	int n = l->count;
	pthread_mutex_unlock(&l->lock);
	return n;
}
