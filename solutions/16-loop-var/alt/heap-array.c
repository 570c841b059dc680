/* alt: one malloc'd array of n ints per crew, freed after every join: written before each create, outlives every thread's use, one block per crew */
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
	int *id = malloc((size_t)n * sizeof *id);
	if (id == NULL) {
		fprintf(stderr, "run_crew: out of memory\n");
		exit(EXIT_FAILURE);
	}

	for (int i = 0; i < n; i++) {
		id[i] = i;
		start(&thread[i], worker, &id[i]);
	}
	for (int i = 0; i < n; i++)
		pthread_join(thread[i], NULL);
	free(id);	/* every thread is done with its int */
}
