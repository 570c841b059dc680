/* expect: none -- a table built once by whichever thread comes first (pthread_once), then only read */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_once_t built = PTHREAD_ONCE_INIT;
static int *table;

static void build(void)
{
	table = malloc(16 * sizeof *table);
	for (int i = 0; i < 16; i++)
		table[i] = i * i;
}

static void *lookup(void *arg)
{
	pthread_once(&built, build);
	return (void *)(long)table[(long)arg];
}

int main(void)
{
	pthread_t t[4];
	long sum = 0;
	for (long i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, lookup, (void *)i);
	for (int i = 0; i < 4; i++) {
		void *v;
		pthread_join(t[i], &v);
		sum += (long)v;
	}
	printf("sum %ld\n", sum);
	free(table);
	return 0;
}
