/* calls.c: the "learner's code" of the fault shim's tests (the file racelab renames the calls of). */
#include <pthread.h>
#include <stdlib.h>

#include "calls.h"

static void *nothing(void *arg)
{
	return arg;
}

void calls_spawn(int n, int *rc)
{
	for (int i = 0; i < n; i++) {
		pthread_t t;
		rc[i] = pthread_create(&t, NULL, nothing, NULL);
		if (rc[i] == 0)
			pthread_join(t, NULL);
	}
}

/* Where each block goes before it is freed: a compiler may drop a malloc whose block nobody uses. */
static void *volatile calls_last;

int calls_alloc(int n)
{
	int first = 0;
	for (int i = 1; i <= n; i++) {
		void *p = malloc(16);
		if (!p && !first)
			first = i;
		calls_last = p;
		free(calls_last);
	}
	return first;
}
