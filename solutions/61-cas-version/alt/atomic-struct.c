/* alt: an _Atomic struct { int value; unsigned version; } (8 bytes, no padding, lock-free) swapped whole by atomic_compare_exchange_strong; correct because C11 loads, stores and compare-exchanges the pair as one object, so an update lands only if the pair is unchanged since it was read and record_read sees one pair. */
#include <stdatomic.h>
#include <stdlib.h>

#include "record.h"

struct state {
	int value;
	unsigned version;	/* bumped by every update, so changes can be told apart */
};

struct record {
	_Atomic struct state s;
};

struct record *record_new(int value)
{
	struct record *r = malloc(sizeof *r);
	if (r != NULL)
		atomic_init(&r->s, ((struct state){ .value = value, .version = 0 }));
	return r;
}

void record_free(struct record *r)
{
	free(r);
}

void record_read(struct record *r, int *value, unsigned *version)
{
	struct state now = atomic_load(&r->s);
	*value = now.value;
	*version = now.version;
}

void record_update(struct record *r, int (*change)(int value, void *ctx), void *ctx)
{
	struct state seen = atomic_load(&r->s);
	struct state next;
	do {
		next.value = change(seen.value, ctx);
		next.version = seen.version + 1;
	} while (!atomic_compare_exchange_strong(&r->s, &seen, next));
}
