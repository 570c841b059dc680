/* lab.h: a kata as lab.ini and its folders describe it. */
#ifndef LAB_H
#define LAB_H

#include "result.h"
#include "util.h"

enum { LAB_MAX_HINTS = 16 };

struct lab {
	char *id;              /* 11-lost-update */
	char *dir;             /* ROOT/labs/11-lost-update */
	char *soldir;          /* ROOT/solutions/11-lost-update */
	char *title, *track, *concepts;
	int difficulty;
	char *edit;            /* the one file the learner edits: counter.c */
	int points[GATE_COUNT];   /* 0 when the gate is off */
	int enabled[GATE_COUNT];

	double timeout_s;
	long heap_max_kb, memory_cap_mb;
	int stress_runs;
	long tool_scale;       /* under a tool, rl_scale(n) is n / tool_scale; 0: the runtime's default (50) */
	double cpu_max_ratio;
	long wakeups_max;
	long sched_budget;     /* schedules gate: schedules searched per test, at most ... */
	double sched_seconds;  /* ... and seconds per test */

	char *broken[GATE_COUNT]; /* kinds the shipped code must show, comma-separated */
	char *explain[GATE_COUNT];/* words each gate's explanation of it must contain */
	char *hints[LAB_MAX_HINTS];
	int nhints;

	/* [wrong]: per wrong fix (file name without .c), "gate:kind, ..." that must each reject it. */
	struct u_list wrong_names, wrong_expect;

	/* A program that brings its own main() (racelab diagnose): no Check suite, run as it is. */
	int own_main;
	char *run_args;       /* its arguments, split at blanks; NULL for none */
};

/* The project's top folder: RACELAB_ROOT, or the folder above bin/racelab. */
const char *lab_root(void);

/* Load a lab named by folder (11-lost-update) or number (11). 0 on success, else err says why. */
int lab_load(const char *name, struct lab *lab, char *err, size_t errlen);
void lab_free(struct lab *lab);

/* Every lab folder name, sorted. */
void lab_all(struct u_list *ids);

/*
 * The file to edit as the kata ships it, broken: labs/NN-slug/.shipped/FILE, a pristine copy the
 * repository and the learner's bundle carry (never a copy of the learner's working file), for
 * racelab reset and racelab prove.
 */
char *lab_shipped(const struct lab *lab);

/* The [wrong] expectation for wrong fix file (e.g. "volatile.c"): "tsan:data-race, ..." or NULL. */
const char *lab_wrong_expect(const struct lab *lab, const char *file);

/* The lab's .c files the learner does not edit (test file included). */
void lab_fixed_sources(const struct lab *lab, struct u_list *out);

#endif
