/* expect: misuse, hang -- a barrier destroyed while a thread waits at it for a partner that never comes (glibc's destroy then waits for ever too) */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_barrier_t meet;

static void *early(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&meet);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_barrier_init(&meet, NULL, 2);
	pthread_create(&t, NULL, early, NULL);
	usleep(100 * 1000);
	pthread_barrier_destroy(&meet);   /* the thread is still inside */
	puts("destroyed");
	return 0;
}
