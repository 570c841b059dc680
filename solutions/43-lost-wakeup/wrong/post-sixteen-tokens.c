/* wrong: event_set posts a semaphore 16 times and each wait takes one: the 17th event_wait sleeps forever although the event was set. */
#include <errno.h>
#include <semaphore.h>
#include <stdlib.h>

#include "event.h"

struct event {
	sem_t gate;
};

struct event *event_new(void)
{
	struct event *e = calloc(1, sizeof *e);
	if (e == NULL)
		abort();
	sem_init(&e->gate, 0, 0);
	return e;
}

void event_free(struct event *e)
{
	sem_destroy(&e->gate);
	free(e);
}

#define MAX_WAITERS 16          /* we never run more workers than this */

void event_set(struct event *e)
{
	for (int i = 0; i < MAX_WAITERS; i++)
		sem_post(&e->gate);
}

void event_wait(struct event *e)
{
	while (sem_wait(&e->gate) != 0 && errno == EINTR)
		;
}
