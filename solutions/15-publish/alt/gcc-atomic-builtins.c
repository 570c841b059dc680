/* alt: a plain int flag touched only through __atomic_store_n(__ATOMIC_RELEASE) and __atomic_load_n(__ATOMIC_ACQUIRE): the GCC/clang builtins are atomic accesses with the same release/acquire pairing as <stdatomic.h>, and no access to the flag is plain. */
#include <stdlib.h>

#include "mailbox.h"

struct mailbox {
	struct config cfg;	/* plain data, written once before ready is set */
	int ready;		/* 0 until cfg is complete, then 1; only touched by __atomic builtins */
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
	__atomic_store_n(&m->ready, 1, __ATOMIC_RELEASE);
}

int mailbox_read(struct mailbox *m, struct config *out)
{
	if (!__atomic_load_n(&m->ready, __ATOMIC_ACQUIRE))
		return 0;
	out->port = m->cfg.port;
	out->max_clients = m->cfg.max_clients;
	out->timeout_ms = m->cfg.timeout_ms;
	return 1;
}
