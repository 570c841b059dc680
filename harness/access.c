/* access.c: whether a race's accesses were plain loads and stores of the program's own code, read from its binaries. */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "build.h"
#include "run.h"
#include "util.h"

/*
 * Calls the program may import that make one thread wait for another outside the pthread
 * primitives Helgrind and DRD intercept: a pipe, socket or eventfd hand-off, a signal, a raw
 * futex, C11 <threads.h> (glibc's mtx_lock does not go through the intercepted pthread_mutex_lock),
 * libatomic's calls. TSan models most of them; where the program uses one, a race only the
 * Valgrind tools report may be ordered by it.
 */
static const char *const acc_unmodeled_calls[] = {
	"pipe", "pipe2", "socketpair", "eventfd", "signalfd", "mq_open", "syscall", "sigwait", "sigwaitinfo",
	"sigtimedwait", "sigsuspend", "pause", "pthread_kill", "kill", "tgkill", "raise",
	"thrd_create", "mtx_lock", "mtx_timedlock", "mtx_trylock", "cnd_wait", "cnd_timedwait", "call_once",
};

/* "/path/to/queue.c:33" or "/path/to/queue.c:33 (discriminator 2)": a line marker of objdump -l. */
static int acc_marker(const char *l, char *file, size_t n, int *line)
{
	const char *colon = strrchr(l, ':'); /* a discriminator's words have no colon */
	if (!colon || colon == l || colon[1] < '0' || colon[1] > '9' || l[0] == ' ' || l[0] == '\t' ||
	    (size_t)(colon - l) >= n)
		return 0;
	memcpy(file, l, (size_t)(colon - l));
	file[colon - l] = '\0';
	*line = atoi(colon + 1);
	return strchr(file, ' ') == NULL && *line > 0;
}

/* "0000000000001169 <main>:": a function starts; what came before says nothing of it. */
static int acc_function_start(const char *l)
{
	size_t hex = strspn(l, "0123456789abcdef");
	return hex > 0 && l[hex] == ' ' && l[hex + 1] == '<' && l[strlen(l) - 1] == ':';
}

static struct acc_line *acc_line_at(struct acc_program *p, const char *file, int line)
{
	for (int i = 0; i < p->nlines; i++)
		if (p->lines[i].line == line && !strcmp(p->lines[i].file, file))
			return &p->lines[i];
	p->lines = u_xrealloc(p->lines, sizeof *p->lines * (size_t)(p->nlines + 1));
	struct acc_line *l = &p->lines[p->nlines++];
	*l = (struct acc_line){ .file = u_xstrdup(file), .line = line };
	return l;
}

static void acc_note_atomic(struct acc_program *p, const char *file, int line)
{
	char *at = u_fmt("%s:%d", file, line);
	if (u_list_has(&p->atomics, at))
		free(at);
	else
		u_list_add(&p->atomics, at);
}

void acc_read_objects(const char *text, const struct src_ctx *src, struct acc_program *p)
{
	char *copy = u_xstrdup(text), *save = NULL, file[1024] = "";
	int line = 0;
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char f[1024];
		int n;
		if (acc_function_start(l)) {
			file[0] = '\0';
		} else if (acc_marker(l, f, sizeof f, &n)) {
			snprintf(file, sizeof file, "%s", src_rank(src, f) ? u_basename(f) : "");
			line = n;
		} else if (l[0] == '\t' && file[0] && strstr(l, "\t__tsan_")) {
			/* A relocation: "\t\t\t5e: R_X86_64_PLT32\t__tsan_atomic32_load-0x4". */
			const char *sym = strstr(l, "\t__tsan_") + 8;
			int atomic = !strncmp(sym, "atomic", 6);
			int plain = !strncmp(sym, "read", 4) || !strncmp(sym, "write", 5) ||
				    !strncmp(sym, "unaligned_read", 14) || !strncmp(sym, "unaligned_write", 15);
			struct acc_line *al = atomic || plain ? acc_line_at(p, file, line) : NULL;
			if (al && atomic) {
				al->atomic++;
				acc_note_atomic(p, file, line);
			} else if (al) {
				al->plain++;
			}
		}
	}
	free(copy);
}

