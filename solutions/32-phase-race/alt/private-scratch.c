/* sweep.c (alternative): each thread computes into scratch of its own and commits it between two phase_waits. Correct: no thread writes cur while a neighbour reads it, and a thread that gets no scratch ends the program, as sweep.h asks, instead of leaving the others at a barrier */
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
	long *mine = malloc((size_t)(hi - lo + 1) * sizeof *mine);   /* my own scratch */

	if (mine == NULL)
		abort();	/* no way to report it, and the others would wait for this thread forever */

	for (int r = 0; r < rounds; r++) {
		/* Compute: my slice's next values; the edge cells read the neighbours' slices. */
		for (int i = lo; i < hi; i++)
			mine[i - lo] = sweep_rule(s->cur[(i + n - 1) % n], s->cur[i], s->cur[(i + 1) % n]);

		/* Nobody may overwrite cur while a neighbour still reads it. */
		phase_wait(&s->phase);

		/* Commit: the new values become the current ones. */
		for (int i = lo; i < hi; i++)
			s->cur[i] = mine[i - lo];

		/* Nobody reads the next round before every commit is done. */
		phase_wait(&s->phase);
	}
	free(mine);
}
