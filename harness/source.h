/* source.h: source locations: the frame of a tool's stack that tells, pointed at the learner's file and line. */
#ifndef SOURCE_H
#define SOURCE_H

#include "finding.h"
#include "util.h"

/* Where a build's sources are: the learner's file is copied into builddir. */
struct src_ctx {
	const char *edit;      /* counter.c */
	const char *builddir;  /* holds the copy of the learner's file that was built */
	const char *labdir;    /* holds the lab's own files (tests, header) */
};

/* 2 for the learner's file, 1 for another file of the lab, 0 for anything else. */
int src_rank(const struct src_ctx *c, const char *file);

/* "counter.c:19: c->value++;" (the line's text when it can be read). */
char *src_point(const struct src_ctx *c, const char *file, int line);

/* One frame of a stack a tool printed. */
struct src_frame {
	char *fn, *file;
	int line;              /* 0 when the binary had no line for it */
	int rank;              /* src_rank of file */
};

/* The stack's most telling frame: the learner's file first (even without a line), then the lab's; -1: none. */
int src_best(const struct src_frame *f, int n);

/* "counter.c:18: c->value++;  (in counter_inc)", or "crew.c (no line number)  (in run_crew)". */
char *src_frame_point(const struct src_ctx *c, const struct src_frame *f);

/* The text of a frame's line ("c->value++;"), or NULL. */
char *src_text(const struct src_ctx *c, const struct src_frame *f);

/* Point a finding at a frame: its file (base name), line and function. */
void src_place(struct finding *x, const struct src_frame *f);

/* Drop " at 0x1234" from a tool's sentence: an address means nothing to the learner. */
void src_drop_address(char *s);

/* The line that opens a race's explanation: "Data race on c->value (in global 'shared'): ..." */
char *src_race_line(const char *what, const char *where);

/* What a C statement writes: "c->value" of "c->value++;"; NULL when it is not a plain store. */
char *src_lvalue(const char *stmt);

#endif
