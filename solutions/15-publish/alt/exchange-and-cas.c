/* alt: read-modify-writes on both sides: atomic_exchange (release) sets the flag, a compare-exchange 1 -> 1 (acquire) tests it; an acquire RMW that reads the released 1 synchronizes with it (readers' RMWs stay in its release sequence), and a CAS never blocks. */
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
	atomic_exchange_explicit(&m->ready, 1, memory_order_release);
}

int mailbox_read(struct mailbox *m, struct config *out)
{
	int one = 1;
	/* Succeeds (and rewrites 1) only if the flag is set; acquire either way. */
	if (!atomic_compare_exchange_strong_explicit(&m->ready, &one, 1,
						     memory_order_acquire, memory_order_acquire))
		return 0;
	out->port = m->cfg.port;
	out->max_clients = m->cfg.max_clients;
	out->timeout_ms = m->cfg.timeout_ms;
	return 1;
}
