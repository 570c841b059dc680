/* event.c (solution): the event is a flag under the mutex; the condition variable only says "look again". */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "event.h"

struct event {
	pthread_mutex_t lock;      /* guards set */
	pthread_cond_t happened;   /* broadcast when set becomes true */
	bool set;                  /* the state a late waiter can still see */
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
	e->set = true;   /* under the lock: a waiter checks it and sleeps as one step */
	pthread_cond_broadcast(&e->happened);
	pthread_mutex_unlock(&e->lock);
}

void event_wait(struct event *e)
{
	pthread_mutex_lock(&e->lock);
	while (!e->set)  /* set already? then no wait at all; woken? look again */
		pthread_cond_wait(&e->happened, &e->lock);
	pthread_mutex_unlock(&e->lock);
}
