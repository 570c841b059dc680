/* alt: double buffering: each round reads one array and writes the other, so one barrier a round is enough (no round writes what the same or the next round reads before the barrier between them). */
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
	/* Every thread swaps its own two pointers in step with the others: no shared pointer changes. */
	long *from = s->cur, *to = s->next;

	for (int r = 0; r < rounds; r++) {
		for (int i = lo; i < hi; i++)
			to[i] = sweep_rule(from[(i + n - 1) % n], from[i], from[(i + 1) % n]);

		/*
		 * After this barrier every thread has written its part of `to` and
		 * finished reading `from`: the next round may read the one and
		 * overwrite the other.
		 */
		phase_wait(&s->phase);
		long *t = from;
		from = to;
		to = t;
	}

	/* After an odd number of rounds the result is in next: bring my slice home to cur,
	 * which nobody reads any more (the last barrier ended every read of it). */
	if (from != s->cur)
		for (int i = lo; i < hi; i++)
			s->cur[i] = from[i];
}
