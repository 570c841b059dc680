/* mailbox.c: a config handed from a loader thread to worker threads by a ready flag. */
#include <stdatomic.h>
#include <stdlib.h>

#include "mailbox.h"

struct mailbox {
	struct config cfg;	/* plain data, written once before ready is set */
	atomic_int ready;	/* 0 until cfg is complete, then 1 for good */
};

struct mailbox *mailbox_new(void)
{
	return calloc(1, sizeof(struct mailbox));
}

void mailbox_free(struct mailbox *m)
{
	free(m);
}

void mailbox_publish(struct mailbox *m, const struct config *c)
{
	m->cfg.port = c->port;
	m->cfg.max_clients = c->max_clients;
	m->cfg.timeout_ms = c->timeout_ms;
	/* The flag is atomic, so no reader can see it half-set; and a relaxed
	 * store is the cheapest one there is. */
	atomic_store_explicit(&m->ready, 1, memory_order_relaxed);
}

int mailbox_read(struct mailbox *m, struct config *out)
{
	/* Acquire: nothing below may be read before the flag is seen set. */
	if (!atomic_load_explicit(&m->ready, memory_order_acquire))
		return 0;
	out->port = m->cfg.port;
	out->max_clients = m->cfg.max_clients;
	out->timeout_ms = m->cfg.timeout_ms;
	return 1;
}
