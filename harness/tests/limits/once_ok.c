/* expect: pass tsan -- a table built behind C11 call_once and read by every thread: correct (clang 14 TSan: "data race", it does not intercept call_once) */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <threads.h>

enum { THREADS = 4, SIZE = 64 };
static once_flag once = ONCE_FLAG_INIT;
static int *table;

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
	return (void *)(long)table[SIZE - 1];
}

int main(void)
{
	pthread_t t[THREADS];
	int bad = 0;
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, reader, NULL);
	for (int i = 0; i < THREADS; i++) {
		void *v;
		pthread_join(t[i], &v);
		bad |= (long)v != (SIZE - 1) * (SIZE - 1);
	}
	free(table);
	printf("%s\n", bad ? "a reader saw a wrong table" : "every reader saw the table");
	return bad;
}
