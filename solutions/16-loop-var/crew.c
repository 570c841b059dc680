/* crew.c (solution): each thread is handed its own int, which outlives the thread. */
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
	int id[CREW_MAX];	/* one slot per thread, alive until every join */

	/* Each thread gets the address of its own slot, written before the
	 * thread starts and never written again: pthread_create orders the write
	 * before anything the thread does, and the loop moves on freely. */
	for (int i = 0; i < n; i++) {
		id[i] = i;
		start(&thread[i], worker, &id[i]);
	}
	for (int i = 0; i < n; i++)
		pthread_join(thread[i], NULL);
}
