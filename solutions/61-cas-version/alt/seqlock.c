/* alt: a seqlock: a counter (twice the version, odd while a winner stores) and an atomic value; an updater commits by CAS of the even count it read to odd, stores the value, then the next even count; correct because the CAS fails if any update landed since the snapshot, only its winner stores, and a reader takes a value only between two equal even counts; nobody ever waits for a change(), only for another's two stores. */
#include <stdatomic.h>
#include <stdlib.h>

#include "record.h"

struct record {
	atomic_ullong seq;	/* 2 * updates; odd while the winner of a CAS stores its value */
	atomic_int value;
};

struct record *record_new(int value)
{
	struct record *r = malloc(sizeof *r);
	if (r != NULL) {
		atomic_init(&r->seq, 0);
		atomic_init(&r->value, value);
	}
	return r;
}

void record_free(struct record *r)
{
	free(r);
}

/* A value and the even sequence number it belongs to. */
static unsigned long long snapshot(struct record *r, int *value)
{
	for (;;) {
		unsigned long long s = atomic_load(&r->seq);
		if (s & 1)
			continue;	/* a winner is between its two stores */
		int v = atomic_load(&r->value);
		if (atomic_load(&r->seq) == s) {
			*value = v;
			return s;
		}
	}
}

void record_read(struct record *r, int *value, unsigned *version)
{
	*version = (unsigned)(snapshot(r, value) / 2);
}

void record_update(struct record *r, int (*change)(int value, void *ctx), void *ctx)
{
	for (;;) {
		int old;
		unsigned long long seen = snapshot(r, &old);
		int next = change(old, ctx);
		unsigned long long expected = seen;
		if (atomic_compare_exchange_strong(&r->seq, &expected, seen + 1)) {
			atomic_store(&r->value, next);
			atomic_store(&r->seq, seen + 2);
			return;
		}
		/* someone landed first: read again, compute again */
	}
}
