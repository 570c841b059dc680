/* expect: hang -- main joins a thread that waits on a semaphore nobody posts */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

static sem_t work_available;

static void *worker(void *arg)
{
	(void)arg;
	sem_wait(&work_available);
	return NULL;
}

int main(void)
{
	sem_init(&work_available, 0, 0);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);  /* forgot sem_post(&work_available) */
	puts("done");
	return 0;
}
