/* alt: no commit copy; the thread phase_wait elects (PTHREAD_BARRIER_SERIAL_THREAD) swaps the shared cur and next pointers between two barriers; right because the swap comes after every compute (first barrier) and before anyone reads the pointers again (second barrier), and exactly one thread is elected a round */
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
		long *cur = s->cur, *next = s->next;

		/* Compute: my slice's next values; the edge cells read the neighbours' slices. */
		for (int i = lo; i < hi; i++)
			next[i] = sweep_rule(cur[(i + n - 1) % n], cur[i], cur[(i + 1) % n]);

		/* Everyone has finished computing: one thread turns next into cur. */
		if (phase_wait(&s->phase) == PTHREAD_BARRIER_SERIAL_THREAD) {
			s->cur = next;
			s->next = cur;
		}
		/* Nobody reads the pointers (or the new cur) before the swap is done. */
		phase_wait(&s->phase);
	}
}
