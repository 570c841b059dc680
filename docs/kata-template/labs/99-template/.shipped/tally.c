/* tally.c: every worker thread adds the bytes it served to one tally. Fix it. */
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
	/* Read the total, add n, write it back: three steps, and nothing keeps other threads out. */
	t->total += n;
}

long tally_total(struct tally *t)
{
	return t->total;
}
