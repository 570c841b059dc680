/* event.c: the one-shot event. The one file you edit in this lab. */
#include <pthread.h>
#include <stdlib.h>

#include "event.h"

struct event {
	pthread_mutex_t lock;
	pthread_cond_t happened;   /* broadcast by event_set */
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
	pthread_cond_broadcast(&e->happened);   /* wake everyone waiting */
	pthread_mutex_unlock(&e->lock);
}

void event_wait(struct event *e)
{
	pthread_mutex_lock(&e->lock);
	pthread_cond_wait(&e->happened, &e->lock);   /* sleep until event_set wakes us */
	pthread_mutex_unlock(&e->lock);
}
