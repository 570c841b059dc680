/* expect: race -- a ready flag published without atomics or a lock (volatile is not synchronization) */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>

static int payload;
static volatile int ready;

static void *writer(void *arg)
{
	(void)arg;
	payload = 42;
	ready = 1;
	return NULL;
}

static void *reader(void *arg)
{
	(void)arg;
	while (!ready)
		sched_yield();
	printf("payload = %d\n", payload);
	return NULL;
}

int main(void)
{
	pthread_t w, r;
	pthread_create(&r, NULL, reader, NULL);
	pthread_create(&w, NULL, writer, NULL);
	pthread_join(w, NULL);
	pthread_join(r, NULL);
	return 0;
}
