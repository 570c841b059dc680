/* line.h: one updating status line on a terminal (spinner, task, step, seconds); nothing in a pipe. */
#ifndef LINE_H
#define LINE_H

#include <stdio.h>

/*
 * Start the line on out, if out is a terminal: a thread redraws it a few times
 * a second. In a pipe every call below is harmless and prints nothing, but
 * line_hold/line_release still serialize the output of several threads.
 */
void line_start(FILE *out);
void line_stop(void);      /* erase the line and end its thread */

/* The task ("proving 12-double-claim (3/25)"), "" for no line; its seconds count from here. */
void line_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The task's current step ("solution run 2/5"), shown after it; set anew clears it. */
void line_step(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Erase the line and lock it, to print something else; line_release redraws it. */
void line_hold(void);
void line_release(void);

#endif
