/* wrong: an unlocked fast path 'if (e->set) return;' on a volatile flag: a data race, and a late waiter on that path has no happens-before with what the setter wrote before event_set. */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "event.h"

struct event {
	pthread_mutex_t lock;      /* guards set */
	pthread_cond_t happened;   /* broadcast by event_set */
	volatile bool set;         /* volatile: safe to peek at without the lock */
};

struct event *event_new(void)
{
	struct event *e = calloc(1, sizeof *e);
	if (e == NULL)
		abort();
	pthread_mutex_init(&e->lock, NULL);
	pthread_cond_init(&e->happened, NULL);
	return e;
}

void event_free(struct event *e)
{
	pthread_cond_destroy(&e->happened);
	pthread_mutex_destroy(&e->lock);
	free(e);
}

void event_set(struct event *e)
{
	pthread_mutex_lock(&e->lock);
	e->set = true;
	pthread_cond_broadcast(&e->happened);   /* wake everyone waiting */
	pthread_mutex_unlock(&e->lock);
}

void event_wait(struct event *e)
{
	if (e->set)                /* fast path: no need to lock once the event has happened */
		return;
	pthread_mutex_lock(&e->lock);
	while (!e->set)
		pthread_cond_wait(&e->happened, &e->lock);
	pthread_mutex_unlock(&e->lock);
}
