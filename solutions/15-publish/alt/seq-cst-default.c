/* alt: the default atomic_store / atomic_load (seq_cst) on the flag: a seq_cst store is a release and a seq_cst load an acquire, so a reader that reads 1 synchronizes with the store; stronger than needed, never wrong, never blocks. */
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
	atomic_store(&m->ready, 1);	/* seq_cst: at least release */
}

int mailbox_read(struct mailbox *m, struct config *out)
{
	if (!atomic_load(&m->ready))	/* seq_cst: at least acquire */
		return 0;
	out->port = m->cfg.port;
	out->max_clients = m->cfg.max_clients;
	out->timeout_ms = m->cfg.timeout_ms;
	return 1;
}
