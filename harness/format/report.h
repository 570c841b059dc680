/* report.h: the terminal reporter: one line per gate, the evidence under a failure. */
#ifndef REPORT_H
#define REPORT_H

#include <stdio.h>

#include "result.h"

struct report_style {
	int color;      /* on a terminal, and NO_COLOR unset */
	int verbose;    /* the tools' whole reports too */
};

void report_header(FILE *out, const struct result *r, const struct report_style *st);
void report_gate(FILE *out, const struct result *r, int gate, const struct report_style *st);
void report_footer(FILE *out, const struct result *r, const struct report_style *st);

/* Every line of text, indented by pad. */
void report_block(FILE *out, const char *text, const char *pad);

/* The gates after `gate` in running order, not reported yet: "tsan, helgrind" ("" after the last). */
char *report_waiting(const struct result *r, int gate);

/* Color escape for a status, or "" (and the reset). */
const char *report_color(enum result_status s, const struct report_style *st);
const char *report_reset(const struct report_style *st);

#endif
