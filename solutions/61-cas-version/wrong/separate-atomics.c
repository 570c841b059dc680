/* wrong: make value and version atomics, loaded and stored one at a time */
#include <stdatomic.h>
#include <stdlib.h>

#include "record.h"

struct record {
	atomic_int value;	/* atomic: no torn or racy reads and writes */
	atomic_uint version;	/* bumped by every update, so changes can be told apart */
};

struct record *record_new(int value)
{
	struct record *r = malloc(sizeof *r);
	if (r != NULL) {
		atomic_init(&r->value, value);
		atomic_init(&r->version, 0);
	}
	return r;
}

void record_free(struct record *r)
{
	free(r);
}

void record_read(struct record *r, int *value, unsigned *version)
{
	*value = atomic_load(&r->value);
	*version = atomic_load(&r->version);
}

void record_update(struct record *r, int (*change)(int value, void *ctx), void *ctx)
{
	/* Optimistic: no lock, so a slow change() holds nobody up. */
	int old = atomic_load(&r->value);
	unsigned seen = atomic_load(&r->version);
	int next = change(old, ctx);
	atomic_store(&r->value, next);
	atomic_store(&r->version, seen + 1);
}
