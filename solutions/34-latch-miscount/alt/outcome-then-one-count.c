/* alt: a handler that only decides the outcome, with returns anywhere, wrapped by batch_import, which stores the outcome and then counts down once; right because the wrapper runs once per record and counts after the record's last write, whatever paths the handler grows */
#include "import.h"

void batch_init(struct batch *b, struct record *rec, int n, parse_fn parse)
{
	b->n = n;
	b->rec = rec;
	b->parse = parse;
	for (int i = 0; i < n; i++)
		rec[i].status = REC_PENDING;
	latch_init(&b->pending, n);          /* one count per record */
}

void batch_destroy(struct batch *b)
{
	latch_destroy(&b->pending);
}

/* Decide what record r becomes; may return early on any path, never counts down. */
static enum rec_status import_one(struct batch *b, struct record *r, long *value)
{
	if (r->line[0] == '\0' || r->line[0] == '#')
		return REC_SKIPPED;              /* blank line or comment: nothing to import */
	if (b->parse(r->line, value) != 0)
		return REC_FAILED;
	return REC_OK;
}

void batch_import(struct batch *b, int i)
{
	struct record *r = &b->rec[i];
	long v = 0;

	enum rec_status st = import_one(b, r, &v);
	if (st == REC_OK)
		r->value = v;
	r->status = st;
	latch_done(&b->pending);             /* exactly once, after the record's last write */
}

void batch_wait(struct batch *b)
{
	latch_wait(&b->pending);
}
