/* wrong: copy i into a variable declared inside the loop and hand out its address */
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

	/* Hand each thread a copy of i, not i itself. */
	for (int i = 0; i < n; i++) {
		int id = i;
		start(&thread[i], worker, &id);
	}
	for (int i = 0; i < n; i++)
		pthread_join(thread[i], NULL);
}
