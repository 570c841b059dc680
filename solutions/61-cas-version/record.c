/* record.c (solution): value and version share one atomic word, updated by compare-and-set. */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "record.h"

/*
 * The version sits in the high 32 bits and the value in the low 32, so one
 * compare-and-set checks both and writes both: the update lands only if the
 * record is still exactly what this updater read.
 */
struct record {
	_Atomic uint64_t word;
};

static uint64_t pack(int value, unsigned version)
{
	return (uint64_t)version << 32 | (uint32_t)value;
}

static int value_of(uint64_t word)
{
	return (int)(uint32_t)word;
}

static unsigned version_of(uint64_t word)
{
	return (unsigned)(word >> 32);
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
	uint64_t word = atomic_load(&r->word);	/* one load: value and version agree */
	*value = value_of(word);
	*version = version_of(word);
}

void record_update(struct record *r, int (*change)(int value, void *ctx), void *ctx)
{
	uint64_t seen = atomic_load(&r->word);
	uint64_t next;

	/* On failure the compare-and-set stores the record's current word in
	 * seen, so the next round computes from what is really there now. */
	do {
		next = pack(change(value_of(seen), ctx), version_of(seen) + 1);
	} while (!atomic_compare_exchange_weak(&r->word, &seen, next));
}
