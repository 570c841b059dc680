/* wrong: add through a volatile pointer, hoping the compiler's caching was the problem. */
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
	/* A real load and a real store, but still two of them, and nothing orders them. */
	volatile long *v = &t->total;
	*v += n;
}

long tally_total(struct tally *t)
{
	return t->total;
}
