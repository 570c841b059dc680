/* wrong: lock in tally_total only, where the total is read, and leave tally_add as it was. */
#include "tally.h"

void tally_init(struct tally *t)
{
	t->total = 0;
	pthread_mutex_init(&t->lock, NULL);
}

void tally_destroy(struct tally *t)
{
	pthread_mutex_destroy(&t->lock);
}

void tally_add(struct tally *t, long n)
{
	t->total += n;
}

long tally_total(struct tally *t)
{
	pthread_mutex_lock(&t->lock);
	long v = t->total;
	pthread_mutex_unlock(&t->lock);
	return v;
}
