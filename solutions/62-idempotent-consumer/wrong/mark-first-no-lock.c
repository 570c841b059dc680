/* wrong: mark the key before the effect instead of after, with no lock */
#include <stdlib.h>

#include "inbox.h"

struct inbox {
	long key[INBOX_MAX];	/* keys processed so far, in arrival order */
	int count;
};

struct inbox *inbox_new(void)
{
	return calloc(1, sizeof(struct inbox));
}

void inbox_free(struct inbox *in)
{
	free(in);
}

static int seen(const struct inbox *in, long key)
{
	for (int i = 0; i < in->count; i++)
		if (in->key[i] == key)
			return 1;
	return 0;
}

static void mark(struct inbox *in, long key)
{
	if (in->count < INBOX_MAX)
		in->key[in->count++] = key;
}

int inbox_deliver(struct inbox *in, long key, void (*effect)(long key, void *ctx), void *ctx)
{
	if (seen(in, key))
		return 0;
	if (in->count == INBOX_MAX)
		return -1;	/* no room to remember it: refuse it rather than forget it */
	/* Mark first, so a duplicate arriving during the effect finds the key. */
	mark(in, key);
	effect(key, ctx);
	return 1;
}
