/* ckxml.h: read a Check suite's XML log, and judge one run of a suite. */
#ifndef CKXML_H
#define CKXML_H

#include "run.h"
#include "source.h"
#include "watchdog.h"

struct ck_test {
	char *id;       /* no_update_is_lost */
	char *result;   /* success, failure, error */
	char *fn;       /* test_counter.c:33 */
	char *message;
};

struct ck_log {
	struct ck_test *t;
	int n;
};

/* Parse Check's XML log text; 0 when it held a <testsuites> document. */
int ck_parse(const char *xml, size_t len, struct ck_log *log);
void ck_free(struct ck_log *log);

/* Read and parse the log Check wrote at path; 0 when it held a <testsuites> document. */
int ck_read(const char *path, struct ck_log *log);

/*
 * Judge one run of a suite from its XML log and how the process ended, never
 * from its output: records of kind fail (an assertion: the test, its file and
 * line), crash (a signal or an early exit), hang (the run timed out; hang is
 * what the watchdog saw, or NULL). Nothing added to f means it passed.
 */
void ck_judge(const char *xmlpath, const struct run_result *run, const struct wd_hang *hang,
	      const struct src_ctx *src, struct findings *f);

/* Judge one run of a program with its own main (no suite): hang, crash (a signal) or exit (code not 0). */
void ck_judge_program(const struct run_result *run, const struct wd_hang *hang, struct findings *f);

/* A hang record: why the run was stopped, what came before (", 2 tests passed before it"), what the watchdog saw. */
void ck_add_hang(const struct run_result *run, const struct wd_hang *hang, const char *before, struct findings *f);

#endif
