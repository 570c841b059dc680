/* alt: blank lines and comments marked REC_SKIPPED in batch_init and left out of the latch's count; right because they are finished before any worker exists, and every record a worker finishes counts down once, last */
#include "import.h"

/* Blank lines and comments: nothing to import. */
static int is_skipped(const struct record *r)
{
	return r->line[0] == '\0' || r->line[0] == '#';
}

void batch_init(struct batch *b, struct record *rec, int n, parse_fn parse)
{
	int todo = 0;

	b->n = n;
	b->rec = rec;
	b->parse = parse;
	for (int i = 0; i < n; i++) {
		if (is_skipped(&rec[i])) {
			rec[i].status = REC_SKIPPED;
		} else {
			rec[i].status = REC_PENDING;
			todo++;
		}
	}
	latch_init(&b->pending, todo);       /* one count per record a worker must finish */
}

void batch_destroy(struct batch *b)
{
	latch_destroy(&b->pending);
}

void batch_import(struct batch *b, int i)
{
	struct record *r = &b->rec[i];

	if (is_skipped(r))
		return;                          /* finished in batch_init, not counted in the latch */

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
