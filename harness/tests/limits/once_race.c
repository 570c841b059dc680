/* expect: fail tsan -- once_ok.c whose readers also bump a plain counter with no lock: a real race next to a correct call_once */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <threads.h>

enum { THREADS = 4, SIZE = 64 };
static once_flag once = ONCE_FLAG_INIT;
static int *table;
static long readers;

static void build(void)
{
	int *t = malloc(SIZE * sizeof *t);
	for (int i = 0; i < SIZE; i++)
		t[i] = i * i;
	table = t;
}

static void *reader(void *arg)
{
	(void)arg;
	call_once(&once, build);
	readers++; /* the race: no lock, no atomic */
	return (void *)(long)table[SIZE - 1];
}

int main(void)
{
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, reader, NULL);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	free(table);
	printf("readers %ld\n", readers);
	return 0;
}
