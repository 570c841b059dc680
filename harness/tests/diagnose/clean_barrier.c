/* expect: none -- two phases separated by a barrier every thread reaches; destroyed after the joins */
#include <pthread.h>
#include <stdio.h>

enum { N = 3 };
static pthread_barrier_t phase;
static int part[N], total[N];

static void *worker(void *arg)
{
	long id = (long)arg;
	part[id] = (int)id + 1;            /* phase 1: each writes its own slot */
	pthread_barrier_wait(&phase);
	for (int i = 0; i < N; i++)        /* phase 2: each reads every slot */
		total[id] += part[i];
	return NULL;
}

int main(void)
{
	pthread_barrier_init(&phase, NULL, N);
	pthread_t t[N];
	for (long i = 0; i < N; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < N; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&phase);
	printf("totals %d %d %d\n", total[0], total[1], total[2]);
	return 0;
}
