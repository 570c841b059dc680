/* wrong: a lock-free table of _Atomic long slots where 0 means empty, claimed by CAS 0 -> key: key 0 "claims" an empty slot by writing 0 over 0, so it is never remembered and takes effect on every delivery. */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "inbox.h"

struct inbox {
	_Atomic long slot[INBOX_MAX];	/* 0: empty */
};

struct inbox *inbox_new(void)
{
	return calloc(1, sizeof(struct inbox));
}

void inbox_free(struct inbox *in)
{
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
	unsigned h = home(key);

	for (unsigned n = 0; n < INBOX_MAX; n++) {
		_Atomic long *s = &in->slot[(h + n) % INBOX_MAX];
		long old = 0;
		if (atomic_compare_exchange_strong(s, &old, key)) {
			effect(key, ctx);	/* the slot was empty and is ours */
			return 1;
		}
		if (old == key)
			return 0;	/* taken by an earlier or concurrent delivery */
	}
	return -1;	/* every slot holds another key */
}
