/* alt: each thread's own int on run_crew's stack, and when a pthread_create fails, join the threads already started and return: no int is gone while a thread may read it */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "crew.h"

void run_crew(int n, void *(*worker)(void *))
{
	pthread_t thread[CREW_MAX];
	int id[CREW_MAX];	/* one slot per thread, alive until every join */
	int started = 0;

	for (; started < n; started++) {
		id[started] = started;
		int rc = pthread_create(&thread[started], NULL, worker, &id[started]);
		if (rc != 0) {
			/* The crew cannot run whole; the threads already running still
			 * hold pointers into id[], so they are joined before it goes. */
			fprintf(stderr, "run_crew: pthread_create: %s\n", strerror(rc));
			break;
		}
	}
	for (int i = 0; i < started; i++)
		pthread_join(thread[i], NULL);
}
