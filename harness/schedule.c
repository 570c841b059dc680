/* schedule.c: what the controlled scheduler wrote (a search's records, a schedule's steps), read and named. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "run.h"
#include "schedule.h"

/* ---- a search's records ---- */

/* "test T explored N too-long N seconds S failed SEED kind K why TEXT" */
static int sch_record_parse(char *line, struct sch_record *r)
{
	char test[256], seed[32], kind[64];
	int at = 0;
	if (sscanf(line, "test %255s explored %ld too-long %ld seconds %lf failed %31s kind %63s why %n", test,
		   &r->explored, &r->too_long, &r->seconds, seed, kind, &at) != 6 || !at)
		return -1;
	r->test = u_xstrdup(test);
	r->seed = strcmp(seed, "0") ? u_xstrdup(seed) : NULL;
	r->kind = u_xstrdup(kind);
	r->why = u_xstrdup(u_trim(line + at));
	return 0;
}

static void sch_record_free(struct sch_record *x)
{
	free(x->test);
	free(x->seed);
	free(x->kind);
	free(x->why);
}

/* A test's line of a later round adds to its line of the rounds before (x is taken). */
static void sch_record_merge(struct sch_records *r, struct sch_record *x)
{
	int i = 0;
	while (i < r->n && strcmp(r->v[i].test, x->test))
		i++;
	if (i == r->n) {
		r->v = u_xrealloc(r->v, sizeof *r->v * (size_t)(r->n + 1));
		r->v[r->n++] = *x;
		return;
	}
	struct sch_record *y = &r->v[i];
	y->explored += x->explored;
	y->too_long += x->too_long;
	y->seconds += x->seconds;
	if (!y->seed && x->seed) { /* the first failure found stands */
		struct sch_record keep = *y;
		*y = *x;
		y->explored = keep.explored;
		y->too_long = keep.too_long;
		y->seconds = keep.seconds;
		*x = keep;
	}
	sch_record_free(x);
}

int sch_records_read(const char *path, struct sch_records *r)
{
	memset(r, 0, sizeof *r);
	char *text = u_slurp(path, NULL), *save = NULL;
	if (!text)
		return -1;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		struct sch_record x = { 0 };
		if (sch_record_parse(l, &x) != 0)
			continue;
		sch_record_merge(r, &x);
	}
	free(text);
	return 0;
}

int sch_records_failed(const struct sch_records *r)
{
	int n = 0;
	for (int i = 0; i < r->n; i++)
		n += r->v[i].seed != NULL;
	return n;
}

/*
 * Round i of a search: tests run one after the other, so a test whose schedules all pass
 * would spend its whole budget before the next test, the one that fails, had its first
 * schedule. Each test gets a sixteenth of its budget first, then three more, then the rest:
 * a bug found within a few schedules is found within a sixteenth of the time, and a clean
 * suite is explored as deep as before. A round goes on from where the one before ended
 * (first), so no schedule is run twice.
 */
void sch_round(long budget, double seconds, int i, struct sch_round *r)
{
	static const int parts[SCH_ROUNDS] = { 1, 3, 12 }; /* of 16 */
	long done = 0, mine = 0;
	for (int k = 0; k <= i; k++) {
		done += mine;
		mine = k + 1 < SCH_ROUNDS ? budget * parts[k] / 16 : budget - done;
		if (mine < 1) /* a small budget: a schedule a round at least */
			mine = 1;
	}
	r->first = done;
	r->budget = mine;
	r->seconds = seconds * parts[i] / 16;
}

void sch_records_free(struct sch_records *r)
{
	for (int i = 0; i < r->n; i++)
		sch_record_free(&r->v[i]);
	free(r->v);
	memset(r, 0, sizeof *r);
}

/* ---- naming ---- */

/* A tool's standard output (into out_path), or NULL when it could not run. */
static char *sch_tool(char **argv, const char *out_path)
{
	struct run_spec spec = { .argv = argv, .dir = ".", .timeout_s = 60, .out_path = out_path };
	struct run_result res;
	int ok = run_child(&spec, &res) == 0 && res.exit_code == 0;
	run_result_free(&res);
	char *text = ok ? u_slurp(out_path, NULL) : NULL;
	unlink(out_path);
	return text;
}

