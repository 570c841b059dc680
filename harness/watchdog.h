/* watchdog.h: explain a hung process group from gdb's view of every thread. */
#ifndef WATCHDOG_H
#define WATCHDOG_H

#include <sys/types.h>

#include "util.h"

/* What the watchdog saw of a hang. */
struct wd_hang {
	char *text;            /* the explanation, a line or two a learner understands */
	char *raw;             /* every thread it saw, one line each, for --verbose */
	/*
	 * What it found: deadlock, self-deadlock, hold-and-wait, orphan-mutex, barrier-wait,
	 * cond-wait, sem-wait, mutex-wait, join, spin; growing (still running, its memory growing:
	 * busy, not blocked; wd_growth); NULL when nothing was.
	 */
	const char *kind;
	struct u_list objects; /* the mutexes, barrier or condition variable it names */
};

/*
 * Attach gdb, running the view script (harness/gdb/hangview.py), to the processes of the
 * tree under root that wait: the leaves (the test, a child it forked) and any process with
 * threads. Call it while the tree still hangs, before it is killed.
 */
void wd_explain(pid_t root, const char *script, struct wd_hang *h);

/* The same explanation, from gdb's JSON views (one "RACELAB-HANG {...}" line per process). */
void wd_explain_views(const char *views, struct wd_hang *h);

/*
 * Busy is not hung: the tree mapped before_kb, then after_kb a moment later, at the timeout. If it
 * grew, h becomes "growing" (unless it shows a cycle of mutexes, which hangs whatever else runs).
 */
void wd_growth(struct wd_hang *h, long before_kb, long after_kb, double seconds);

void wd_hang_free(struct wd_hang *h);

#endif
