/* wrong: a semaphore turnstile that ignores sem_wait's result: a signal interrupts the wait (EINTR) and the waiter returns, and opens the gate, before event_set. */
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

void event_set(struct event *e)
{
	sem_post(&e->gate);
}

void event_wait(struct event *e)
{
	sem_wait(&e->gate);
	sem_post(&e->gate);        /* pass it on to the next waiter */
}
