/* wrong: declare the loop counter volatile: still one i for every thread, and volatile orders nothing, so workers read n and race with i++ */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crew.h"

static void start(pthread_t *t, void *(*worker)(void *), void *arg)
{
	int rc = pthread_create(t, NULL, worker, arg);
	if (rc != 0) {
		fprintf(stderr, "run_crew: pthread_create: %s\n", strerror(rc));
		exit(EXIT_FAILURE);
	}
}

void run_crew(int n, void *(*worker)(void *))
{
	pthread_t thread[CREW_MAX];

	for (volatile int i = 0; i < n; i++)
		start(&thread[i], worker, (void *)&i);
	for (int i = 0; i < n; i++)
		pthread_join(thread[i], NULL);
}
