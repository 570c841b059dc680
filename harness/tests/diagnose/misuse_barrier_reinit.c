/* expect: misuse, hang -- a barrier initialised again for the next phase while a thread still waits in the old one: that thread is lost */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_barrier_t phase;

static void *worker(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&phase);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_barrier_init(&phase, NULL, 2);
	pthread_create(&t, NULL, worker, NULL);
	usleep(100 * 1000);
	pthread_barrier_init(&phase, NULL, 2);  /* the worker is still inside the first one */
	pthread_barrier_wait(&phase);
	pthread_join(t, NULL);
	puts("done");
	return 0;
}
