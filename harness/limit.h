/* limit.h: which reports of Helgrind and DRD are a known limit of the tool, not true of C11 and pthreads, judged beside ThreadSanitizer's run of the same code. */
#ifndef LIMIT_H
#define LIMIT_H

#include "access.h"
#include "result.h"

/* What the judging knows of the same grading. */
struct lim_ctx {
	const struct gate_result *tsan; /* the tsan gate's result, settled; NULL when the lab has no tsan gate */
	const struct acc_program *acc;  /* what the binaries say (access.h); NULL or acc->error when not read */
	const char *edit;               /* the learner's file (base name) */
};

/*
 * Whether ThreadSanitizer's run is a verdict a note may stand on: it passed, or failed with reports
 * of its own from a run that ended by itself. Not when it could not run, left no verdict, hung or
 * was stopped at the cap on processes: its silence then covers part of the run at most.
 */
int lim_tsan_judged(const struct gate_result *tsan);

/* Whether x is of a shape some rule below may note: worth reading the binaries for. */
int lim_candidate(const struct finding *x);

/*
 * Why x, a record of Helgrind or DRD, is a known limit of its tool (a new string), or NULL when it
 * stands. Only where ThreadSanitizer judged the same run, and never on the learner's source text:
 * - Helgrind's "recursive write lock granted" at a call of pthread_spin_lock (or trylock): its model
 *   of a spinlock under contention; a real relock of a spinlock spins for ever and never returns.
 * - A race whose every access is atomic (access.h): C11 atomic operations never race each other.
 * - A race on plain accesses that TSan did not report at that place, in a learner's file that does
 *   atomic operations: Helgrind and DRD do not see the order that acquire/release gives; TSan does.
 * - Helgrind's lock order whose edge was taken by pthread_mutex_trylock, which never waits, while
 *   TSan (which counts only blocking acquisitions) judged lock order and reported no cycle.
 */
char *lim_judge(const struct lim_ctx *c, const struct finding *x);

/*
 * Move every record of g's found that lim_judge notes into g's notes, each with its reason in
 * ->limit. The number moved; the caller settles the gate again from what is left.
 */
int lim_sort(const struct lim_ctx *c, struct gate_result *g);

#endif
