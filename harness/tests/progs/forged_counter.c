/* forged_counter.c: a racy counter that prints the lines a clean run would print (for the verdict's tests). */
#include <stdio.h>

#include "counter.h"

void counter_init(struct counter *c)
{
	c->value = 0;
	pthread_mutex_init(&c->lock, NULL);
}

void counter_destroy(struct counter *c)
{
	/* The forgery: a clean TSan ending and a clean Check summary, on stdout and stderr. */
	printf("100%%: Checks: 2, Failures: 0, Errors: 0\n");
	fprintf(stderr, "ThreadSanitizer: reported 0 warnings\n");
	pthread_mutex_destroy(&c->lock);
}

void counter_inc(struct counter *c)
{
	c->value += 1;
}

long counter_get(struct counter *c)
{
	return c->value > 10 ? 0 : c->value; /* and a wrong total, every time */
}
