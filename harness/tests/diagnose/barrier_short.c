/* expect: hang -- a barrier for 3 threads that only 2 threads ever reach */
#include <pthread.h>
#include <stdio.h>

enum { WORKERS = 2 };
static pthread_barrier_t phase_done;

static void *worker(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&phase_done);
	return NULL;
}

int main(void)
{
	pthread_barrier_init(&phase_done, NULL, WORKERS + 1);  /* counts main, which never waits */
	pthread_t t[WORKERS];
	for (int i = 0; i < WORKERS; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < WORKERS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&phase_done);
	puts("done");
	return 0;
}
