/* wrong: double buffering with one barrier a round, as the README suggests, but the result is never brought back to cur; after an odd number of rounds cur holds the round before (tests: 1 and 3 rounds) */
#include <stdlib.h>
#include <string.h>

#include "sweep.h"

int sweep_init(struct sweep *s, int ncells, int nthreads, const long *start)
{
	s->ncells = ncells;
	s->nthreads = nthreads;
	s->cur = malloc((size_t)ncells * sizeof *s->cur);
	s->next = malloc((size_t)ncells * sizeof *s->next);
	if (s->cur == NULL || s->next == NULL) {
		free(s->cur);
		free(s->next);
		return -1;
	}
	memcpy(s->cur, start, (size_t)ncells * sizeof *s->cur);
	phase_init(&s->phase, (unsigned)nthreads);
	return 0;
}

void sweep_destroy(struct sweep *s)
{
	phase_destroy(&s->phase);
	free(s->cur);
	free(s->next);
}

void sweep_run(struct sweep *s, int id, int rounds)
{
	int n = s->ncells;
	int lo = id * n / s->nthreads, hi = (id + 1) * n / s->nthreads;   /* my slice */
	long *from = s->cur, *to = s->next;

	for (int r = 0; r < rounds; r++) {
		/* Compute: my slice's next values; the edge cells read the neighbours' slices. */
		for (int i = lo; i < hi; i++)
			to[i] = sweep_rule(from[(i + n - 1) % n], from[i], from[(i + 1) % n]);

		/* One barrier a round is enough with two buffers. */
		phase_wait(&s->phase);

		long *t = from;
		from = to;
		to = t;
	}
}
