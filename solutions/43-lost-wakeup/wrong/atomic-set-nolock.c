/* wrong: the flag is a C11 atomic_bool; event_set stores it and broadcasts without taking the mutex ("atomics need no lock"); event_wait locks and loops while the flag is false. Wrong because the setter does not take the mutex, so the waiter's check and sleep are no longer atomic with respect to it: waiter loads false under the mutex, event_set stores true and broadcasts to nobody, the waiter then enters pthread_cond_wait and sleeps for ever. TSan sees no race (all flag accesses are atomic), so only a hang shows it, when the set lands between the check and the wait. Written by an outside author; the schedules gate forces the window (test_set_races_the_waits). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

#include "event.h"

struct event {
	pthread_mutex_t lock;
	pthread_cond_t happened;   /* broadcast by event_set */
	atomic_bool set;
};

struct event *event_new(void)
{
	struct event *e = calloc(1, sizeof *e);
	if (e == NULL)
		abort();
	pthread_mutex_init(&e->lock, NULL);
	pthread_cond_init(&e->happened, NULL);
	atomic_init(&e->set, false);
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
	atomic_store(&e->set, true);             /* atomic: no lock needed */
	pthread_cond_broadcast(&e->happened);
}

void event_wait(struct event *e)
{
	pthread_mutex_lock(&e->lock);
	while (!atomic_load(&e->set))
		pthread_cond_wait(&e->happened, &e->lock);
	pthread_mutex_unlock(&e->lock);
}
