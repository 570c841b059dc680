/* wrong: compare-and-set on the version (seen -> seen + 1), then a separate atomic store of the value: between the two, another updater reads the new version with the old value, computes from it and wins its own CAS: an update lost, and readers see torn pairs. */
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
	for (;;) {
		unsigned seen = atomic_load(&r->version);
		int next = change(atomic_load(&r->value), ctx);
		/* UPDATE ... SET version = version + 1 WHERE version = seen */
		if (atomic_compare_exchange_strong(&r->version, &seen, seen + 1)) {
			atomic_store(&r->value, next);
			return;
		}
	}
}
