/* fmt.h: the machine formats of racelab grade: which writer, and the texts they all share. */
#ifndef FMT_H
#define FMT_H

#include <stdio.h>

#include "result.h"

/* A format's writer: the whole result to out; 0 on success. */
typedef int (*fmt_writer)(const struct result *r, FILE *out);

/* The writer named name (gradescope, prairielearn, junit, tap, json), or NULL. */
fmt_writer fmt_find(const char *name);

/* "gradescope, prairielearn, junit, tap, json": for messages. */
const char *fmt_names(void);

/*
 * Write r as format to path ("-": stdout). A file is written whole to path.tmp
 * and renamed, so an autograder never reads half of one. 0 on success.
 */
int fmt_write(const struct result *r, const char *format, const char *path);

/*
 * Make every text in r fit every format: a byte XML 1.0 forbids (control
 * characters but tab and newline) becomes '?', and so does every non-ASCII
 * byte of a text that is not valid UTF-8 (a learner's Latin-1 comment, a file
 * name), which JSON and XML would refuse. Call once before fmt_write.
 */
void fmt_sanitize(struct result *r);

/* A gate's text: its one-line reason, then the evidence; for an error, that it is not counted. */
char *fmt_gate_text(const struct gate_result *g);

/* "Graded: counter.c. Ignored (...): test_counter.c, Makefile." */
char *fmt_files(const struct result *r);

/* The whole grading in a few lines: lab, score, gates passed, not counted, files. */
char *fmt_summary(const struct result *r);

/* A gate's or a test's name as every format shows it: "tsan", "tests: no_update_is_lost". */
char *fmt_case_name(const struct gate_result *g, int c);

#endif
