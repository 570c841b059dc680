/* show.h: one check of a learner's file as check and watch both show it: a header, a line per gate as it ends, the footer. */
#ifndef SHOW_H
#define SHOW_H

#include "lab.h"
#include "report.h"

/* The header ("11-lost-update: ... (label)"), and the progress line's first step. */
void show_begin(const struct lab *lab, const char *label, const struct report_style *st);

/*
 * A gate that ended: its line and evidence (unless stale: a newer check replaces this one),
 * then more() if not NULL (watch's "fast gates pass"), then the gates still running on the
 * progress line.
 */
void show_gate(const struct result *r, int gate, const struct report_style *st, int stale,
		void (*more)(const struct result *r, int gate, void *user), void *user);

/* The footer, the learner's progress kept; the command's exit code (cli_exit_code). */
int show_end(const struct lab *lab, const struct result *r, const struct report_style *st);

#endif
