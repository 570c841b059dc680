/* wrong: double buffering on the shared pointers with one barrier a round, thread 0 swapping s->cur and s->next after it; the swap is not ordered against the other threads' next reads of the pointers, which may see the old pair or a torn one (Helgrind: race on s->cur) */
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
		/* Compute: my slice's next values; the edge cells read the neighbours' slices. */
		for (int i = lo; i < hi; i++)
			s->next[i] = sweep_rule(s->cur[(i + n - 1) % n], s->cur[i], s->cur[(i + 1) % n]);

		/* Everyone has computed: the next values become the current ones by a swap. */
		phase_wait(&s->phase);
		if (id == 0) {
			long *t = s->cur;
			s->cur = s->next;
			s->next = t;
		}
	}
}
