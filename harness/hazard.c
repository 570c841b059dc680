/* hazard.c: a program's hazard classes from the records every detector returned. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "hazard.h"

const char *const hz_class_names[HZ_COUNT] = { "race", "deadlock", "hang", "memory", "leak", "misuse", "crash" };

/* How a record of a kind is judged. */
enum hz_rule {
	HZ_COUNTS,             /* the tool's word is enough */
	HZ_TSAN_RACE,          /* counts unless both accesses are inside a pthread primitive */
	HZ_VG_RACE,            /* Helgrind's or DRD's race: beside TSan's, or agreed on plain accesses */
	HZ_HG_LOCK_ORDER,      /* Helgrind's lock order: when TSan agrees or could not judge it */
	HZ_OOM,                /* out of memory under the cap: when the uncapped run ended well or kept growing */
	HZ_CAPPED_FAIL,        /* failed under the cap for another reason: a note when the uncapped run passed */
	HZ_PLAIN_HANG,         /* the plain run's hang: by what the watchdog saw */
	HZ_PLAIN_CRASH,        /* the plain run ended by a signal */
	HZ_PLAIN_EXIT,         /* the plain run exited with a code other than 0 */
	HZ_TOOL_HANG,          /* a run under a tool hung: the plain run's hang, or no verdict */
};

/* The rules as data: gate (-1: any tool's), the tool's kind, the class it may name, the rule. */
static const struct {
	int gate;
	const char *kind;
	enum hz_class cls;
	enum hz_rule rule;
} hz_rules[] = {
	{ GATE_TESTS, "hang", HZ_HANG, HZ_PLAIN_HANG },
	{ GATE_TESTS, "crash", HZ_CRASH, HZ_PLAIN_CRASH },
	{ GATE_TESTS, "exit", HZ_CRASH, HZ_PLAIN_EXIT },
	{ GATE_TSAN, "data-race", HZ_RACE, HZ_TSAN_RACE },
	{ GATE_TSAN, "lock-order-inversion", HZ_DEADLOCK, HZ_COUNTS },
	{ GATE_TSAN, "thread-leak", HZ_LEAK, HZ_COUNTS },
	{ GATE_HELGRIND, "Race", HZ_RACE, HZ_VG_RACE },
	{ GATE_DRD, "ConflictingAccess", HZ_RACE, HZ_VG_RACE },
	{ GATE_HELGRIND, "LockOrder", HZ_DEADLOCK, HZ_HG_LOCK_ORDER },
	{ GATE_MEMCHECK, "Leak_DefinitelyLost", HZ_LEAK, HZ_COUNTS },
	{ GATE_MEMORY, "heap", HZ_MEMORY, HZ_COUNTS },
	{ GATE_MEMORY, "oom", HZ_MEMORY, HZ_OOM },
	{ GATE_MEMORY, "capped-fail", HZ_MEMORY, HZ_CAPPED_FAIL },
	{ -1, "hang", HZ_HANG, HZ_TOOL_HANG },
};

/* The gates whose verdict each class stands on (a gate named twice is just one): a class none of them judged has no verdict. */
static const int hz_class_gates[HZ_COUNT][3] = {
	[HZ_RACE] = { GATE_TSAN, GATE_HELGRIND, GATE_DRD }, [HZ_DEADLOCK] = { GATE_TESTS, GATE_TSAN, GATE_HELGRIND },
	[HZ_HANG] = { GATE_TESTS, GATE_TESTS, GATE_TESTS }, [HZ_MEMORY] = { GATE_MEMORY, GATE_MEMORY, GATE_MEMORY },
	[HZ_LEAK] = { GATE_TSAN, GATE_MEMCHECK, GATE_MEMCHECK }, [HZ_MISUSE] = { GATE_TSAN, GATE_HELGRIND, GATE_DRD },
	[HZ_CRASH] = { GATE_TESTS, GATE_TESTS, GATE_TESTS },
};

