/* wrong: compare-and-set on the value alone, then atomic_fetch_add on the version: a value changed and changed back (10 -> 15 -> 10) passes the compare, so a stale change() lands; and between the CAS and the add a reader sees the new value with the old version (a torn pair). */
#include <stdatomic.h>
#include <stdlib.h>

#include "record.h"

struct record {
	_Atomic int value;
	_Atomic unsigned version;	/* bumped by every update, so changes can be told apart */
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
	int old = atomic_load(&r->value);
	while (!atomic_compare_exchange_weak(&r->value, &old, change(old, ctx)))
		;	/* someone got in first: old is the new value, compute again */
	atomic_fetch_add(&r->version, 1);
}
