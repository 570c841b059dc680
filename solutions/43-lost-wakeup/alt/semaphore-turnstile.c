/* alt: a semaphore at 0 as a turnstile: event_set posts once; each waiter does sem_wait (EINTR retried), then sem_post to let the next one through. The count is the state: 0 before the set, never 0 again after it, so a late waiter passes at once. */
#include <errno.h>
#include <semaphore.h>
#include <stdlib.h>

#include "event.h"

struct event {
	sem_t gate;                /* 0 before event_set, > 0 for ever after */
};

struct event *event_new(void)
{
	struct event *e = calloc(1, sizeof *e);
	if (e == NULL)
		abort();
	if (sem_init(&e->gate, 0, 0) != 0)
		abort();
	return e;
}

void event_free(struct event *e)
{
	sem_destroy(&e->gate);
	free(e);
}

void event_set(struct event *e)
{
	if (sem_post(&e->gate) != 0)
		abort();
}

void event_wait(struct event *e)
{
	while (sem_wait(&e->gate) != 0)
		if (errno != EINTR)
			abort();
	sem_post(&e->gate);        /* let the next waiter through too */
}
