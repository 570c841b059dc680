/* wrong: an acquire/release flag, but waiters usleep(500) in a loop until it is set: correct ordering, yet polling, which the README rules out. */
#define _DEFAULT_SOURCE /* for usleep */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "event.h"

struct event {
	atomic_bool set;
};

struct event *event_new(void)
{
	struct event *e = calloc(1, sizeof *e);
	if (e == NULL)
		abort();
	atomic_init(&e->set, false);
	return e;
}

void event_free(struct event *e)
{
	free(e);
}

void event_set(struct event *e)
{
	atomic_store_explicit(&e->set, true, memory_order_release);
}

void event_wait(struct event *e)
{
	while (!atomic_load_explicit(&e->set, memory_order_acquire))
		usleep(500);
}
