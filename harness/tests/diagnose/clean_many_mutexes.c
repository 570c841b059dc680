/* expect: none -- a thread locks 80 mutexes, always in the same order, then unlocks them (ThreadSanitizer's deadlock detector fails past 64 held at once) */
#include <pthread.h>
#include <stdio.h>

enum { LOCKS = 80 };

static pthread_mutex_t row[LOCKS];
static long total;

static void *sweep(void *arg)
{
	(void)arg;
	for (int i = 0; i < LOCKS; i++)
		pthread_mutex_lock(&row[i]);
	total++;
	for (int i = LOCKS - 1; i >= 0; i--)
		pthread_mutex_unlock(&row[i]);
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	for (int i = 0; i < LOCKS; i++)
		pthread_mutex_init(&row[i], NULL);
	pthread_create(&a, NULL, sweep, NULL);
	pthread_create(&b, NULL, sweep, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("total %ld\n", total);
	return 0;
}
