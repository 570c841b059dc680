/* result.h: the one internal result every reporter writes from. */
#ifndef RESULT_H
#define RESULT_H

#include "util.h"

enum gate_id { G_BUILD, G_TESTS, G_STRESS, G_TSAN, G_HELGRIND, G_DRD, G_MEMCHECK, G_MEMORY, G_CPU, G_COUNT };

enum status { ST_PASS, ST_FAIL, ST_ERROR, ST_SKIP };

/* What one gate found. */
struct gate_result {
	enum gate_id id;
	enum status status;
	int points, max_points;
	double seconds;
	char *reason;          /* one line: why it passed, failed or could not run */
	char *detail;          /* the focused evidence, a few lines: learner's file:line, what it means */
	char *raw;             /* the tool's whole report, for --verbose */
	struct u_list kinds;   /* what was found: data-race, Race, fail, hang, oom, ... */
	const char *concept;   /* what kind of hang the watchdog saw (deadlock, cond-wait, ...), or NULL */
	long heap[64];         /* memory gate: heap bytes over the run (massif), for a chart */
	int nheap;
};

/* One grading of one lab's code. */
struct result {
	char *lab;             /* 11-lost-update */
	char *title;
	char *label;           /* what was graded: "your code", "solution", "wrong/volatile.c" */
	struct gate_result gates[G_COUNT];
	int order[G_COUNT];    /* the lab's enabled gates, in running order */
	int ngates;
	int score, max_score;  /* max_score counts every enabled gate */
	double seconds;
	struct u_list graded;  /* files taken from the submission */
	struct u_list ignored; /* files in the submission that were not used */
};

extern const char *const gate_names[G_COUNT];
extern const char *const status_names[4];

int gate_from_name(const char *name);  /* -1 if unknown */
void result_free(struct result *r);

#endif
