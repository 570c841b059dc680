/* wrong: flag and while loop, but pthread_cond_signal: of three sleeping waiters one wakes, the others sleep forever. */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "event.h"

struct event {
	pthread_mutex_t lock;      /* guards set */
	pthread_cond_t happened;   /* broadcast by event_set */
	bool set;
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
	pthread_cond_signal(&e->happened);
	pthread_mutex_unlock(&e->lock);
}

void event_wait(struct event *e)
{
	pthread_mutex_lock(&e->lock);
	while (!e->set)
		pthread_cond_wait(&e->happened, &e->lock);
	pthread_mutex_unlock(&e->lock);
}
