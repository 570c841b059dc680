/* alt: the claim under a mutex: check and insert in one critical section, the effect outside it; correct because no delivery can come between another's check and insert, and a full inbox refuses new keys instead of forgetting them. */
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

/* Caller holds the lock and has made sure there is room. */
static void mark(struct inbox *in, long key)
{
	in->key[in->count++] = key;
}

/*
 * Insert-if-absent, as one step under the lock: returns 1 if this call added
 * the key (its caller now owns the message), 0 if the key was already there,
 * -1 if it is new and there is no room to remember it.
 */
static int claim(struct inbox *in, long key)
{
	int claimed;
	pthread_mutex_lock(&in->lock);
	if (seen(in, key)) {
		claimed = 0;
	} else if (in->count == INBOX_MAX) {
		claimed = -1;
	} else {
		mark(in, key);
		claimed = 1;
	}
	pthread_mutex_unlock(&in->lock);
	return claimed;
}

int inbox_deliver(struct inbox *in, long key, void (*effect)(long key, void *ctx), void *ctx)
{
	/* Claim the key before the effect, so a duplicate arriving while the
	 * effect runs finds it taken and is dropped at once. */
	int claimed = claim(in, key);
	if (claimed == 1)
		effect(key, ctx);	/* outside the lock: a slow effect holds up no other delivery */
	return claimed;
}
