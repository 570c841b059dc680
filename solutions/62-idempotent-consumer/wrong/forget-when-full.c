/* wrong: claim the key under a lock before the effect, but once the inbox is full, take new keys without remembering them, like a best-effort cache */
#include <pthread.h>
#include <stdlib.h>

#include "inbox.h"

struct inbox {
	pthread_mutex_t lock;	/* guards key[] and count */
	long key[INBOX_MAX];	/* keys claimed so far, in arrival order */
	int count;
};

struct inbox *inbox_new(void)
{
	struct inbox *in = calloc(1, sizeof *in);
	if (in != NULL)
		pthread_mutex_init(&in->lock, NULL);
	return in;
}

void inbox_free(struct inbox *in)
{
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
	/* Full: the key is simply not recorded. Losing a little dedup now and then seems better than refusing work. */
}

/*
 * Insert-if-absent, as one step under the lock: returns 1 if this call added
 * the key (its caller now owns the message), 0 if the key was already there.
 */
static int claim(struct inbox *in, long key)
{
	pthread_mutex_lock(&in->lock);
	int fresh = !seen(in, key);
	if (fresh)
		mark(in, key);
	pthread_mutex_unlock(&in->lock);
	return fresh;
}

int inbox_deliver(struct inbox *in, long key, void (*effect)(long key, void *ctx), void *ctx)
{
	/* Claim the key before the effect, so a duplicate arriving while the
	 * effect runs finds it taken and is dropped at once. */
	if (!claim(in, key))
		return 0;
	/* Outside the lock: a slow effect holds up no other delivery. */
	effect(key, ctx);
	return 1;
}
