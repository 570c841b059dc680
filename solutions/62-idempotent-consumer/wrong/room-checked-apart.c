/* wrong: look for the key and check for room under the lock, then look again and insert under the lock a second time, without checking for room again: two new keys that both saw the last place both return 1, and the second is silently not remembered. */
#include <pthread.h>
#include <stdlib.h>

#include "inbox.h"

struct inbox {
	pthread_mutex_t lock;	/* guards key[] and count */
	long key[INBOX_MAX];	/* keys processed so far, in arrival order */
	int count;
};

struct inbox *inbox_new(void)
{
	struct inbox *in = calloc(1, sizeof(struct inbox));
	if (in != NULL && pthread_mutex_init(&in->lock, NULL) != 0) {
		free(in);
		in = NULL;
	}
	return in;
}

void inbox_free(struct inbox *in)
{
	if (in == NULL)
		return;
	pthread_mutex_destroy(&in->lock);
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
	pthread_mutex_lock(&in->lock);
	int dup = seen(in, key), room = in->count < INBOX_MAX;
	pthread_mutex_unlock(&in->lock);
	if (dup)
		return 0;	/* a redelivery */
	if (!room)
		return -1;	/* no room to remember it: refuse it rather than forget it */

	/* Claim it; check again, another consumer may have taken it meanwhile. */
	pthread_mutex_lock(&in->lock);
	dup = seen(in, key);
	if (!dup)
		mark(in, key);
	pthread_mutex_unlock(&in->lock);
	if (dup)
		return 0;

	effect(key, ctx);
	return 1;
}
