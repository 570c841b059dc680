/* barrier.c: a barrier for 4 that only 3 threads reach (for the watchdog's tests). */
#include <pthread.h>

static pthread_barrier_t phase_end;

static void *worker(void *arg)
{
	pthread_barrier_wait(&phase_end);
	return arg;
}

int main(void)
{
	pthread_t t[3];
	pthread_barrier_init(&phase_end, NULL, 4);
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	return 0;
}
