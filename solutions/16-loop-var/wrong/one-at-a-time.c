/* wrong: join each thread right after starting it, so &i is safe: breaks the README rule that all n threads run at once (the crew never runs together) */
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
	pthread_t thread;

	/* Thread i is finished before i changes, so &i is safe to hand out. */
	for (int i = 0; i < n; i++) {
		start(&thread, worker, &i);
		pthread_join(thread, NULL);
	}
}
