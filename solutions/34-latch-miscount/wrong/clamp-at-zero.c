/* wrong: counts down only while latch_count() is above zero; check-then-act on the count, and the failure path still counts twice while another record is pending, so the latch reaches zero one record early (tests) */
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

/* Never take the latch below zero. */
static void count_down(struct batch *b)
{
	if (latch_count(&b->pending) > 0)
		latch_done(&b->pending);
}

void batch_import(struct batch *b, int i)
{
	struct record *r = &b->rec[i];

	if (r->line[0] == '\0' || r->line[0] == '#') {
		r->status = REC_SKIPPED;
		count_down(b);                   /* blank line or comment: finished */
		return;
	}

	long v;
	if (b->parse(r->line, &v) != 0) {
		r->status = REC_FAILED;
		count_down(b);                   /* a failed record is finished too */
	} else {
		r->value = v;
		r->status = REC_OK;
	}
	count_down(b);                       /* this record is finished */
}

void batch_wait(struct batch *b)
{
	latch_wait(&b->pending);
}
