/* wrong: the packed-word CAS loop, but change() runs once, before the loop: a loser retries with a fresh version and its stale value, so an update is lost while the version counts it. */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "record.h"

struct record {
	_Atomic uint64_t word;	/* version << 32 | (uint32_t)value */
};

static uint64_t pack(int value, unsigned version)
{
	return (uint64_t)version << 32 | (uint32_t)value;
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
	/* No lock: a slow change() holds nobody up, and it runs only once. */
	int next = change(value_of(seen), ctx);
	while (!atomic_compare_exchange_weak(&r->word, &seen, pack(next, version_of(seen) + 1)))
		;	/* seen is the current word now: try again with its version */
}
