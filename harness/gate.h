/* gate.h: grade one learner's file for one lab: every enabled gate, into one result. */
#ifndef GATE_H
#define GATE_H

#include "lab.h"
#include "result.h"
#include "source.h"

struct gate_opts {
	int jobs;              /* gates run at once; 0: one per CPU */
	const char *label;     /* what is graded: "your code", "solution", "wrong/volatile.c" */
	/* Called as each gate ends, in the lab's gate order (for live output). */
	void (*on_gate)(const struct result *r, int gate, void *user);
	void *user;
	/* If not NULL: once *cancel is nonzero, the runs under way are killed and no
	 * gate starts; the result is then worthless (a newer check replaces it). */
	const int *cancel;
	/*
	 * If not NULL: called once every gate has ended, after a build that passed, while the work
	 * folder still holds the binaries (build_binary names them) and src says where the sources are.
	 */
	void (*on_done)(const struct result *r, const char *work, const struct src_ctx *src, void *user);
};

/*
 * The whole flow for one file: copy it into a fresh folder, build, run every
 * enabled gate (several at once), read each tool's verdict from its files, and
 * fill r. srcfile NULL means the learner's file is missing (every gate fails).
 */
void gate_grade(const struct lab *lab, const char *srcfile, const struct gate_opts *o, struct result *r);

#endif
