/* alt: a bitmap of atomic words sized for n: atomic_fetch_or of the job's bit is one read-modify-write, so exactly one worker sees the bit clear before its own set. */
#include <limits.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "jobs.h"

#define WORD_BITS (sizeof(unsigned long) * CHAR_BIT)

struct jobs {
	int n;
	atomic_ulong *claimed;	/* bit id set: job id is taken for good */
};

struct jobs *jobs_create(int n)
{
	struct jobs *t = malloc(sizeof *t);
	if (t == NULL)
		return NULL;
	size_t words = ((size_t)n + WORD_BITS - 1) / WORD_BITS;
	t->claimed = calloc(words ? words : 1, sizeof *t->claimed);
	if (t->claimed == NULL) {
		free(t);
		return NULL;
	}
	t->n = n;
	for (size_t w = 0; w < words; w++)
		atomic_init(&t->claimed[w], 0);
	return t;
}

void jobs_destroy(struct jobs *t)
{
	free(t->claimed);
	free(t);
}

int jobs_claim_next(struct jobs *t, jobs_want_fn want, void *worker)
{
	for (int id = 0; id < t->n; id++) {
		atomic_ulong *word = &t->claimed[(size_t)id / WORD_BITS];
		unsigned long bit = 1UL << ((size_t)id % WORD_BITS);
		if ((atomic_load(word) & bit) || !want(id, worker))
			continue;
		if (!(atomic_fetch_or(word, bit) & bit))
			return id;	/* we set it: ours */
	}
	return -1;
}
