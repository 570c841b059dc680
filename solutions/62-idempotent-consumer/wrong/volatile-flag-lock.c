/* wrong: a volatile busy flag as a home-made lock around the claim: testing and setting it are two plain steps, so two deliveries enter together, and every access to the flag and the inbox is a data race. */
#include <stdlib.h>

#include "inbox.h"

struct inbox {
	volatile int busy;	/* 1 while a delivery is checking and marking */
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

int inbox_deliver(struct inbox *in, long key, void (*effect)(long key, void *ctx), void *ctx)
{
	int rc;

	while (in->busy)
		;	/* another delivery is checking */
	in->busy = 1;
	if (seen(in, key))
		rc = 0;
	else if (in->count == INBOX_MAX)
		rc = -1;
	else {
		in->key[in->count++] = key;
		rc = 1;
	}
	in->busy = 0;

	if (rc == 1)
		effect(key, ctx);
	return rc;
}
