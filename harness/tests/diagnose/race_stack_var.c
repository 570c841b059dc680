/* expect: race -- main hands a worker a pointer to its own local counter, then updates it too, without a lock */
#include <pthread.h>
#include <stdio.h>

static void *tally(void *arg)
{
	int *total = arg;
	for (int i = 0; i < 10000; i++)
		(*total)++;
	return NULL;
}

int main(void)
{
	int total = 0;   /* lives on main's stack, shared through the pointer */
	pthread_t t;
	pthread_create(&t, NULL, tally, &total);
	for (int i = 0; i < 10000; i++)
		total++;
	pthread_join(t, NULL);
	printf("total %d (expected 20000)\n", total);
	return 0;
}
