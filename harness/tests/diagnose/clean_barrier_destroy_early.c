/* expect: none -- the last thread out destroys the barrier right after its last wait, before the joins (glibc allows it; ThreadSanitizer and DRD flag the primitive's own memory) */
#include <pthread.h>
#include <stdio.h>

static pthread_barrier_t done;
static int part[2];

static void *worker(void *arg)
{
	int me = (int)(long)arg;
	part[me] = me + 1;
	pthread_barrier_wait(&done);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_barrier_init(&done, NULL, 2);
	pthread_create(&t, NULL, worker, (void *)1L);
	part[0] = 1;
	pthread_barrier_wait(&done);
	pthread_barrier_destroy(&done);   /* every thread has passed the wait: the barrier is no longer needed */
	printf("%d %d\n", part[0], part[1]);
	pthread_join(t, NULL);
	return 0;
}
