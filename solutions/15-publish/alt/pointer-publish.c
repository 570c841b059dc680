/* alt: publish a pointer, not a flag: an _Atomic(const struct config *) is NULL until mailbox_publish release-stores &m->cfg; a reader that acquire-loads it non-NULL synchronizes with that store, so the field writes happen before its copy through the pointer; no lock, readers never block. */
#include <stdatomic.h>
#include <stdlib.h>

#include "mailbox.h"

struct mailbox {
	struct config cfg;	/* plain data, written once before ready is set */
	_Atomic(const struct config *) pub;	/* NULL until cfg is complete, then &cfg */
};

struct mailbox *mailbox_new(void)
{
	struct mailbox *m = calloc(1, sizeof *m);
	if (m != NULL)
		atomic_init(&m->pub, NULL);
	return m;
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
	atomic_store_explicit(&m->pub, &m->cfg, memory_order_release);
}

int mailbox_read(struct mailbox *m, struct config *out)
{
	const struct config *p = atomic_load_explicit(&m->pub, memory_order_acquire);
	if (p == NULL)
		return 0;
	*out = *p;
	return 1;
}
