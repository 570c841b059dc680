/* wrong: make the ready flag a volatile int, so that every read goes to memory */
#include <stdlib.h>

#include "mailbox.h"

struct mailbox {
	struct config cfg;	/* plain data, written once before ready is set */
	volatile int ready;	/* volatile: always re-read from memory, never cached */
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
	m->ready = 1;
}

int mailbox_read(struct mailbox *m, struct config *out)
{
	if (!m->ready)
		return 0;
	out->port = m->cfg.port;
	out->max_clients = m->cfg.max_clients;
	out->timeout_ms = m->cfg.timeout_ms;
	return 1;
}
