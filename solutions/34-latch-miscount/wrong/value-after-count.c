/* wrong: one count per record, but a good record is marked REC_OK and counted down before its value is stored; the caller can see REC_OK and read the value while it is written (tsan: data race) */
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

void batch_import(struct batch *b, int i)
{
	struct record *r = &b->rec[i];

	if (r->line[0] == '\0' || r->line[0] == '#') {
		r->status = REC_SKIPPED;
		latch_done(&b->pending);         /* blank line or comment: finished */
		return;
	}

	long v;
	if (b->parse(r->line, &v) != 0) {
		r->status = REC_FAILED;
		latch_done(&b->pending);         /* a failed record is finished too */
		return;
	}
	r->status = REC_OK;
	latch_done(&b->pending);             /* batch_wait looks at the status: it is final now */
	r->value = v;
}

void batch_wait(struct batch *b)
{
	latch_wait(&b->pending);
}