/* The executable's variables, "OFFSET SIZE NAME" (hex), from nm. */
static void sch_symbols(const char *binary, const char *tmp, struct sch_trace *t)
{
	char *argv[] = { "nm", "-S", "--defined-only", (char *)binary, NULL };
	char *text = sch_tool(argv, tmp), *save = NULL;
	for (char *l = text ? strtok_r(text, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save)) {
		unsigned long addr, size;
		char type, name[256];
		if (sscanf(l, "%lx %lx %c %255s", &addr, &size, &type, name) == 4 && strchr("bBdDrR", type) &&
		    name[0] != '_' && !strchr(name, '.'))
			u_list_add(&t->symbols, u_fmt("%lx %lx %s", addr, size, name));
	}
	free(text);
}

/*
 * Calls that wait in the kernel for another thread where the scheduler cannot see it: a thread
 * blocked in read() on a pipe keeps the one turn there is, nobody runs to write, and the schedule
 * stalls. The scheduler models pthreads, semaphores, sleeps and sched_yield; not these. Nor
 * pthread_cancel: the cancelled thread waits for its turn in the scheduler's own wait, a
 * cancellation point, and would unwind out of it with the scheduler's state half-changed.
 */
static const char *const sch_unmodeled[] = {
	"read", "write", "readv", "writev", "pread", "pwrite", "poll", "ppoll", "select", "pselect",
	"epoll_wait", "epoll_pwait", "eventfd_read", "eventfd_write", "syscall", "recv", "recvfrom",
	"recvmsg", "send", "sendto", "sendmsg", "accept", "accept4", "sigwait", "sigwaitinfo",
	"sigtimedwait", "sigsuspend", "pause", "msgrcv", "msgsnd", "semop", "semtimedop", "wait", "waitpid",
	"pthread_cancel",
};

char *sch_unmodeled_call(const struct lab *lab, const char *dir)
{
	char *obj = build_learner_obj(lab, dir, BUILD_SCHED), *tmp = u_fmt("%s/nm.txt", dir);
	char *argv[] = { "nm", "-u", obj, NULL };
	char *text = sch_tool(argv, tmp), *save = NULL, *found = NULL;
	for (char *l = text ? strtok_r(text, "\n", &save) : NULL; l && !found; l = strtok_r(NULL, "\n", &save)) {
		char name[256];
		if (sscanf(l, " U %255[^@ ]", name) != 1)
			continue;
		for (size_t i = 0; i < sizeof sch_unmodeled / sizeof sch_unmodeled[0] && !found; i++)
			if (!strcmp(name, sch_unmodeled[i]))
				found = u_xstrdup(name);
	}
	free(text);
	free(tmp);
	free(obj);
	return found;
}

/* "shared", "alice", "ring+8" for a variable of the executable; NULL when none holds it. */
static char *sch_symbol_at(const struct sch_trace *t, unsigned long off)
{
	for (int i = 0; i < t->symbols.n; i++) {
		unsigned long addr, size;
		char name[256];
		if (sscanf(t->symbols.v[i], "%lx %lx %255s", &addr, &size, name) == 3 && off >= addr && off < addr + size)
			return off == addr ? u_xstrdup(name) : u_fmt("%s+%lu", name, off - addr);
	}
	return NULL;
}

/* The learner's name of a token: a variable, "heap object 2", "a local of T1". */
static char *sch_token_name(const struct sch_trace *t, const char *tok)
{
	unsigned long off;
	int n;
	if (sscanf(tok, "{s:%lx}", &off) == 1) {
		char *s = sch_symbol_at(t, off);
		return s ? s : u_xstrdup("a variable");
	}
	if (sscanf(tok, "{h:%d}", &n) == 1)
		return u_fmt("heap object %d", n + 1);
	if (sscanf(tok, "{k:%d}", &n) == 1)
		return u_fmt("a local of T%d", n);
	return u_xstrdup(tok);
}

