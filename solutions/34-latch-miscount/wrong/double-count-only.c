/* wrong: the failure path's second count down removed, the skip path left returning before it counts; a blank line or a comment keeps the latch above zero for ever (hang) */
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
		return;                          /* blank line or comment: nothing to import */
	}

	long v;
	if (b->parse(r->line, &v) != 0) {
		r->status = REC_FAILED;          /* a failed record is finished too */
	} else {
		r->value = v;
		r->status = REC_OK;
	}
	latch_done(&b->pending);             /* this record is finished */
}

void batch_wait(struct batch *b)
{
	latch_wait(&b->pending);
}
