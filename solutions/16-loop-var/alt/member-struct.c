/* alt: a struct per crew member on run_crew's stack (thread handle + its int): each int written before its create, never again, alive past every join, one frame per crew */
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
	struct member {
		pthread_t thread;
		int id;		/* this member's number: written once, before its thread starts */
	} member[CREW_MAX];

	for (int i = 0; i < n; i++) {
		member[i].id = i;
		start(&member[i].thread, worker, &member[i].id);
	}
	for (int i = 0; i < n; i++)
		pthread_join(member[i].thread, NULL);
}
