/* alt: a malloc'd int per thread, freed after joining that thread: only its thread has the address, and it is freed only once that thread is done */
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
	int *id[CREW_MAX];

	for (int i = 0; i < n; i++) {
		id[i] = malloc(sizeof *id[i]);
		if (id[i] == NULL) {
			fprintf(stderr, "run_crew: out of memory\n");
			exit(EXIT_FAILURE);
		}
		*id[i] = i;
		start(&thread[i], worker, id[i]);
	}
	for (int i = 0; i < n; i++) {
		pthread_join(thread[i], NULL);
		free(id[i]);	/* its thread has finished with it */
	}
}
