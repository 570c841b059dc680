/* alt: ghost cells; each thread copies its two neighbours' edge cells into locals, waits, updates its slice in place carrying the old left value, and waits again; right because other slices are read only before the first barrier and a thread writes only its own slice between the first and the second */
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

	for (int r = 0; r < rounds; r++) {
		long left = 0, right = 0;

		/* Read the neighbours' edge cells (ghosts) while nobody writes. */
		if (lo < hi) {
			left = s->cur[(lo + n - 1) % n];
			right = s->cur[hi % n];
		}

		/* Nobody may overwrite a cell a neighbour has not read yet. */
		phase_wait(&s->phase);

		/* Update my slice in place: `left` carries the old value of the cell to the left. */
		for (int i = lo; i < hi; i++) {
			long mid = s->cur[i];
			long rgt = i + 1 < hi ? s->cur[i + 1] : right;
			s->cur[i] = sweep_rule(left, mid, rgt);
			left = mid;
		}

		/* Nobody reads my edges for the next round before I have written them. */
		phase_wait(&s->phase);
	}
}
