/* wrong: the packed-word CAS loop, but pack() ORs in (uint64_t)value without going through uint32_t: a negative value sign-extends over the version half (a record of -1 reads version 4294967295). */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "record.h"

struct record {
	_Atomic uint64_t word;	/* version << 32 | (uint32_t)value */
};

static uint64_t pack(int value, unsigned version)
{
	return (uint64_t)version << 32 | (uint64_t)value;
}

static int value_of(uint64_t w)
{
	return (int)(uint32_t)w;
}

static unsigned version_of(uint64_t w)
{
	return (unsigned)(w >> 32);
}

struct record *record_new(int value)
{
	struct record *r = malloc(sizeof *r);
	if (r != NULL)
		atomic_init(&r->word, pack(value, 0));
	return r;
}

void record_free(struct record *r)
{
	free(r);
}

void record_read(struct record *r, int *value, unsigned *version)
{
	uint64_t w = atomic_load(&r->word);
	*value = value_of(w);
	*version = version_of(w);
}

void record_update(struct record *r, int (*change)(int value, void *ctx), void *ctx)
{
	uint64_t seen = atomic_load(&r->word);
	for (;;) {
		/* No lock: a slow change() holds nobody up. */
		int next = change(value_of(seen), ctx);
		/* Lands only if nobody updated since we read; else seen becomes the current word. */
		if (atomic_compare_exchange_weak(&r->word, &seen, pack(next, version_of(seen) + 1)))
			return;
	}
}
