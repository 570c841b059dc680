/* inbox.c (solution): a key is claimed by one compare-and-swap on a slot of a fixed table, before its effect runs; a full table is refused, never forgotten. */
#include <stdatomic.h>
#include <stdlib.h>

#include "inbox.h"

/*
 * An open-addressing set: key k sits in the first slot, from k % INBOX_MAX on,
 * that was empty when k was claimed. A slot is NULL until one compare-and-swap
 * fills it, and never changes after that. It points to a copy of its key
 * rather than holding it: a key may be any long, so no long value is free to
 * mean "empty".
 */
struct inbox {
	_Atomic(long *) slot[INBOX_MAX];
};

struct inbox *inbox_new(void)
{
	struct inbox *in = malloc(sizeof *in);
	if (in != NULL)
		for (int i = 0; i < INBOX_MAX; i++)
			atomic_init(&in->slot[i], NULL);
	return in;
}

void inbox_free(struct inbox *in)
{
	for (int i = 0; i < INBOX_MAX; i++)
		free(atomic_load(&in->slot[i]));
	free(in);
}

/*
 * Insert-if-absent, in one step no other thread can split: 1 if this call
 * added the key (its caller now owns the message), 0 if the key was there
 * already, -1 if every slot holds another key (or no memory for the copy).
 */
static int claim(struct inbox *in, long key)
{
	long *mine = malloc(sizeof *mine);
	if (mine == NULL)
		return -1;
	*mine = key;	/* written before the swap that publishes it */

	size_t i = (unsigned long)key % INBOX_MAX;
	for (int tries = 0; tries < INBOX_MAX; tries++, i = (i + 1) % INBOX_MAX) {
		long *held = NULL;
		/* Succeeds for exactly one caller per slot. On failure, held is what
		 * the winner published, key copy included. */
		if (atomic_compare_exchange_strong(&in->slot[i], &held, mine))
			return 1;
		if (*held == key) {
			free(mine);
			return 0;
		}
	}
	free(mine);
	return -1;
}

int inbox_deliver(struct inbox *in, long key, void (*effect)(long key, void *ctx), void *ctx)
{
	/* Claim the key before the effect, so a duplicate arriving while the
	 * effect runs finds it taken and is dropped at once. A key that cannot be
	 * claimed is refused, and the caller hears of it. */
	int claimed = claim(in, key);
	if (claimed == 1)
		effect(key, ctx);	/* no lock held: a slow effect holds up nobody */
	return claimed;
}