char *sch_name_tokens(const struct sch_trace *t, const char *text)
{
	struct u_buf b = { 0 };
	const char *p = text;
	while (*p) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		if (close && close - p < 40) {
			char *tok = u_fmt("%.*s", (int)(close - p + 1), p), *name = sch_token_name(t, tok);
			u_buf_add(&b, name);
			free(tok);
			free(name);
			p = close + 1;
		} else {
			char c[2] = { *p++, 0 };
			u_buf_add(&b, c);
		}
	}
	return u_buf_take(&b);
}

/* The expression a load or store of this line reads or writes: "c->value" of "c->value++;". */
static char *sch_expression(const char *text, int write)
{
	if (!text)
		return NULL;
	if (!write) {
		const char *eq = strchr(text, '=');
		const char *rhs = eq && eq[1] != '=' ? eq + 1 : !strncmp(text, "return ", 7) ? text + 7 : NULL;
		if (rhs) {
			char *r = u_xstrdup(rhs);
			r[strcspn(r, ";")] = '\0';
			char *e = u_trim(r);
			const char *ok = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_->.[]";
			char *name = *e && strspn(e, ok) == strlen(e) ? u_xstrdup(e) : NULL;
			free(r);
			if (name)
				return name;
		}
	}
	return src_lvalue(text);
}

/* ---- reading a trace ---- */

static int sch_is_access(const char *ev)
{
	return !strcmp(ev, "read") || !strcmp(ev, "write") || !strncmp(ev, "atomic", 6);
}

static void sch_header(struct sch_trace *t, const char *l)
{
	if (!strncmp(l, "seed ", 5))
		t->seed = u_xstrdup(l + 5);
	else if (!strncmp(l, "test ", 5))
		t->test = u_xstrdup(l + 5);
	else if (!strncmp(l, "strategy ", 9))
		t->strategy = u_xstrdup(l + 9);
	else if (!strncmp(l, "fail ", 5) && !t->fail_kind) {
		const char *sp = strchr(l + 5, ' ');
		t->fail_kind = sp ? u_fmt("%.*s", (int)(sp - l - 5), l + 5) : u_xstrdup(l + 5);
		t->fail_why = u_xstrdup(sp ? sp + 1 : "");
	}
}

/* "12 T1 read {s:1c040} 377a 0 8" */
static int sch_step_parse(const char *l, struct sch_step *s, unsigned long *pc)
{
	char ev[32], obj[48];
	if (sscanf(l, "%d T%d %31s %47s %lx %lld %d", &s->n, &s->thread, ev, obj, pc, &s->value, &s->size) != 7)
		return -1;
	s->ev = u_xstrdup(ev);
	s->obj = u_xstrdup(obj);
	return 0;
}

/* Each distinct caller's file:line, from addr2line, one run for all. */
static void sch_lines(struct sch_trace *t, const unsigned long *pcs, const char *binary, const char *tmp,
		      const struct src_ctx *src)
{
	struct u_list argv = { 0 };
	u_list_add(&argv, u_xstrdup("addr2line"));
	u_list_add(&argv, u_xstrdup("-e"));
	u_list_add(&argv, u_xstrdup(binary));
	for (int i = 0; i < t->n; i++)
		u_list_add(&argv, u_fmt("0x%lx", pcs[i]));
	u_list_add(&argv, NULL);
	char *text = sch_tool(argv.v, tmp), *save = NULL;
	argv.n--;
	u_list_free(&argv);
	char *l = text ? strtok_r(text, "\n", &save) : NULL;
	/* A caller seen before is copied, not read again: a loop's line comes back thousands of times. */
	int *first = u_xcalloc((size_t)t->n + 1, sizeof *first), nfirst = 0;
	for (int i = 0; i < t->n && l; i++, l = strtok_r(NULL, "\n", &save)) {
		char file[1024];
		int line = 0, k = 0;
		struct sch_step *s = &t->steps[i];
		while (k < nfirst && pcs[first[k]] != pcs[i])
			k++;
		if (k < nfirst) {
			const struct sch_step *seen = &t->steps[first[k]];
			s->file = seen->file ? u_xstrdup(seen->file) : NULL;
			s->line = seen->line;
			s->text = seen->text ? u_xstrdup(seen->text) : NULL;
			continue;
		}
		first[nfirst++] = i;
		if (pcs[i] == 0 || sscanf(l, "%1023[^:]:%d", file, &line) != 2 || line <= 0)
			continue;
		s->file = u_xstrdup(u_basename(file));
		s->line = line;
		struct src_frame f = { .file = file, .line = line };
		s->text = src_text(src, &f);
	}
	free(first);
	free(text);
}

