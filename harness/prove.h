/* prove.h: the proof of one lab: broken caught, fix clean, every wrong fix rejected. */
#ifndef PROVE_H
#define PROVE_H

#include <stdio.h>

#include "gate.h"
#include "lab.h"

struct proof {
	char *lab;
	int runs;                 /* how many times each version was graded */
	int broken_caught;        /* runs where the broken code showed every [broken] expectation */
	char *broken_gates;       /* the gates that caught it (last run): "tests, tsan, helgrind" */
	char *broken_missing;     /* what the last failing run did not show */
	int fix_clean;            /* runs where the solution passed every gate */
	char *fix_problem;
	int nwrong;
	char **wrong;             /* wrong fix file names */
	int *wrong_rejected;      /* runs where each was rejected (by what its [wrong] entry names, if it has one) */
	char **wrong_missing;     /* why the last run that did not reject it did not */
	int nalt;
	char **alt;               /* alternatives: correct fixes by another approach (alt/ *.c) */
	int *alt_clean;           /* runs where each passed every gate */
	char **alt_problem;
	char *config_error;       /* the lab itself is incomplete */
	long heap_bound;          /* labs with the memory gate: the bound, and each version's heap */
	long broken_heap[RESULT_HEAP_POINTS], fix_heap[RESULT_HEAP_POINTS]; /* over its last run (massif), for charts side by side */
	int broken_nheap, fix_nheap;
};

/* How to prove: the gates' options, the shipped broken file, where progress goes. */
struct proof_opts {
	const struct gate_opts *gate;
	const char *shipped;      /* the broken file as the kata ships it */
	FILE *log;                /* a line per grading when not NULL */
	/* Called as each grading starts ("solution", run 2 of 20), when not NULL. */
	void (*step)(const char *label, int run, int runs);
};

/* Prove lab `runs` times. */
void proof_run(const struct lab *lab, int runs, const struct proof_opts *o, struct proof *p);
int proof_ok(const struct proof *p);
void proof_free(struct proof *p);

/*
 * Whether a result of wrong fix file (its base name) is rejected: by every "gate:kind" of its
 * [wrong] entry (without one it is not); else *missing says why not.
 */
int proof_wrong_rejected(const struct lab *lab, const char *file, const struct result *r, char **missing);

/* Whether a result of the broken code shows lab's [broken] and [explain]; else why not. */
int proof_broken_shows(const struct lab *lab, const struct result *r, char **missing);

#endif
