/* alt: a rwlock: a duplicate is found under the shared lock; a key not found is claimed under the exclusive lock after looking again and checking for room, the effect run with no lock held; correct because the insert-if-absent is whole under the exclusive lock, and a key found under the shared lock stays found (keys are never removed). */
#define _POSIX_C_SOURCE 200809L	/* pthread_rwlock_t under -std=c11 */
#include <pthread.h>
#include <stdlib.h>

#include "inbox.h"

struct inbox {
	pthread_rwlock_t lock;	/* guards key[] and count; never held across an effect */
	long key[INBOX_MAX];	/* keys taken so far, in arrival order */
	int count;
};

struct inbox *inbox_new(void)
{
	struct inbox *in = calloc(1, sizeof(struct inbox));
	if (in != NULL && pthread_rwlock_init(&in->lock, NULL) != 0) {
		free(in);
		in = NULL;
	}
	return in;
}

void inbox_free(struct inbox *in)
{
	if (in == NULL)
		return;
	pthread_rwlock_destroy(&in->lock);
	free(in);
}

/* With in->lock held, shared or exclusive. */
static int seen(const struct inbox *in, long key)
{
	for (int i = 0; i < in->count; i++)
		if (in->key[i] == key)
			return 1;
	return 0;
}

int inbox_deliver(struct inbox *in, long key, void (*effect)(long key, void *ctx), void *ctx)
{
	pthread_rwlock_rdlock(&in->lock);
	int dup = seen(in, key);
	pthread_rwlock_unlock(&in->lock);
	if (dup)
		return 0;	/* a redelivery: keys are never removed, so this stays true */

	pthread_rwlock_wrlock(&in->lock);
	int rc;
	if (seen(in, key))	/* someone took it between our two locks */
		rc = 0;
	else if (in->count == INBOX_MAX)
		rc = -1;
	else {
		in->key[in->count++] = key;
		rc = 1;
	}
	pthread_rwlock_unlock(&in->lock);

	if (rc == 1)
		effect(key, ctx);
	return rc;
}