/* What the judging knows beside the report it fills. */
struct hz_ctx {
	const struct result *r;
	const struct acc_program *acc;
	struct hz_report *h;
	int whole_gap[GATE_COUNT]; /* the gate's run gave no verdict at all */
	int tsan_race;          /* a race of TSan's counted */
};

static const char *hz_gate_name(int gate)
{
	return gate == GATE_TESTS ? "run" : gate_names[gate];
}

static const char *hz_tool_name(int gate)
{
	static const char *const names[GATE_COUNT] = { [GATE_TESTS] = "the plain run", [GATE_TSAN] = "ThreadSanitizer",
		[GATE_HELGRIND] = "Helgrind", [GATE_DRD] = "DRD", [GATE_MEMCHECK] = "Memcheck", [GATE_MEMORY] = "the memory gate" };
	return names[gate] ? names[gate] : gate_names[gate];
}

static void hz_add(struct hz_ctx *c, enum hz_class cls, int gate, const struct finding *x, char *why)
{
	struct hz_report *h = c->h;
	h->v = u_xrealloc(h->v, sizeof *h->v * (size_t)(h->n + 1));
	h->v[h->n++] = (struct hz_item){ .cls = cls, .gate = gate, .x = x, .why = why };
	h->found[cls] = 1;
}

