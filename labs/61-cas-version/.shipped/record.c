/* record.c: a stock level that many threads update without taking a lock. */
#include <stdlib.h>

#include "record.h"

struct record {
	int value;
	unsigned version;	/* bumped by every update, so changes can be told apart */
};

struct record *record_new(int value)
{
	struct record *r = malloc(sizeof *r);
	if (r != NULL)
		*r = (struct record){ .value = value, .version = 0 };
	return r;
}

void record_free(struct record *r)
{
	free(r);
}

void record_read(struct record *r, int *value, unsigned *version)
{
	*value = r->value;
	*version = r->version;
}

void record_update(struct record *r, int (*change)(int value, void *ctx), void *ctx)
{
	/* Optimistic: no lock, so a slow change() holds nobody up. */
	int old = r->value;
	unsigned seen = r->version;
	int next = change(old, ctx);
	r->value = next;
	r->version = seen + 1;
}
