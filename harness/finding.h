/* finding.h: what a detector found, as a record: every consumer reads its fields, never its text. */
#ifndef FINDING_H
#define FINDING_H

#include "util.h"

/*
 * One memory access of a race as a tool's stack shows it, at its innermost frame: what decides
 * whether the access was a plain load or store of the lab's own code (access.h).
 */
struct finding_access {
	char *file;            /* that frame's file (base name), or NULL when it has none (a library) */
	int line;              /* 0 when unknown */
	char *function;
	unsigned long ip;      /* the instruction's address in the tool's run (Valgrind's <ip>), 0 when not given */
	int in_lab;            /* that frame is in the lab's code, not in a library's primitive (libc, an interceptor) */
	int atomic;            /* the tool itself says the access was atomic (TSan: "Atomic write") */
	int write;
	int size;              /* bytes; 0 when unknown */
};

/*
 * One stack of a report, at its innermost frame in the lab's code: where that code called into a
 * primitive (a lock, a pthread call), and which one. What a tool's model of the primitive can be judged by (limit.h).
 */
struct finding_site {
	char *file;            /* the frame's file (base name) */
	int line;
	unsigned long ip;      /* the frame's address in the tool's run (Valgrind: the call's return address less 1), 0 when not given */
	char *callee;          /* the function that frame called, when the tool names it; NULL: the binary tells (access.h) */
	int later_lock;        /* the stack of a lock-order edge's second acquisition (Helgrind's violating one, its "later acquisition") */
};

/*
 * One report of one tool (a race, a lock-order cycle, a failed test, a hang ...).
 * The text is made from the other fields for people; no code reads it back.
 */
struct finding {
	char *tool;            /* who saw it: tests, tsan, helgrind, drd, memcheck, massif, watchdog, build, cpu */
	char *kind;            /* the tool's own word: data-race, Race, LockOrder, fail, crash, hang, heap, oom ... */
	const char *hang_kind; /* a hang: what the watchdog saw (wd_hang.kind: deadlock, cond-wait ...), or NULL */
	char *file;            /* the telling place in the lab's code (the learner's file first), or NULL */
	int line;              /* 0 when unknown */
	char *function;
	struct u_list objects; /* what it names: "c->value", "alice.lock", "pool.phase_end" */
	char *test;            /* the test it happened in, when the tool knows */
	char *evidence;        /* the tool's own words for it (a message, a report), or NULL */
	char *text;            /* the explanation, a few lines: made for people, never parsed */
	/* A race: whether either access was atomic, or in code outside the lab (a library's primitive). */
	int atomic_access, outside_lab;
	struct finding_access *access; /* a race: its accesses, as far as the tool shows them */
	int naccess;
	/* A misuse of the pthread API that the tool names (misuse.h: "unlock-not-held" ...), or NULL. */
	const char *misuse;
	struct finding_site *site; /* its stacks that reach the lab's code (Valgrind's), in the report's order */
	int nsite;
	/* Why this report is a known limit of its tool, not true of C11 and pthreads (limit.h): then it is a note, not a fault. */
	char *limit;
};

/* What one run of one tool found: its records in the order the tool reported them. */
struct findings {
	struct finding *v;
	int n;
	char *fatal;           /* the tool itself failed: why (then nothing above counts) */
	struct u_buf raw;      /* everything the tool wrote, for --verbose */
};

/* A new record of kind, seen by tool; the caller fills the rest. */
struct finding *finding_add(struct findings *f, const char *tool, const char *kind);

/* Take every record of from (to's fatal and raw untouched). */
void findings_move(struct findings *to, struct findings *from);

/* The first record of kind, or NULL. */
const struct finding *findings_first(const struct findings *f, const char *kind);

/* Each kind once, in the order first seen. */
void findings_kinds(const struct findings *f, struct u_list *out);

/* The texts of the first record of each kind (of each kind and test, for failed tests): the evidence a gate shows. */
char *findings_text(const struct findings *f);

/* A new access of x; the caller fills it. */
struct finding_access *finding_add_access(struct finding *x);

/* A new site of x; the caller fills it. */
struct finding_site *finding_add_site(struct finding *x);

void finding_copy(struct finding *to, const struct finding *from);
void finding_free(struct finding *x);
void findings_free(struct findings *f);

#endif