static void hz_note(struct hz_ctx *c, int gate, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void hz_note(struct hz_ctx *c, int gate, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = u_vfmt(fmt, ap);
	va_end(ap);
	u_list_add(&c->h->notes, u_fmt("%s: %s", hz_gate_name(gate), s));
	free(s);
}

static void hz_gap(struct hz_ctx *c, int gate, const char *on, char *reason)
{
	struct hz_report *h = c->h;
	h->gaps = u_xrealloc(h->gaps, sizeof *h->gaps * (size_t)(h->ngaps + 1));
	h->gaps[h->ngaps++] = (struct hz_gap){ .gate = gate, .on = on, .reason = reason };
	if (!strcmp(on, "everything")) {
		h->whole_gaps++;
		c->whole_gap[gate] = 1;
	}
}

/* The first record of kind in a gate that found something, or NULL. */
static const struct finding *hz_first(const struct result *r, int gate, const char *kind)
{
	return r->gates[gate].status == RESULT_FAIL ? findings_first(&r->gates[gate].found, kind) : NULL;
}

/* Whether the plain run ended badly on its own (hung, crashed, exited with a failure). */
static int hz_plain_failed(const struct result *r)
{
	return r->gates[GATE_TESTS].status != RESULT_PASS;
}

/* Whether an access is inside a pthread primitive (an interceptor, libc), not the program's code. */
static int hz_in_primitive(const struct finding_access *a)
{
	const char *fn = a->function ? a->function : "";
	return !a->in_lab && (!strncmp(fn, "pthread_", 8) || !strncmp(fn, "sem_", 4));
}

static void hz_tsan_race(struct hz_ctx *c, const struct finding *x)
{
	int inside = x->naccess > 0;
	for (int i = 0; i < x->naccess; i++)
		inside &= hz_in_primitive(&x->access[i]);
	if (inside) {
		hz_note(c, GATE_TSAN, "a race inside %s and %s, the primitive's own memory, not the program's (a barrier "
			"destroyed right after its last wait gives this): not counted", x->access[0].function,
			x->access[x->naccess - 1].function);
		return;
	}
	c->tsan_race = 1;
	hz_add(c, HZ_RACE, GATE_TSAN, x, NULL);
}

/* A race record of gate's other Valgrind tool that names one of x's places, or NULL. */
static const struct finding *hz_same_place(const struct hz_ctx *c, int other, const char *kind, const struct finding *x)
{
	const struct findings *f = &c->r->gates[other].found;
	for (int i = 0; c->r->gates[other].status == RESULT_FAIL && i < f->n; i++) {
		const struct finding *y = &f->v[i];
		for (int a = 0; !strcmp(y->kind, kind) && a < y->naccess; a++)
			for (int b = 0; b < x->naccess; b++)
				if (y->access[a].file && x->access[b].file && y->access[a].line == x->access[b].line &&
				    !strcmp(y->access[a].file, x->access[b].file))
					return y;
	}
	return NULL;
}

/* Why an access of a race is not a plain load or store of the program's, or NULL when it is. */
static char *hz_not_plain(const struct hz_ctx *c, const struct finding *x)
{
	for (int i = 0; i < x->naccess; i++) {
		const struct finding_access *a = &x->access[i];
		enum acc_kind k = acc_classify(c->acc, a);
		if (k == ACC_LIBRARY)
			return u_fmt("one access is inside %s, a library's code", a->function ? a->function : "a library");
		if (k == ACC_ATOMIC)
			return u_fmt("the access at %s:%d is atomic", a->file, a->line);
		if (k == ACC_UNKNOWN)
			return u_fmt("the binary does not tell whether the access at %s:%d is atomic", a->file, a->line);
	}
	return x->naccess ? NULL : u_xstrdup("the report shows no access");
}

/*
 * A race only Helgrind or DRD reported. Both tools flag correct code that synchronizes in ways
 * they do not model (C11 atomics, a pipe), so on its own it counts only when the two agree on a
 * place, every access there is a plain load or store of the program's (access.h), and the
 * program synchronizes through nothing they miss. Else it is a note that says which test failed.
 */
static void hz_vg_race(struct hz_ctx *c, int gate, const struct finding *x, int *noted)
{
	int other = gate == GATE_HELGRIND ? GATE_DRD : GATE_HELGRIND;
	const char *okind = other == GATE_DRD ? "ConflictingAccess" : "Race";
	if (c->tsan_race) {
		hz_add(c, HZ_RACE, gate, x, NULL);
		return;
	}
	const struct finding *y = hz_same_place(c, other, okind, x);
	char *no = NULL;
	if (!c->acc || c->acc->error)
		no = u_fmt("the program's binary could not be read (%s)", c->acc ? c->acc->error : "not asked");
	else if (!y)
		no = u_fmt("%s did not report a race at the same place", hz_tool_name(other));
	else if ((no = hz_not_plain(c, x)) == NULL && (no = hz_not_plain(c, y)) == NULL) {
		if (c->acc->atomics.n)
			no = u_fmt("the program also synchronizes with atomic operations (at %s), which Helgrind and "
				   "DRD do not model", c->acc->atomics.v[0]);
		else if (c->acc->unmodeled.n)
			no = u_fmt("the program calls %s, which can order threads outside what Helgrind and DRD model",
				   c->acc->unmodeled.v[0]);
	}
	if (!no) {
		hz_add(c, HZ_RACE, gate, x, u_fmt("ThreadSanitizer did not report it%s, but Helgrind and DRD both did, at "
			"the same place, on plain loads and stores (no atomic instruction there), in a program "
			"that synchronizes only through pthread calls both tools model",
			c->whole_gap[GATE_TSAN] ? " (it gave no verdict)" : ""));
		return;
	}
	if (!*noted)
		hz_note(c, gate, "reported a race that ThreadSanitizer did not: not counted, as %s", no);
	*noted = 1;
	free(no);
}

static void hz_lock_order(struct hz_ctx *c, const struct finding *x)
{
	const struct gate_result *t = &c->r->gates[GATE_TSAN];
	if (hz_first(c->r, GATE_TSAN, "lock-order-inversion"))
		hz_add(c, HZ_DEADLOCK, GATE_HELGRIND, x, NULL);
	else if (c->whole_gap[GATE_TSAN] || t->partial)
		hz_add(c, HZ_DEADLOCK, GATE_HELGRIND, x, u_xstrdup("ThreadSanitizer could not judge lock order here"));
	else
		hz_note(c, GATE_HELGRIND, "a lock order that ThreadSanitizer, which ran, did not report: not counted "
			"(Helgrind also takes a successful trylock as an order, though it cannot deadlock)");
}

/* The plain run's hang, by what the watchdog saw. */
static void hz_plain_hang(struct hz_ctx *c, const struct finding *x)
{
	static const char *const deadlocks[] = { "deadlock", "self-deadlock", "hold-and-wait" };
	const char *hk = x->hang_kind ? x->hang_kind : "";
	for (size_t i = 0; i < NELEM(deadlocks); i++)
		if (!strcmp(hk, deadlocks[i])) {
			hz_add(c, HZ_DEADLOCK, GATE_TESTS, x, NULL);
			return;
		}
	if (!strcmp(hk, "growing"))
		hz_gap(c, GATE_TESTS, "everything", u_xstrdup("it was still running, its memory growing, when it was stopped: "
			"busy, not hung (a longer --timeout, or the memory gate, can tell where it ends)"));
	else
		hz_add(c, HZ_HANG, GATE_TESTS, x, NULL);
}

/* Whether a tool other than gate's reported the same misuse. */
static int hz_misuse_elsewhere(const struct result *r, int gate, const char *misuse)
{
	static const int tools[] = { GATE_TSAN, GATE_HELGRIND, GATE_DRD };
	for (size_t t = 0; t < NELEM(tools); t++)
		for (int i = 0; tools[t] != gate && r->gates[tools[t]].status == RESULT_FAIL && i < r->gates[tools[t]].found.n; i++)
			if (r->gates[tools[t]].found.v[i].misuse && !strcmp(r->gates[tools[t]].found.v[i].misuse, misuse))
				return 1;
	return 0;
}

static void hz_record(struct hz_ctx *c, int gate, const struct finding *x, int *vg_noted)
{
	/*
	 * A program killed while its threads hold locks (it crashed, or hung and was stopped, or its own
	 * alarm ended it) has threads "exit" holding them: the crash's or the hang's doing, not a misuse.
	 */
	if (x->misuse && !strcmp(x->misuse, "exit-holding-lock") && (hz_first(c->r, GATE_TESTS, "crash") ||
								       hz_first(c->r, GATE_TESTS, "hang"))) {
		hz_note(c, gate, "a thread ended holding a lock, as the run was ended (a crash, or a hang stopped) inside "
			"its critical section: counted as that");
		return;
	}
	if (x->misuse && hz_first(c->r, GATE_TESTS, "crash") && !hz_misuse_elsewhere(c->r, gate, x->misuse)) {
		hz_note(c, gate, "%s reported a misuse (%s) in a program that crashes, alone: not counted (a dying "
			"process confuses the tools)", hz_tool_name(gate), x->misuse);
		return;
	}
	if (x->misuse) {
		hz_add(c, HZ_MISUSE, gate, x, NULL);
		return;
	}
	size_t m = 0;
	while (m < NELEM(hz_rules) && !((hz_rules[m].gate == gate || (hz_rules[m].gate < 0 && gate != GATE_TESTS)) &&
					!strcmp(hz_rules[m].kind, x->kind)))
		m++;
	if (m == NELEM(hz_rules)) {
		hz_note(c, gate, "%s", x->text ? x->text : x->kind);
		return;
	}
	const struct finding *plain_hang = hz_first(c->r, GATE_TESTS, "hang");
	switch (hz_rules[m].rule) {
	case HZ_COUNTS:
		hz_add(c, hz_rules[m].cls, gate, x, NULL);
		break;
	case HZ_TSAN_RACE:
		hz_tsan_race(c, x);
		break;
	case HZ_VG_RACE:
		hz_vg_race(c, gate, x, vg_noted);
		break;
	case HZ_HG_LOCK_ORDER:
		hz_lock_order(c, x);
		break;
	case HZ_OOM:
		if (!hz_plain_failed(c->r) || (plain_hang && plain_hang->hang_kind && !strcmp(plain_hang->hang_kind, "growing")))
			hz_add(c, HZ_MEMORY, gate, x, plain_hang ? u_xstrdup("uncapped, it was still growing when stopped; "
				"under the cap, it failed") : NULL);
		break;
	case HZ_CAPPED_FAIL:
		if (!hz_plain_failed(c->r))
			hz_note(c, gate, "%s", x->text ? x->text : x->kind);
		break;
	case HZ_PLAIN_HANG:
		hz_plain_hang(c, x);
		break;
	case HZ_PLAIN_CRASH:
		hz_add(c, HZ_CRASH, gate, x, NULL);
		break;
	case HZ_PLAIN_EXIT:
		hz_gap(c, GATE_TESTS, "everything", u_fmt("%s", x->text ? x->text : "it exited with a failure code"));
		break;
	case HZ_TOOL_HANG: /* the plain run's own hang or end explains it; else the tool alone hung */
		if (!hz_plain_failed(c->r))
			hz_gap(c, gate, "everything", u_fmt("it hung under %s only, not in the plain run", hz_tool_name(gate)));
		break;
	}
}

/* A gate that could not run, or whose run broke it, or that judged a part only. */
static void hz_gate_gaps(struct hz_ctx *c, int gate)
{
	const struct gate_result *g = &c->r->gates[gate];
	if (g->status == RESULT_ERROR || (g->status == RESULT_FAIL && !g->found.n))
		hz_gap(c, gate, "everything", u_xstrdup(g->reason ? g->reason : "no verdict"));
	if (g->partial)
		hz_gap(c, gate, "lock order", u_xstrdup(g->partial));
}

/*
 * Whether record k of gate's f is said already: one hazard a gate, kind and misuse (the tool's
 * first report of it speaks for the rest). Races are judged one by one until one counts: each
 * has its own accesses.
 */
static int hz_said(const struct hz_report *h, int gate, const struct findings *f, int k)
{
	const struct finding *x = &f->v[k];
	for (int j = 0; j < h->n; j++)
		if (h->v[j].gate == gate && !strcmp(h->v[j].x->kind, x->kind) && h->v[j].x->misuse == x->misuse)
			return 1;
	int race = !strcmp(x->kind, "data-race") || !strcmp(x->kind, "Race") || !strcmp(x->kind, "ConflictingAccess");
	for (int j = 0; !race && j < k; j++)
		if (!strcmp(f->v[j].kind, x->kind) && f->v[j].misuse == x->misuse)
			return 1;
	return 0;
}

int hz_needs_binary(const struct result *r)
{
	return !hz_first(r, GATE_TSAN, "data-race") && (hz_first(r, GATE_HELGRIND, "Race") || hz_first(r, GATE_DRD, "ConflictingAccess"));
}

void hz_judge(const struct result *r, const struct acc_program *acc, struct hz_report *out)
{
	memset(out, 0, sizeof *out);
	struct hz_ctx c = { .r = r, .acc = acc, .h = out };
	/* Gaps first (a rule asks whether TSan judged), then TSan (the Valgrind races ask whether it found one). */
	static const int order[] = { GATE_TESTS, GATE_TSAN, GATE_HELGRIND, GATE_DRD, GATE_MEMCHECK, GATE_MEMORY };
	for (size_t i = 0; i < NELEM(order); i++)
		hz_gate_gaps(&c, order[i]);
	for (size_t i = 0; i < NELEM(order); i++) {
		int gate = order[i], vg_noted = 0;
		const struct gate_result *g = &r->gates[gate];
		for (int k = 0; g->status == RESULT_FAIL && k < g->found.n; k++)
			if (!hz_said(out, gate, &g->found, k))
				hz_record(&c, gate, &g->found.v[k], &vg_noted);
	}
	for (int cls = 0; cls < HZ_COUNT; cls++) {
		int judged = 0;
		for (int k = 0; k < 3; k++)
			judged |= !c.whole_gap[hz_class_gates[cls][k]];
		out->unjudged[cls] = !judged && !out->found[cls];
	}
}

void hz_free(struct hz_report *h)
{
	for (int i = 0; i < h->n; i++)
		free(h->v[i].why);
	for (int i = 0; i < h->ngaps; i++)
		free(h->gaps[i].reason);
	free(h->v);
	free(h->gaps);
	u_list_free(&h->notes);
	memset(h, 0, sizeof *h);
}
