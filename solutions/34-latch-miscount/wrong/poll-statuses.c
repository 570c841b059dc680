/* wrong: skips counted, the double count kept, and batch_wait polls the statuses through volatile every millisecond instead of trusting the latch; the reads are unordered with the workers' writes (tsan: data race) and REC_OK can show before the value */
#include <time.h>

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
	} else {
		r->value = v;
		r->status = REC_OK;
	}
	latch_done(&b->pending);             /* this record is finished */
}

void batch_wait(struct batch *b)
{
	/* The latch can be off by one: check the records themselves. */
	for (int i = 0; i < b->n; i++)
		while (*(volatile enum rec_status *)&b->rec[i].status == REC_PENDING)
			nanosleep(&(struct timespec){ .tv_sec = 0, .tv_nsec = 1000000 }, NULL);
}
