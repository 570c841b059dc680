/* alt: a scope guard (__attribute__((cleanup))) counts the record down when batch_import returns, by any path; right because the cleanup runs exactly once per call, after every write to the record */
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

static void count_down(struct latch **l)
{
	latch_done(*l);
}

void batch_import(struct batch *b, int i)
{
	/* Counted down when this function returns, whatever the path. */
	struct latch *guard __attribute__((cleanup(count_down))) = &b->pending;
	struct record *r = &b->rec[i];

	if (r->line[0] == '\0' || r->line[0] == '#') {
		r->status = REC_SKIPPED;
		return;                          /* blank line or comment: nothing to import */
	}

	long v;
	if (b->parse(r->line, &v) != 0) {
		r->status = REC_FAILED;          /* a failed record is finished too */
		return;
	}
	r->value = v;
	r->status = REC_OK;
	(void)guard;
}

void batch_wait(struct batch *b)
{
	latch_wait(&b->pending);
}
