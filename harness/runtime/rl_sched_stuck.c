/* rl_sched_stuck.c: nobody can run: name what the threads wait for (a cycle of locks, a lost wakeup, a barrier short). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rl_sched.h"

/*
 * Objects are named by tokens the harness resolves against the binary ({s:OFFSET} a
 * static variable, {h:N} the N-th heap object the trace met, {k:N} a local of thread N):
 * the runtime has no symbol table, and addresses must never reach the learner.
 */
struct stuck_text {
	char s[2048];
	size_t len;
};

__attribute__((format(printf, 2, 3)))
static void stuck_add(struct stuck_text *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (b->len < sizeof b->s)
		b->len += (size_t)vsnprintf(b->s + b->len, sizeof b->s - b->len, fmt, ap);
	va_end(ap);
}

static const char *stuck_name(const void *addr, char *buf)
{
	trace_obj_name(addr, buf, 48);
	return buf;
}

/* "T1 holds {a} and {b}" or "T1 holds nothing". */
static void stuck_holds(struct stuck_text *b, const struct sched_thread *t)
{
	char name[48];
	int n = 0;
	for (int i = 0; i < rl_sched.nobjs; i++) {
		const struct sched_obj *o = &rl_sched.objs[i];
		if ((o->kind == W_MUTEX || o->kind == W_RDLOCK) && o->owner == t->id)
			stuck_add(b, "%s%s", n++ ? " and " : " holds ", stuck_name(o->addr, name));
	}
}

/* What t waits for, in a phrase: "waits for {b}, held by T2". */
static void stuck_waits(struct stuck_text *b, const struct sched_thread *t)
{
	char name[48];
	const struct sched_obj *o = t->obj;
	switch (t->wait) {
	case W_MUTEX:
	case W_RDLOCK:
	case W_WRLOCK:
		stuck_add(b, " waits for %s", stuck_name(o->addr, name));
		if (o->owner >= 0 && o->owner != t->id)
			stuck_add(b, ", held by T%d%s", o->owner,
				  rl_sched.t[o->owner].state == TS_DONE ? ", which has ended without unlocking it" : "");
		else if (o->owner == t->id)
			stuck_add(b, ", which it holds itself");
		break;
	case W_COND: stuck_add(b, " waits on %s", stuck_name(t->obj, name)); break;
	case W_BARRIER:
		stuck_add(b, " waits at %s (%d of %d threads arrived)", stuck_name(o->addr, name), o->count, o->target);
		break;
	case W_SEM: stuck_add(b, " waits on %s (its count is 0)", stuck_name(o->addr, name)); break;
	case W_JOIN: stuck_add(b, " joins T%d", ((const struct sched_thread *)t->obj)->id); break;
	case W_ONCE: stuck_add(b, " waits for %s's initialisation to end", stuck_name(o->addr, name)); break;
	case W_SLEEP:
	case W_NONE: stuck_add(b, " cannot run"); break;
	}
}

/* The thread t waits for through a lock or a join, or -1: an edge of the wait-for graph. */
static int stuck_edge(const struct sched_thread *t)
{
	if (t->state != TS_BLOCKED)
		return -1;
	if (t->wait == W_JOIN)
		return ((const struct sched_thread *)t->obj)->id;
	if (t->wait == W_MUTEX || t->wait == W_RDLOCK || t->wait == W_WRLOCK)
		return ((const struct sched_obj *)t->obj)->owner;
	return -1;
}

/* A thread on a cycle of the wait-for graph, or -1. */
static int stuck_cycle(void)
{
	for (int s = 0; s < rl_sched.nthreads; s++) {
		int slow = s, fast = s;
		for (int k = 0; k <= rl_sched.nthreads; k++) {
			slow = stuck_edge(&rl_sched.t[slow]);
			fast = fast < 0 ? -1 : stuck_edge(&rl_sched.t[fast]);
			fast = fast < 0 ? -1 : stuck_edge(&rl_sched.t[fast]);
			if (slow < 0 || fast < 0)
				break;
			if (slow == fast)
				return slow;
		}
	}
	return -1;
}

/* The cycle from thread c, each thread what it holds and what it waits for. */
static void stuck_name_cycle(struct stuck_text *b, int c)
{
	int t = c;
	do {
		stuck_add(b, "%sT%d", t == c ? "" : "; ", t);
		stuck_holds(b, &rl_sched.t[t]);
		stuck_add(b, ",");
		stuck_waits(b, &rl_sched.t[t]);
		t = stuck_edge(&rl_sched.t[t]);
	} while (t != c && t >= 0);
}

static int stuck_any(enum sched_wait w)
{
	for (int i = 0; i < rl_sched.nthreads; i++)
		if (rl_sched.t[i].state == TS_BLOCKED && rl_sched.t[i].wait == w)
			return 1;
	return 0;
}

/* Every blocked thread, each on its own clause. */
static void stuck_everyone(struct stuck_text *b)
{
	int n = 0;
	for (int i = 0; i < rl_sched.nthreads; i++) {
		const struct sched_thread *t = &rl_sched.t[i];
		if (t->state != TS_BLOCKED)
			continue;
		stuck_add(b, "%sT%d", n++ ? "; " : "", t->id);
		stuck_waits(b, t);
	}
}

void sched_stuck(void)
{
	struct stuck_text b = { .len = 0 };
	const char *kind;
	int c = stuck_cycle();
	if (c >= 0) {
		kind = "deadlock";
		stuck_name_cycle(&b, c);
	} else {
		/* No cycle: the first thing named is what nobody is left to do. */
		kind = stuck_any(W_BARRIER) ? "barrier-short" : stuck_any(W_COND) || stuck_any(W_SEM) ? "lost-wakeup"
			: "hang";
		stuck_everyone(&b);
		stuck_add(&b, "%s", !strcmp(kind, "barrier-short") ? "; no other thread will arrive"
			  : !strcmp(kind, "lost-wakeup") ? "; no thread is left to wake them" : "");
	}
	explore_fail(kind, b.s);
}

/*
 * Every thread that can run has yielded SCHED_SPIN_PROOF times in a row with nothing changed (no
 * write, no sync call but a failed trylock), and none sleeps or waits with a deadline: each spins
 * on what none of them will ever write, as threads do at a hand-made barrier whose count lost an
 * arrival. The schedule is over at that step: a livelock. So many yields that a thread spinning a
 * while before it blocks (its count is local, not seen here) is not taken for one.
 */
enum { SCHED_SPIN_PROOF = 10000 };

void sched_spinning(struct sched_thread **en, int n)
{
	for (int i = 0; i < n; i++)
		if (en[i]->spin_since != rl_sched.changes || en[i]->spins < SCHED_SPIN_PROOF)
			return;
	struct stuck_text b = { .len = 0 };
	for (int i = 0; i < n; i++)
		stuck_add(&b, "%sT%d", i == 0 ? "" : i == n - 1 ? " and " : ", ", en[i]->id);
	stuck_add(&b, " %s yielded %d times in a row with nothing written; no thread sleeps or waits with "
		  "a deadline, so what they wait for can never happen", n == 1 ? "has" : "have each", SCHED_SPIN_PROOF);
	explore_fail("livelock", b.s);
}
