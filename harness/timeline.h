/* timeline.h: one schedule told as a timeline, a column a thread and a row a step, in text or as a page. */
#ifndef TIMELINE_H
#define TIMELINE_H

#include "schedule.h"

/*
 * The timeline for people: a column a thread, a row a step that matters (the synchronisation
 * of the learner's file edit, and its loads and stores of variables two threads share), the
 * rest folded ("... 12 steps of T2"), then what it comes to (an update lost, a cycle of locks,
 * the failed assertion). At most max_rows rows of steps (0: no bound), around the lost update
 * when there is one, else the last. No times, no addresses: one schedule prints the same bytes.
 */
char *tl_text(const struct sch_trace *t, const char *edit, int max_rows);

/* The same, brief: no blank lines, for a gate's verdict (max_rows rows of steps come to about as many lines). */
char *tl_brief(const struct sch_trace *t, const char *edit, int max_rows);

/* The same rows as one self-contained HTML page: a lane a thread, arrows for lock hand-offs and wakeups. */
char *tl_html(const struct sch_trace *t, const char *edit, const char *title);

#endif
