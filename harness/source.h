/* source.h: what a detector found, pointed at the learner's file and line. */
#ifndef SOURCE_H
#define SOURCE_H

#include "util.h"

/* What one detector read from the files a tool wrote. */
struct findings {
	int count;             /* reports read */
	struct u_list kinds;   /* their kinds, each once: data-race, Race, fail, ... */
	struct u_buf detail;   /* the first report of each kind, focused on the learner's code */
	struct u_buf raw;      /* every report, as the tool wrote it */
	char *fatal;           /* the tool itself failed: why (then nothing above counts) */
	const char *topic;     /* a hang's kind as the watchdog named it (run_result.hang_kind), or NULL */
};

/* Count one report of this kind; 1 when the kind is new (describe it then). */
int findings_add(struct findings *f, const char *kind);
void findings_free(struct findings *f);

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

/* What a C statement writes: "c->value" of "c->value++;"; NULL when it is not a plain store. */
char *src_lvalue(const char *stmt);

#endif
