/* limit.c: which reports of Helgrind and DRD are a known limit of the tool, judged beside ThreadSanitizer's run. */
#include <stdlib.h>
#include <string.h>

#include "limit.h"

int lim_tsan_judged(const struct gate_result *tsan)
{
	if (!tsan || (tsan->status != RESULT_PASS && tsan->status != RESULT_FAIL))
		return 0;
	if (tsan->status == RESULT_FAIL && !tsan->found.n) /* no verdict: the run broke it */
		return 0;
	return !findings_first(&tsan->found, "hang") && !findings_first(&tsan->found, "fork-bomb");
}

static int lim_race(const struct finding *x)
{
	return !strcmp(x->kind, "Race") || !strcmp(x->kind, "ConflictingAccess");
}

/* Helgrind's words for its spinlock confusion (hg_main.c): the tool's sentence, never the learner's code. */
static int lim_recursive_grant(const struct finding *x)
{
	return !strcmp(x->tool, "helgrind") && !strcmp(x->kind, "Misc") && x->evidence &&
	       strstr(x->evidence, "recursive write lock granted");
}

int lim_candidate(const struct finding *x)
{
	return lim_race(x) || lim_recursive_grant(x) || (!strcmp(x->tool, "helgrind") && !strcmp(x->kind, "LockOrder"));
}

static int lim_is(const char *callee, const char *const *names, size_t n)
{
	for (size_t i = 0; callee && i < n; i++)
		if (!strcmp(callee, names[i]))
			return 1;
	return 0;
}

/* The first site of x that calls one of names (by the tool's word, else the binary's), or NULL. */
static const struct finding_site *lim_site_calling(const struct lim_ctx *c, const struct finding *x,
						   const char *const *names, size_t n, int later_only)
{
	const struct acc_program *acc = c->acc && !c->acc->error ? c->acc : NULL;
	for (int i = 0; i < x->nsite; i++)
		if ((!later_only || x->site[i].later_lock) && lim_is(acc_callee(acc, &x->site[i]), names, n))
			return &x->site[i];
	return NULL;
}

static char *lim_spinlock(const struct lim_ctx *c, const struct finding *x)
{
	static const char *const spins[] = { "pthread_spin_lock", "pthread_spin_trylock" };
	const struct finding_site *s = lim_site_calling(c, x, spins, NELEM(spins), 0);
	if (!s)
		return NULL;
	return u_fmt("Helgrind's model of %s (%s:%d) under contention, not the code: a spinlock taken again by its "
		     "holder spins for ever and is never granted; ThreadSanitizer ran on the same code", s->callee ?
		     s->callee : acc_callee(c->acc, s), s->file, s->line);
}

/* Whether TSan reported a race with an access at one of x's places (file and line). */
static int lim_tsan_race_at(const struct gate_result *tsan, const struct finding *x)
{
	for (int i = 0; i < tsan->found.n; i++) {
		const struct finding *y = &tsan->found.v[i];
		for (int a = 0; !strcmp(y->kind, "data-race") && a < y->naccess; a++)
			for (int b = 0; b < x->naccess; b++)
				if (y->access[a].file && x->access[b].file && y->access[a].line == x->access[b].line &&
				    !strcmp(y->access[a].file, x->access[b].file))
					return 1;
	}
	return 0;
}

/* The first atomic operation in the learner's file ("counter.c:18"), or NULL. */
static const char *lim_learner_atomic(const struct lim_ctx *c)
{
	size_t n = strlen(c->edit);
	for (int i = 0; i < c->acc->atomics.n; i++)
		if (!strncmp(c->acc->atomics.v[i], c->edit, n) && c->acc->atomics.v[i][n] == ':')
			return c->acc->atomics.v[i];
	return NULL;
}

/*
 * A race of Helgrind or DRD that ThreadSanitizer, which ran on the same tests, did not report at the
 * same place. TSan reports every racing pair it sees (halt_on_error=0), and it models C11 atomics
 * exactly, so its silence at that place is its verdict on it; a race it did report there stands.
 */
static char *lim_atomic_race(const struct lim_ctx *c, const struct finding *x)
{
	const char *tool = !strcmp(x->tool, "drd") ? "DRD" : "Helgrind";
	if (!x->naccess || !c->acc || c->acc->error || lim_tsan_race_at(c->tsan, x))
		return NULL;
	int atomic = 0, plain = 0;
	for (int i = 0; i < x->naccess; i++) {
		enum acc_kind k = acc_classify(c->acc, &x->access[i]);
		atomic += k == ACC_ATOMIC;
		plain += k == ACC_PLAIN;
	}
	const struct finding_access *a = &x->access[0];
	if (atomic == x->naccess && x->naccess > 1)
		return u_fmt("%s does not model C11 atomics: both accesses (%s:%d and %s:%d) are atomic operations (read from "
			     "the binary), and atomic operations never race each other; ThreadSanitizer ran on the same code and "
			     "reported no race there", tool, a->file, a->line, x->access[1].file, x->access[1].line);
	if (atomic == x->naccess) /* DRD shows one access of the two */
		return u_fmt("%s does not model C11 atomics: the access at %s:%d is an atomic operation (read from the binary); "
			     "ThreadSanitizer, which does model them, ran on the same code and reported no race there",
			     tool, a->file, a->line);
	const char *at = lim_learner_atomic(c);
	if (plain == x->naccess && at)
		return u_fmt("%s does not see the order C11 atomics give (the code does atomic operations, at %s): the plain "
			     "accesses at %s:%d are ordered by them; ThreadSanitizer, which does see it, ran on the same code and "
			     "reported no race there", tool, at, a->file, a->line);
	return NULL;
}

static char *lim_trylock_edge(const struct lim_ctx *c, const struct finding *x)
{
	static const char *const trylocks[] = { "pthread_mutex_trylock", "pthread_rwlock_trywrlock",
						"pthread_rwlock_tryrdlock", "pthread_spin_trylock" };
	/* TSan judged lock order only when its deadlock detector stayed on and it found no cycle. */
	if (c->tsan->partial || findings_first(&c->tsan->found, "lock-order-inversion"))
		return NULL;
	const struct finding_site *s = lim_site_calling(c, x, trylocks, NELEM(trylocks), 1);
	if (!s)
		return NULL;
	return u_fmt("Helgrind counts a successful %s (%s:%d) as a lock-order edge, but a trylock never waits, so no "
		     "deadlock can close through it; ThreadSanitizer, which counts only acquisitions that wait, judged lock "
		     "order on the same code and found no cycle", s->callee ? s->callee : acc_callee(c->acc, s), s->file,
		     s->line);
}

char *lim_judge(const struct lim_ctx *c, const struct finding *x)
{
	if (!lim_tsan_judged(c->tsan) || !lim_candidate(x))
		return NULL;
	if (lim_recursive_grant(x))
		return lim_spinlock(c, x);
	if (lim_race(x))
		return lim_atomic_race(c, x);
	return lim_trylock_edge(c, x);
}

int lim_sort(const struct lim_ctx *c, struct gate_result *g)
{
	int moved = 0, kept = 0;
	for (int i = 0; i < g->found.n; i++) {
		struct finding *x = &g->found.v[i];
		char *why = lim_judge(c, x);
		if (why) {
			x->limit = why;
			g->notes.v = u_xrealloc(g->notes.v, sizeof *g->notes.v * (size_t)(g->notes.n + 1));
			g->notes.v[g->notes.n++] = *x;
			moved++;
		} else {
			g->found.v[kept++] = *x;
		}
	}
	g->found.n = kept;
	return moved;
}
