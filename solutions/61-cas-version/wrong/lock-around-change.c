/* wrong: hold a mutex from the read to the write, change() included */
#include <pthread.h>
#include <stdlib.h>

#include "record.h"

struct record {
	pthread_mutex_t lock;	/* one update at a time */
	int value;
	unsigned version;	/* bumped by every update, so changes can be told apart */
};

struct record *record_new(int value)
{
	struct record *r = malloc(sizeof *r);
	if (r != NULL) {
		pthread_mutex_init(&r->lock, NULL);
		r->value = value;
		r->version = 0;
	}
	return r;
}

void record_free(struct record *r)
{
	pthread_mutex_destroy(&r->lock);
	free(r);
}

void record_read(struct record *r, int *value, unsigned *version)
{
	pthread_mutex_lock(&r->lock);
	*value = r->value;
	*version = r->version;
	pthread_mutex_unlock(&r->lock);
}

void record_update(struct record *r, int (*change)(int value, void *ctx), void *ctx)
{
	/* Forget optimism: hold the lock from the read to the write. */
	pthread_mutex_lock(&r->lock);
	int next = change(r->value, ctx);
	r->value = next;
	r->version++;
	pthread_mutex_unlock(&r->lock);
}
