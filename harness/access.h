/* access.h: whether a race's accesses were plain loads and stores of the program's own code, read from its binaries. */
#ifndef ACCESS_H
#define ACCESS_H

#include "finding.h"
#include "lab.h"
#include "source.h"

/* What clang's TSan instrumentation does at one source line of the lab's code. */
struct acc_line {
	char *file;            /* base name */
	int line;
	int plain;             /* __tsan_read/__tsan_write calls: plain loads and stores */
	int atomic;            /* __tsan_atomic* calls: atomic operations and fences */
};

/* One instruction of the plain (gcc) binary at a line of the lab's code. */
struct acc_insn {
	unsigned long addr;    /* in the file (a PIE's offset) */
	char *file;            /* base name */
	int line;
	int locked;            /* an atomic instruction: a lock prefix, or xchg with memory */
	char *callee;          /* a call: the function it calls ("pthread_spin_lock"), else NULL */
};

/*
 * What the program's binaries say: the lab's lines as TSan instruments them (an object per
 * source, clang -fsanitize=thread -O0 -c), the plain binary's instructions at those lines,
 * and what in the program synchronizes beyond what Helgrind and DRD model.
 */
struct acc_program {
	struct acc_line *lines;
	int nlines;
	struct acc_insn *insns;
	int ninsns;
	struct u_list atomics;   /* "queue.c:12": where the program does an atomic operation */
	struct u_list unmodeled; /* calls it imports that synchronize outside Helgrind's and DRD's model: "pipe" */
	char *error;             /* why the binaries could not be read; then nothing above is known */
};

/* How an access was made. */
enum acc_kind {
	ACC_UNKNOWN,           /* the binaries do not tell */
	ACC_PLAIN,             /* a plain load or store of the lab's code */
	ACC_ATOMIC,            /* an atomic instruction or operation */
	ACC_LIBRARY,           /* inside a library's code (libc, a pthread primitive, an interceptor) */
};

/*
 * Read the binaries of a graded lab in work (which holds the plain binary, gate.c): build the
 * TSan objects there, disassemble both. 0 when read; else p->error says why.
 */
int acc_scan(const struct lab *lab, const char *work, const struct src_ctx *src, struct acc_program *p);

/*
 * How access a was made: in a library when its frame is not the lab's; atomic when the tool
 * said so, when the instruction at its address (Valgrind's <ip>, matched within its page, as a
 * PIE loads at a page boundary) is locked, or when TSan instruments its line as an atomic;
 * plain when TSan instruments its line with plain reads and writes only.
 */
enum acc_kind acc_classify(const struct acc_program *p, const struct finding_access *a);

const char *acc_kind_name(enum acc_kind k);

/*
 * The function called at a site of a tool's stack (finding.h): the call instruction at the site's
 * file and line that holds its address (a return address less 1, matched within its page as above).
 * The site's own callee when the tool named it; NULL when neither tells.
 */
const char *acc_callee(const struct acc_program *p, const struct finding_site *s);

/* Read objdump's output (for tests on recorded text): of TSan objects, of the plain binary, of its dynamic symbols. */
void acc_read_objects(const char *objdump, const struct src_ctx *src, struct acc_program *p);
void acc_read_plain(const char *objdump, const struct src_ctx *src, struct acc_program *p);
void acc_read_imports(const char *objdump_T, struct acc_program *p);

void acc_free(struct acc_program *p);

#endif
