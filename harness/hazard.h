/* hazard.h: a program's hazard classes from the records every detector returned: which finding counts, which is a note, which run gave no verdict. */
#ifndef HAZARD_H
#define HAZARD_H

#include "access.h"
#include "result.h"

enum hz_class { HZ_RACE, HZ_DEADLOCK, HZ_HANG, HZ_MEMORY, HZ_LEAK, HZ_MISUSE, HZ_CRASH, HZ_COUNT };
extern const char *const hz_class_names[HZ_COUNT];

/* A hazard: the record it stands on, and how it was judged when one tool's word was not enough. */
struct hz_item {
	enum hz_class cls;
	int gate;
	const struct finding *x;   /* owned by the result */
	char *why;                 /* NULL when the tool's report counts on its own */
};

/* A run, or a part of what it judges, that gave no verdict, and why. */
struct hz_gap {
	int gate;
	const char *on;            /* what was not judged: "everything", "lock order" */
	char *reason;
};

struct hz_report {
	struct hz_item *v;
	int n;
	int found[HZ_COUNT];
	int unjudged[HZ_COUNT];    /* no detector of the class gave a verdict */
	struct hz_gap *gaps;
	int ngaps;
	int whole_gaps;            /* gaps of a whole run: a clean verdict cannot stand on them */
	struct u_list notes;       /* what was seen and is not a hazard, and why */
};

/* Whether judging r needs the program's binaries (acc_scan): a race only Helgrind or DRD reported. */
int hz_needs_binary(const struct result *r);

/*
 * Judge r, a program's grading (diagnose's gates; the plain run is the tests gate). acc is
 * what its binaries say (NULL when not read). Rules, in short: TSan's races, lock-order
 * cycles and leaks count; Helgrind's and DRD's races count beside TSan's, or on their own when
 * both report the same place on plain loads and stores in a program that synchronizes only
 * through calls they model (access.h); Helgrind's lock order counts when TSan agrees or could
 * not judge lock order; a tool's misuse report counts as misuse; the plain run's hang is a
 * deadlock, a hang or (still growing) a memory question; a signal that ended it is a crash.
 */
void hz_judge(const struct result *r, const struct acc_program *acc, struct hz_report *out);

void hz_free(struct hz_report *h);

#endif
