/* wrong: when a pthread_create fails, free the ids and return: the threads already started are never joined and read their ints after the free */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crew.h"

void run_crew(int n, void *(*worker)(void *))
{
	pthread_t thread[CREW_MAX];
	int *id = malloc((size_t)n * sizeof *id);
	if (id == NULL) {
		fprintf(stderr, "run_crew: out of memory\n");
		return;
	}

	for (int i = 0; i < n; i++) {
		id[i] = i;
		int rc = pthread_create(&thread[i], NULL, worker, &id[i]);
		if (rc != 0) {
			fprintf(stderr, "run_crew: pthread_create: %s\n", strerror(rc));
			free(id);
			return;
		}
	}
	for (int i = 0; i < n; i++)
		pthread_join(thread[i], NULL);
	free(id);
}
