/* schedgate.h: the schedules gate's verdict: a search's records and traces, as findings with their timelines. */
#ifndef SCHEDGATE_H
#define SCHEDGATE_H

#include "finding.h"
#include "lab.h"
#include "source.h"

/* How many rows of a failing schedule's timeline the gate shows under its failure. */
enum { SG_ROWS = 10 };

/*
 * Judge a schedules run: ck holds what Check's log said (ck_judge), records the search's
 * lines (RACELAB_SCHED_OUT), traces the folder of each test's schedule run in place. Each
 * test whose search failed becomes one finding of the search's kind (assertion, crash,
 * deadlock, lost-wakeup, barrier-short, misuse, no-progress) whose text is the failing
 * schedule's timeline folded to about SG_ROWS rows and how to replay it; the other records
 * of ck are kept. Into f (ck is emptied). Returns the pass reason, "N schedules explored,
 * none failed", or NULL when the run left no records (then f->fatal says why).
 */
char *sg_judge(const struct lab *lab, struct findings *ck, const char *records, const char *traces,
	       const char *binary, const struct src_ctx *src, struct findings *f);

#endif
