/* wrong: the lock-free table of compare-and-swaps, but a delivery that loses the race for a slot, or finds its key or a full table after allocating its node, returns without freeing the node: a block lost per lost race */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "inbox.h"

struct node {
	long key;
};

struct inbox {
	_Atomic(struct node *) slot[INBOX_MAX];	/* NULL: empty; never emptied again */
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
	if (in == NULL)
		return;
	for (int i = 0; i < INBOX_MAX; i++)
		free(atomic_load(&in->slot[i]));
	free(in);
}

static unsigned home(long key)
{
	uint64_t x = (uint64_t)key;
	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	return (unsigned)(x % INBOX_MAX);
}

int inbox_deliver(struct inbox *in, long key, void (*effect)(long key, void *ctx), void *ctx)
{
	struct node *mine = NULL;
	unsigned h = home(key);

	for (unsigned n = 0; n < INBOX_MAX; n++) {
		_Atomic(struct node *) *s = &in->slot[(h + n) % INBOX_MAX];
		struct node *p = atomic_load(s);
		if (p == NULL) {
			if (mine == NULL) {
				mine = malloc(sizeof *mine);
				if (mine == NULL)
					return -1;	/* out of memory: cannot remember it */
				mine->key = key;
			}
			if (atomic_compare_exchange_strong(s, &p, mine)) {
				effect(key, ctx);	/* ours, and already remembered */
				return 1;
			}
			/* lost the slot: p is the winner's node */
		}
		if (p->key == key) {
			return 0;	/* taken by an earlier or concurrent delivery */
		}
	}
	return -1;	/* all INBOX_MAX slots hold other keys */
}
