/* expect: leak -- each worker formats a message into a fresh buffer and never frees it */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static void *worker(void *arg)
{
	char *msg = malloc(64);
	snprintf(msg, 64, "worker %ld finished", (long)arg);
	puts(msg);
	return NULL;  /* msg is lost here */
}

int main(void)
{
	pthread_t t[2];
	for (long i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	return 0;
}
