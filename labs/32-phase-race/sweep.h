/* sweep.h: a ring of cells that several threads update round by round (the interface the tests call). */
#ifndef SWEEP_H
#define SWEEP_H

#include "phase.h"

struct sweep {
	int ncells;          /* cells in the ring: cell 0's left neighbour is cell ncells-1 */
	int nthreads;        /* threads that call sweep_run, one slice of the ring each */
	long *cur;           /* the cells after the last round */
	long *next;          /* scratch: the round being computed */
	struct phase phase;  /* where the threads meet between phases */
};

/* The rule: a cell's next value, from its left neighbour, itself and its right neighbour (rule.c). */
long sweep_rule(long left, long mid, long right);

/* Set up a ring of ncells cells holding start[], for nthreads threads. 0, or -1 if out of memory. */
int sweep_init(struct sweep *s, int ncells, int nthreads, const long *start);
void sweep_destroy(struct sweep *s);

/*
 * Run `rounds` rounds of the rule over the whole ring. Each of the nthreads
 * threads calls it at once with its own id (0 .. nthreads-1) and updates its
 * own slice; together they must end with exactly what one thread alone would.
 * It has no way to fail: if it allocates memory and gets none, it ends the
 * program (abort) rather than leave the others waiting for it.
 */
void sweep_run(struct sweep *s, int id, int rounds);

#endif