/* Names for each step's object: the source's expression for an access, else the variable's own name. */
static void sch_name_steps(struct sch_trace *t)
{
	/* A token named once: naming looks through every symbol of the executable. */
	struct u_list tokens = { 0 }, names = { 0 };
	for (int i = 0; i < t->n; i++) {
		struct sch_step *s = &t->steps[i];
		if (sch_is_access(s->ev))
			s->name = sch_expression(s->text, strcmp(s->ev, "read") && strcmp(s->ev, "atomic-load"));
		if (s->name || !strcmp(s->obj, "-"))
			continue;
		int k = 0;
		while (k < tokens.n && strcmp(tokens.v[k], s->obj))
			k++;
		if (k == tokens.n) {
			u_list_add(&tokens, u_xstrdup(s->obj));
			u_list_add(&names, sch_token_name(t, s->obj));
		}
		s->name = u_xstrdup(names.v[k]);
	}
	u_list_free(&tokens);
	u_list_free(&names);
}

int sch_trace_load(const char *trace, const char *binary, const struct src_ctx *src, struct sch_trace *t,
		   char **err)
{
	memset(t, 0, sizeof *t);
	char *text = u_slurp(trace, NULL), *save = NULL;
	if (!text || strncmp(text, "racelab-schedule 1\n", 19) != 0) {
		*err = u_fmt("%s is not a schedule the runtime wrote", trace);
		free(text);
		return -1;
	}
	unsigned long *pcs = NULL;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		struct sch_step s = { 0 };
		unsigned long pc;
		if (!isdigit((unsigned char)l[0])) {
			sch_header(t, l);
			continue;
		}
		if (sch_step_parse(l, &s, &pc) != 0)
			continue;
		t->steps = u_xrealloc(t->steps, sizeof *t->steps * (size_t)(t->n + 1));
		pcs = u_xrealloc(pcs, sizeof *pcs * (size_t)(t->n + 1));
		pcs[t->n] = pc;
		t->steps[t->n++] = s;
		if (s.thread + 1 > t->nthreads)
			t->nthreads = s.thread + 1;
	}
	free(text);
	char *tmp = u_fmt("%s.names", trace);
	sch_symbols(binary, tmp, t);
	sch_lines(t, pcs, binary, tmp, src);
	free(tmp);
	free(pcs);
	sch_name_steps(t);
	if (t->fail_why) {
		char *named = sch_name_tokens(t, t->fail_why);
		free(t->fail_why);
		t->fail_why = named;
	}
	return 0;
}

void sch_trace_free(struct sch_trace *t)
{
	for (int i = 0; i < t->n; i++) {
		struct sch_step *s = &t->steps[i];
		free(s->ev);
		free(s->obj);
		free(s->name);
		free(s->file);
		free(s->text);
	}
	free(t->steps);
	free(t->seed);
	free(t->test);
	free(t->strategy);
	free(t->fail_kind);
	free(t->fail_why);
	u_list_free(&t->symbols);
	memset(t, 0, sizeof *t);
}

const char *sch_short_why(const char *why)
{
	const char *w = why ? why : "", *colon = strchr(w, ':'), *slash = w;
	for (const char *q = w; colon && q < colon; q++)
		if (*q == '/')
			slash = q + 1;
	return slash;
}
