/* watchdog.h: explain a hung process group from gdb's view of every thread. */
#ifndef WATCHDOG_H
#define WATCHDOG_H

#include <sys/types.h>

/*
 * Attach gdb to the processes of the tree under root that wait (see
 * wd_explain's comment), and explain the hang in a line or two a learner understands: the mutex
 * cycle, the barrier's arrivals against its count, the condition variable
 * nobody will signal. *explain gets those lines; *raw one line per thread.
 */
void wd_explain(pid_t root, char **explain, char **raw, const char **kind);

/*
 * The same explanation, from gdb's JSON views (one "RACELAB-HANG {...}" line per process).
 * *kind (when kind is not NULL) names what was found: deadlock, self-deadlock, hold-and-wait,
 * orphan-mutex, barrier-wait, cond-wait, sem-wait, join, spin; NULL when nothing was.
 */
void wd_explain_views(const char *views, char **explain, char **raw, const char **kind);

#endif
