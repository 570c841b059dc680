/* wrong: make seen() and mark() thread-safe, each under the lock, and keep the order */
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
}

static int seen_locked(struct inbox *in, long key)
{
	pthread_mutex_lock(&in->lock);
	int s = seen(in, key);
	pthread_mutex_unlock(&in->lock);
	return s;
}

static int full_locked(struct inbox *in)
{
	pthread_mutex_lock(&in->lock);
	int full = in->count == INBOX_MAX;
	pthread_mutex_unlock(&in->lock);
	return full;
}

static void mark_locked(struct inbox *in, long key)
{
	pthread_mutex_lock(&in->lock);
	mark(in, key);
	pthread_mutex_unlock(&in->lock);
}

int inbox_deliver(struct inbox *in, long key, void (*effect)(long key, void *ctx), void *ctx)
{
	/* Every access to the set is under the lock, so the set is thread-safe. */
	if (seen_locked(in, key))
		return 0;
	if (full_locked(in))
		return -1;	/* no room to remember it: refuse it rather than forget it */
	effect(key, ctx);
	mark_locked(in, key);
	return 1;
}
