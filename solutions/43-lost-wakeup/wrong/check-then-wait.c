/* wrong: reads the flag under the mutex, unlocks, and only then, if it was clear, locks again and waits (in a loop, re-reading the flag). Wrong because the check and the sleep are two critical sections: if event_set runs between the first unlock and the second lock, its broadcast finds nobody waiting and the waiter then sleeps on a condvar nobody will signal again: the original lost wakeup, narrowed but not closed. Shows when the set lands in that window, e.g. a worker that is preempted right after its first check while the loader finishes. Written by an outside author; the schedules gate forces the window that plain runs rarely open. */
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
	pthread_cond_broadcast(&e->happened);   /* wake everyone waiting */
	pthread_mutex_unlock(&e->lock);
}

static bool is_set(struct event *e)
{
	pthread_mutex_lock(&e->lock);
	bool s = e->set;
	pthread_mutex_unlock(&e->lock);
	return s;
}

void event_wait(struct event *e)
{
	bool s = is_set(e);        /* already set? then there is nothing to wait for */
	while (!s) {
		pthread_mutex_lock(&e->lock);
		pthread_cond_wait(&e->happened, &e->lock);
		s = e->set;
		pthread_mutex_unlock(&e->lock);
	}
}