/* "lock xadd %eax,0x2eab(%rip)", or xchg with a memory operand: atomic whatever its prefix. */
static int acc_locked(const char *insn)
{
	while (*insn == ' ' || *insn == '\t')
		insn++;
	return !strncmp(insn, "lock", 4) || (!strncmp(insn, "xchg", 4) && strchr(insn, '('));
}

/* "call   1030 <pthread_spin_lock@plt>" (or "<pthread_spin_lock@GLIBC_2.34>"): the name it calls, or NULL. */
static char *acc_call_target(const char *insn)
{
	while (*insn == ' ' || *insn == '\t')
		insn++;
	const char *lt = strncmp(insn, "call", 4) ? NULL : strchr(insn, '<');
	if (!lt)
		return NULL;
	size_t n = strcspn(lt + 1, "@+>");
	return n ? u_fmt("%.*s", (int)n, lt + 1) : NULL;
}

void acc_read_plain(const char *text, const struct src_ctx *src, struct acc_program *p)
{
	char *copy = u_xstrdup(text), *save = NULL, file[1024] = "";
	int line = 0;
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char f[1024], *colon;
		int n;
		if (acc_function_start(l)) {
			file[0] = '\0';
		} else if (acc_marker(l, f, sizeof f, &n)) {
			snprintf(file, sizeof file, "%s", src_rank(src, f) ? u_basename(f) : "");
			line = n;
		} else if (l[0] == ' ' && file[0] && (colon = strchr(l, ':')) && colon[1] == '\t') {
			/* "    11cf:\tmovl   $0x0,0x2eab(%rip)": an instruction at a line of the lab's code. */
			p->insns = u_xrealloc(p->insns, sizeof *p->insns * (size_t)(p->ninsns + 1));
			struct acc_insn *in = &p->insns[p->ninsns++];
			*in = (struct acc_insn){ .addr = strtoul(l, NULL, 16), .file = u_xstrdup(file), .line = line,
						 .locked = acc_locked(colon + 2), .callee = acc_call_target(colon + 2) };
			if (in->locked)
				acc_note_atomic(p, file, line);
		}
	}
	free(copy);
}

void acc_read_imports(const char *text, struct acc_program *p)
{
	char *copy = u_xstrdup(text), *save = NULL;
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (!strstr(l, "*UND*"))
			continue;
		char *name = strrchr(l, ' ');
		name = name ? name + 1 : l;
		name[strcspn(name, "@")] = '\0';
		for (size_t i = 0; i < NELEM(acc_unmodeled_calls); i++)
			if (!strcmp(name, acc_unmodeled_calls[i]) && !u_list_has(&p->unmodeled, name))
				u_list_add(&p->unmodeled, u_xstrdup(name));
		if (!strncmp(name, "__atomic_", 9) && !u_list_has(&p->atomics, name)) /* libatomic */
			u_list_add(&p->atomics, u_xstrdup(name));
	}
	free(copy);
}

/* objdump's output for args (NULL-terminated after "objdump"), or NULL when it failed. */
static char *acc_objdump(const char *work, const char *const *args)
{
	struct u_list argv = { 0 };
	u_list_add(&argv, u_xstrdup("objdump"));
	for (int i = 0; args[i]; i++)
		u_list_add(&argv, u_xstrdup(args[i]));
	u_list_add(&argv, NULL);
	char *out = u_fmt("%s/objdump.txt", work);
	struct run_spec spec = { .argv = argv.v, .dir = work, .timeout_s = 60, .out_path = out };
	struct run_result res;
	int ok = run_child(&spec, &res) == 0 && res.exit_code == 0 && !res.timed_out;
	char *text = ok ? u_slurp(out, NULL) : NULL;
	run_result_free(&res);
	argv.n--;
	u_list_free(&argv);
	free(out);
	return text;
}

