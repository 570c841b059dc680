/* wrong: lock-free append: scan the keys with atomic loads, and if the key is absent reserve a place with atomic_fetch_add on the count and store it: looking and reserving are two steps, so two deliveries of the same new key at once both find it absent and both take it (and a scanner may read a reserved place not yet written). */
#include <stdatomic.h>
#include <stdlib.h>

#include "inbox.h"

struct inbox {
	_Atomic long key[INBOX_MAX];	/* keys processed so far, in arrival order */
	atomic_int count;
};

struct inbox *inbox_new(void)
{
	return calloc(1, sizeof(struct inbox));
}

void inbox_free(struct inbox *in)
{
	free(in);
}

static int seen(struct inbox *in, long key)
{
	int n = atomic_load(&in->count);
	if (n > INBOX_MAX)
		n = INBOX_MAX;
	for (int i = 0; i < n; i++)
		if (atomic_load(&in->key[i]) == key)
			return 1;
	return 0;
}

int inbox_deliver(struct inbox *in, long key, void (*effect)(long key, void *ctx), void *ctx)
{
	if (seen(in, key))
		return 0;
	int slot = atomic_fetch_add(&in->count, 1);
	if (slot >= INBOX_MAX)
		return -1;	/* no room to remember it */
	atomic_store(&in->key[slot], key);
	effect(key, ctx);
	return 1;
}
