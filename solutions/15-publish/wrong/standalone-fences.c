/* wrong (by the README rule): relaxed flag ordered by a release fence before the store and an acquire fence after the load: correct C11 (7.17.4), but ThreadSanitizer does not model standalone fences and reports the race on m->cfg, so the grader cannot tell it from the bug. */
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
	atomic_thread_fence(memory_order_release);
	atomic_store_explicit(&m->ready, 1, memory_order_relaxed);
}

int mailbox_read(struct mailbox *m, struct config *out)
{
	if (!atomic_load_explicit(&m->ready, memory_order_relaxed))
		return 0;
	atomic_thread_fence(memory_order_acquire);
	out->port = m->cfg.port;
	out->max_clients = m->cfg.max_clients;
	out->timeout_ms = m->cfg.timeout_ms;
	return 1;
}
