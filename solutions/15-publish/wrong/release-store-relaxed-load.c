/* wrong: fix the store to release, then relax the load "since the store does the ordering now": release pairs only with an acquire that reads it, so a relaxed load makes no happens-before edge and the reads of m->cfg still race. */
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
	atomic_store_explicit(&m->ready, 1, memory_order_release);
}

int mailbox_read(struct mailbox *m, struct config *out)
{
	if (!atomic_load_explicit(&m->ready, memory_order_relaxed))
		return 0;
	out->port = m->cfg.port;
	out->max_clients = m->cfg.max_clients;
	out->timeout_ms = m->cfg.timeout_ms;
	return 1;
}