int acc_scan(const struct lab *lab, const char *work, const struct src_ctx *src, struct acc_program *p)
{
	memset(p, 0, sizeof *p);
	struct findings built = { 0 };
	if (build_variant(lab, work, BUILD_TSAN_OBJECTS, src, &built, NULL, NULL) != 0) {
		p->error = u_xstrdup("clang could not instrument the program for ThreadSanitizer");
		findings_free(&built);
		return -1;
	}
	findings_free(&built);
	char *pat = u_fmt("%s/*.o", work), *plain = build_binary(work, BUILD_PLAIN);
	glob_t g = { 0 };
	glob(pat, 0, NULL, &g);
	for (size_t i = 0; i < g.gl_pathc && !p->error; i++) {
		const char *args[] = { "-d", "-l", "-r", "--no-show-raw-insn", g.gl_pathv[i], NULL };
		char *text = acc_objdump(work, args);
		if (text)
			acc_read_objects(text, src, p);
		else
			p->error = u_fmt("objdump could not read %s", u_basename(g.gl_pathv[i]));
		free(text);
	}
	const char *dis[] = { "-d", "-l", "--no-show-raw-insn", plain, NULL }, *dyn[] = { "-T", plain, NULL };
	char *text = p->error ? NULL : acc_objdump(work, dis);
	char *syms = text ? acc_objdump(work, dyn) : NULL;
	if (text && syms) {
		acc_read_plain(text, src, p);
		acc_read_imports(syms, p);
	} else if (!p->error) {
		p->error = u_xstrdup("objdump could not read the program (is binutils installed?)");
	}
	if (!g.gl_pathc && !p->error)
		p->error = u_xstrdup("clang left no object to read");
	globfree(&g);
	free(text);
	free(syms);
	free(pat);
	free(plain);
	return p->error ? -1 : 0;
}

/* The locked state of the instruction at a's address, matched within its page: 1, 0, or -1 if none matches. */
static int acc_insn_locked(const struct acc_program *p, const struct finding_access *a)
{
	enum { PAGE_MASK = 0xfff };
	for (int i = 0; a->ip && i < p->ninsns; i++) {
		const struct acc_insn *in = &p->insns[i];
		if (in->line == a->line && !strcmp(in->file, a->file) && (in->addr & PAGE_MASK) == (a->ip & PAGE_MASK))
			return in->locked;
	}
	return -1;
}

enum acc_kind acc_classify(const struct acc_program *p, const struct finding_access *a)
{
	if (!a->in_lab || !a->file)
		return ACC_LIBRARY;
	if (a->atomic || acc_insn_locked(p, a) == 1)
		return ACC_ATOMIC;
	for (int i = 0; i < p->nlines; i++) {
		const struct acc_line *l = &p->lines[i];
		if (l->line == a->line && !strcmp(l->file, a->file))
			return l->atomic ? ACC_ATOMIC : l->plain ? ACC_PLAIN : ACC_UNKNOWN;
	}
	return ACC_UNKNOWN;
}

const char *acc_callee(const struct acc_program *p, const struct finding_site *s)
{
	enum { PAGE_MASK = 0xfff, INSN_MAX = 15 }; /* an x86 instruction is at most 15 bytes */
	if (s->callee || !p || !s->ip || !s->file)
		return s->callee;
	/* The nearest call at or before the address: two calls on one line lie within 15 bytes too. */
	const char *best = NULL;
	unsigned long nearest = INSN_MAX;
	for (int i = 0; i < p->ninsns; i++) {
		const struct acc_insn *in = &p->insns[i];
		unsigned long into = ((s->ip & PAGE_MASK) - (in->addr & PAGE_MASK)) & PAGE_MASK;
		if (in->callee && in->line == s->line && !strcmp(in->file, s->file) && into < nearest) {
			best = in->callee;
			nearest = into;
		}
	}
	return best;
}

const char *acc_kind_name(enum acc_kind k)
{
	static const char *const names[] = { "unknown", "plain", "atomic", "library" };
	return names[k];
}

void acc_free(struct acc_program *p)
{
	for (int i = 0; i < p->nlines; i++)
		free(p->lines[i].file);
	for (int i = 0; i < p->ninsns; i++) {
		free(p->insns[i].file);
		free(p->insns[i].callee);
	}
	free(p->lines);
	free(p->insns);
	u_list_free(&p->atomics);
	u_list_free(&p->unmodeled);
	free(p->error);
	memset(p, 0, sizeof *p);
}
