/* wrong: one count per record, but the failure path counts down before it writes REC_FAILED; when the failing record finishes last, batch_wait returns while its status is being written (tsan: data race) */
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
		latch_done(&b->pending);         /* skipped is finished too */
		return;
	}

	long v;
	if (b->parse(r->line, &v) != 0) {
		latch_done(&b->pending);         /* a failed record is finished too */
		r->status = REC_FAILED;
		return;
	}
	r->value = v;
	r->status = REC_OK;
	latch_done(&b->pending);             /* this record is finished */
}

void batch_wait(struct batch *b)
{
	latch_wait(&b->pending);
}
