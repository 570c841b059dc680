/* wrong: publish a malloc'd copy through an atomic pointer (release/acquire), and return silently when malloc fails: mailbox_publish returns void and cannot report it, so the config is never published and every reader polls 0 forever. */
#include <stdatomic.h>
#include <stdlib.h>

#include "mailbox.h"

struct mailbox {
	_Atomic(struct config *) cfg;	/* NULL until published, then a heap copy */
};

struct mailbox *mailbox_new(void)
{
	return calloc(1, sizeof(struct mailbox));
}

void mailbox_free(struct mailbox *m)
{
	free(atomic_load(&m->cfg));
	free(m);
}

void mailbox_publish(struct mailbox *m, const struct config *c)
{
	struct config *copy = malloc(sizeof *copy);
	if (copy == NULL)
		return;	/* out of memory: nothing to publish */
	*copy = *c;
	atomic_store_explicit(&m->cfg, copy, memory_order_release);
}

int mailbox_read(struct mailbox *m, struct config *out)
{
	struct config *p = atomic_load_explicit(&m->cfg, memory_order_acquire);
	if (p == NULL)
		return 0;
	*out = *p;
	return 1;
}
