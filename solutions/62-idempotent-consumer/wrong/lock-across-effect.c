/* wrong: hold one lock across the check, the effect and the mark */
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

int inbox_deliver(struct inbox *in, long key, void (*effect)(long key, void *ctx), void *ctx)
{
	/* One lock around the whole check-effect-mark: nothing can interleave. */
	pthread_mutex_lock(&in->lock);
	int taken = seen(in, key) ? 0 : in->count == INBOX_MAX ? -1 : 1;
	if (taken == 1) {
		effect(key, ctx);
		mark(in, key);
	}
	pthread_mutex_unlock(&in->lock);
	return taken;
}
