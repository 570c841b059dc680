/* record.h: a versioned value, updated optimistically: read, compute, write back. */
#ifndef RECORD_H
#define RECORD_H

struct record;

struct record *record_new(int value);	/* version 0 */
void record_free(struct record *r);

/* A consistent snapshot: the value, and how many updates produced it. */
void record_read(struct record *r, int *value, unsigned *version);

/*
 * Replace the value v by change(v, ctx) and add 1 to the version, as one step:
 * if another update lands between this one's read and its write, this one
 * reads again and calls change() again. So change() may run more than once; it
 * must only compute. No updater may ever wait for another one's change().
 */
void record_update(struct record *r, int (*change)(int value, void *ctx), void *ctx);

#endif
