/* result.h: the one internal result every reporter writes from. */
#ifndef RESULT_H
#define RESULT_H

#include "finding.h"
#include "util.h"

enum gate_id { GATE_BUILD, GATE_TESTS, GATE_STRESS, GATE_TSAN, GATE_HELGRIND, GATE_DRD, GATE_MEMCHECK, GATE_MEMORY, GATE_CPU, GATE_SCHEDULES, GATE_COUNT };

enum result_status { RESULT_PASS, RESULT_FAIL, RESULT_ERROR, RESULT_SKIP };

/* One test of the lab's Check suite, as its XML log tells it (the tests gate only). */
struct test_case {
	char *name;            /* no_update_is_lost */
	enum result_status status;    /* pass, or fail (an assertion failed, or the test crashed) */
	char *message;         /* Check's message, with the test's file:line */
};

/* How many points of a heap's growth a result keeps, for a chart. */
enum { RESULT_HEAP_POINTS = 64 };

/* What one gate found. */
struct gate_result {
	enum gate_id id;
	enum result_status status;
	int points, max_points;
	double seconds;
	struct findings found; /* what the gate's tools found, one record a report: what every consumer reads */
	struct findings notes; /* what they reported that is a known limit of the tool (limit.h): each with its ->limit; never costs points */
	struct u_list kinds;   /* found's kinds, each once: data-race, Race, fail, hang, oom, no-verdict ... */
	char *reason;          /* one line, made from the above: why it passed, failed or could not run */
	char *detail;          /* the evidence made from found's records for people, a few lines */
	char *raw;             /* the tool's whole report, for --verbose */
	char *partial;         /* the tool judged a part only, and why (TSan run again without its deadlock detector) */
	struct test_case *cases; /* the suite's tests one by one (tests gate); they carry no points */
	int ncases;
	long heap[RESULT_HEAP_POINTS]; /* memory gate: heap bytes over the run (massif), for a chart */
	int nheap;
};

/* One grading of one lab's code. */
struct result {
	char *lab;             /* 11-lost-update */
	char *title;
	char *label;           /* what was graded: "your code", "solution", "wrong/volatile.c" */
	struct gate_result gates[GATE_COUNT];
	int order[GATE_COUNT];    /* the lab's enabled gates, in running order */
	int ngates;
	double score;          /* points earned, scaled over the gates that could run (result_score) */
	int max_score;         /* every enabled gate's points: the lab's total */
	int counted_max;       /* the points of the gates that could run (not error) */
	double seconds;
	struct u_list why;     /* why the failures matter: a line per concept, each once, after the evidence */
	struct u_list graded;  /* files taken from the submission */
	struct u_list ignored; /* files in the submission that were not used */
};

extern const char *const gate_names[GATE_COUNT];
extern const char *const status_names[4];

int gate_from_name(const char *name);  /* -1 if unknown */

/*
 * The scoring rule, the only place points are counted: a gate that passed earns
 * its points (points[gate]), one that failed or was skipped earns none, and one
 * that could not run (error: the grading machine's fault) is left out: its
 * max_points become 0 and the score is scaled back to the lab's total,
 * score = max_score * earned / counted_max. Nothing could run: score 0.
 */
void result_score(struct result *r, const int points[GATE_COUNT]);

/* Every enabled gate passed (none failed, was skipped, or could not run). */
int result_all_passed(const struct result *r);

void result_add_case(struct gate_result *g, const char *name, enum result_status st, const char *message);
void result_free(struct result *r);

#endif
