/* expect: race -- two threads do counter++ on a plain int, no lock */
#include <pthread.h>
#include <stdio.h>

static long counter;

static void *work(void *arg)
{
	(void)arg;
	for (int i = 0; i < 100000; i++)
		counter++;
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, work, NULL);
	pthread_create(&b, NULL, work, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("counter = %ld (expected 200000)\n", counter);
	return 0;
}
