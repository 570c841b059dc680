/* schedule.h: what the controlled scheduler wrote (a search's records, a schedule's steps), read and told as a timeline. */
#ifndef SCHEDULE_H
#define SCHEDULE_H

#include "source.h"
#include "util.h"

/* One test's search, a line of RACELAB_SCHED_OUT (harness/runtime/rl_sched_explore.c). */
struct sch_record {
	char *test;
	long explored, too_long;
	double seconds;
	char *seed;            /* the first failing schedule's seed, or NULL when none failed */
	char *kind;            /* assertion, crash, deadlock, lost-wakeup, barrier-short, misuse, ... */
	char *why;             /* the runtime's words, object tokens not yet named */
};

struct sch_records {
	struct sch_record *v;
	int n;
};

/* Read a search's records, a test's lines of every round summed; 0 when the file was read (it may hold none). */
int sch_records_read(const char *path, struct sch_records *r);
void sch_records_free(struct sch_records *r);
/* How many tests a failing schedule was found in. */
int sch_records_failed(const struct sch_records *r);

/* A search runs the suite in rounds, each test a slice of its budget a round, until one fails. */
enum { SCH_ROUNDS = 3 };
struct sch_round {
	long budget;           /* schedules a test this round (RACELAB_SCHED_BUDGET) */
	long first;            /* the index of its first schedule (RACELAB_SCHED_FIRST) */
	double seconds;        /* seconds a test this round (RACELAB_SCHED_SECONDS) */
};
/* Round i (0 .. SCH_ROUNDS-1) of a search of budget schedules or seconds a test, whichever ends first. */
void sch_round(long budget, double seconds, int i, struct sch_round *r);

/* One step of a schedule, its names resolved. */
struct sch_step {
	int n, thread;
	char *ev;              /* read, write, lock, wait, ... (the trace's word) */
	char *obj;             /* the object's token: {s:1c040}, {h:2}, {k:1} or - */
	char *name;            /* what the learner calls it: c->value, alice, ... or NULL */
	char *file;            /* base name of the caller's file, or NULL */
	int line;
	char *text;            /* the source line, trimmed, or NULL */
	long long value;
	int size;
};

/* A schedule as the runtime traced it (a replay's, or a search's run in place). */
struct sch_trace {
	char *seed, *test, *strategy;
	char *fail_kind, *fail_why; /* NULL when the schedule passed; why has its names resolved */
	struct sch_step *steps;
	int n, nthreads;
	struct u_list symbols;      /* "OFFSET SIZE NAME" of the binary's variables, for the tokens */
};

/*
 * Read trace (the runtime's file) and name its steps from binary: each caller's file:line
 * (addr2line) and its text (the source as src says where), each variable (nm for the
 * executable's own, the source line's expression for a load or store of the learner's file).
 * 0 when read; -1 with err set.
 */
int sch_trace_load(const char *trace, const char *binary, const struct src_ctx *src, struct sch_trace *t,
		   char **err);
void sch_trace_free(struct sch_trace *t);

/* A runtime text with its object tokens named: "T1 holds {s:1d080}" -> "T1 holds alice". */
char *sch_name_tokens(const struct sch_trace *t, const char *text);

/*
 * The first call of the learner's schedules object in dir (build_variant BUILD_SCHED) that blocks
 * in the kernel unseen by the scheduler (read, a futex's syscall), or NULL.
 */
struct lab;
char *sch_unmodeled_call(const struct lab *lab, const char *dir);

/* A failure's words without the folders: "/path/to/test_counter.c:42: ..." is "test_counter.c:42: ...". */
const char *sch_short_why(const char *why);

#endif
