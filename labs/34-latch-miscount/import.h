/* import.h: a batch of records imported by several workers at once (the interface the tests call). */
#ifndef IMPORT_H
#define IMPORT_H

#include "latch.h"

enum rec_status { REC_PENDING, REC_OK, REC_FAILED, REC_SKIPPED };

struct record {
	const char *line;            /* the input */
	long value;                  /* the parsed value, when status is REC_OK */
	enum rec_status status;      /* REC_PENDING until a worker has finished the record */
};

typedef int (*parse_fn)(const char *line, long *value);   /* 0 on success */

struct batch {
	int n;
	struct record *rec;
	parse_fn parse;              /* supplied by the caller */
	struct latch pending;        /* counts the records not finished yet */
};

void batch_init(struct batch *b, struct record *rec, int n, parse_fn parse);
void batch_destroy(struct batch *b);

/* A worker imports record i. Many workers call it at once, each record exactly once. */
void batch_import(struct batch *b, int i);

/* Return once every record is finished: REC_OK, REC_FAILED or REC_SKIPPED, never REC_PENDING. */
void batch_wait(struct batch *b);

#endif
