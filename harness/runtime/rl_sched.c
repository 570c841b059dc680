/* rl_sched.c: the controlled scheduler's threads: one runs at a time, and a baton picks the next. */
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "rl_sched.h"

/* clock_gettime is wrapped (time is virtual): the scheduler reads the real clock itself. */
int __real_clock_gettime(clockid_t clk, struct timespec *ts);

struct sched rl_sched = { .step_limit = 200000 };

static _Thread_local struct sched_thread *sched_me;

/*
 * The baton is a futex word per thread, not a pthread primitive: every pthread call of the
 * program is wrapped and modelled, so the scheduler must not go through its own wrappers.
 */
static void sched_futex(volatile int *w, int op, int val)
{
	syscall(SYS_futex, w, op, val, NULL, NULL, 0);
}

void sched_thread_wait_turn(struct sched_thread *t)
{
	while (!__atomic_load_n(&t->go, __ATOMIC_ACQUIRE))
		sched_futex(&t->go, FUTEX_WAIT_PRIVATE, 0);
	t->go = 0;
}

/* Hand the baton to t; the caller then waits for its own turn, or ends. */
static void sched_run(struct sched_thread *t)
{
	rl_sched.cur = t;
	__atomic_store_n(&t->go, 1, __ATOMIC_RELEASE);
	sched_futex(&t->go, FUTEX_WAKE_PRIVATE, 1);
}

/* A thread's stack, so that its own locals are no scheduling point (nobody else sees them). */
static void sched_stack(struct sched_thread *t)
{
	pthread_attr_t a;
	void *lo;
	size_t size;
	if (pthread_getattr_np(pthread_self(), &a) != 0)
		return;
	if (pthread_attr_getstack(&a, &lo, &size) == 0) {
		t->stack_lo = lo;
		t->stack_hi = (char *)lo + size;
	}
	pthread_attr_destroy(&a);
}

struct sched_thread *sched_new_thread(void)
{
	if (rl_sched.nthreads == SCHED_MAX_THREADS)
		explore_fail("too-many-threads", "the test started more than 256 threads; the scheduler models 256");
	struct sched_thread *t = &rl_sched.t[rl_sched.nthreads];
	*t = (struct sched_thread){ .id = rl_sched.nthreads, .state = TS_RUNNABLE, .joined_by = -1, .pending = -1 };
	rl_sched.nthreads++;
	if (rl_sched.active)
		search_new_thread(t);
	return t;
}

struct sched_thread *sched_self(void)
{
	if (sched_me)
		return sched_me;
	/* The first thread to ask is the test's own, before it starts any other: T0. */
	struct sched_thread *t = sched_new_thread();
	t->tid = (pid_t)syscall(SYS_gettid);
	sched_stack(t);
	t->started = 1;
	sched_me = t;
	rl_sched.cur = t;
	return t;
}

void sched_thread_register(struct sched_thread *t)
{
	sched_me = t;
	t->tid = (pid_t)syscall(SYS_gettid);
	sched_stack(t);
	__atomic_store_n(&t->started, 1, __ATOMIC_RELEASE);
	sched_futex(&t->started, FUTEX_WAKE_PRIVATE, 1);
	sched_thread_wait_turn(t);
}

void sched_wait_started(struct sched_thread *t)
{
	while (!__atomic_load_n(&t->started, __ATOMIC_ACQUIRE))
		sched_futex(&t->started, FUTEX_WAIT_PRIVATE, 0);
}

struct sched_obj *sched_obj(void *addr, int kind)
{
	for (int i = 0; i < rl_sched.nobjs; i++)
		if (rl_sched.objs[i].addr == addr)
			return &rl_sched.objs[i];
	/* A slot once used keeps its place: blocked threads point at it. */
	struct sched_obj *o = NULL;
	for (int i = 0; i < rl_sched.nobjs && !o; i++)
		if (rl_sched.objs[i].addr == NULL)
			o = &rl_sched.objs[i];
	if (!o && rl_sched.nobjs == SCHED_MAX_OBJS)
		explore_fail("too-many-objects", "the test used more than 512 locks, condition variables and barriers");
	if (!o)
		o = &rl_sched.objs[rl_sched.nobjs++];
	*o = (struct sched_obj){ .addr = addr, .kind = kind, .owner = -1 };
	return o;
}

/* A destroyed object's address may hold a new one later (a lock on the stack, a freed struct). */
void sched_obj_forget(void *addr)
{
	for (int i = 0; i < rl_sched.nobjs; i++)
		if (rl_sched.objs[i].addr == addr)
			rl_sched.objs[i].addr = NULL;
}

int sched_enabled(const struct sched_thread *t)
{
	if (t->state == TS_RUNNABLE)
		return 1;
	if (t->state != TS_BLOCKED)
		return 0;
	const struct sched_obj *o = t->obj;
	if (t->timed_out && !t->reacquire)
		return 1;
	switch (t->wait) {
	case W_MUTEX: return o->owner == -1;
	case W_COND: return 0; /* a signal, a spurious wakeup or a timeout turns it into W_MUTEX */
	case W_BARRIER: return o->gen != t->gen;
	case W_SEM: return o->count > 0;
	case W_JOIN: return ((const struct sched_thread *)t->obj)->state == TS_DONE;
	case W_RDLOCK: return o->owner == -1;
	case W_WRLOCK: return o->owner == -1 && o->count == 0;
	case W_SLEEP: return 0;
	case W_ONCE: return o->once == 2;
	case W_NONE: return 1;
	}
	return 0;
}

int64_t sched_deadline(const struct timespec *abs)
{
	int64_t at = (int64_t)abs->tv_sec * 1000000000 + abs->tv_nsec - sched_clock_base();
	return at < rl_sched.now ? rl_sched.now : at;
}

/* The blocked thread whose deadline comes first (time only moves forward), or NULL. */
static struct sched_thread *sched_earliest(void)
{
	struct sched_thread *best = NULL;
	for (int i = 0; i < rl_sched.nthreads; i++) {
		struct sched_thread *t = &rl_sched.t[i];
		if (t->state == TS_BLOCKED && t->timed && !t->timed_out && !t->reacquire &&
		    (!best || t->deadline < best->deadline))
			best = t;
	}
	return best;
}

void sched_cond_wake(struct sched_thread *t)
{
	t->wait = W_MUTEX;
	t->obj = sched_obj(t->mutex, W_MUTEX);
	t->reacquire = 1;
}

int64_t sched_clock_base(void)
{
	if (rl_sched.clock_base == 0) {
		struct timespec ts;
		__real_clock_gettime(CLOCK_REALTIME, &ts);
		rl_sched.clock_base = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	}
	return rl_sched.clock_base;
}

/* Virtual time moves to t's deadline: its sleep ends or its timed wait times out. */
static void sched_fire(struct sched_thread *t)
{
	if (t->deadline > rl_sched.now)
		rl_sched.now = t->deadline;
	t->timed_out = 1;
	if (t->wait == W_COND)
		sched_cond_wake(t);
}

/* A condition variable's waiter wakes with nobody having signalled: POSIX allows it, correct code re-checks. */
static int sched_spurious(void)
{
	struct sched_thread *w[SCHED_MAX_THREADS];
	int n = 0;
	for (int i = 0; i < rl_sched.nthreads; i++)
		if (rl_sched.t[i].state == TS_BLOCKED && rl_sched.t[i].wait == W_COND)
			w[n++] = &rl_sched.t[i];
	if (n == 0)
		return 0;
	struct sched_thread *t = w[search_below((unsigned)n)];
	t->spurious = 1;
	sched_cond_wake(t);
	rl_sched.spurious_left--;
	return 1;
}

/*
 * One time in this many a choice lets time move on, or wakes a waiter spuriously. Time moves
 * on early (while a thread could still run) only to a deadline at most SCHED_LATE_NS away:
 * a runnable thread may well be a time slice late, so code that sleeps a little to order
 * two threads is caught; it is not seconds late, so a test's 3-second safety timeout never
 * fires before the threads it waits for have had their turn.
 */
enum { SCHED_TIME_ONE_IN = 64, SCHED_SPURIOUS_ONE_IN = 16 };

/*
 * So many steps with nothing written, and time moves on to the next deadline: threads that only
 * read shared memory (spin on a flag, an atomic barrier's sense) wait for something that cannot
 * happen until a sleeper wakes, as it would in real time. Far more steps than a read-only scan
 * of a kata's data takes, so a test's safety timeout never fires while threads do real work.
 */
enum { SCHED_QUIET_STEPS = 20000 };
/* Or so many sched_yield calls with nothing written: threads that say they wait, and spin doing so. */
enum { SCHED_QUIET_YIELDS = 200 };
#define SCHED_LATE_NS 10000000LL

/* The thread to run next; when nobody can run and no deadline is left, the schedule is stuck. */
static struct sched_thread *sched_choose(struct sched_thread *me)
{
	for (;;) {
		struct sched_thread *en[SCHED_MAX_THREADS];
		int n = 0;
		for (int i = 0; i < rl_sched.nthreads; i++)
			if (sched_enabled(&rl_sched.t[i]))
				en[n++] = &rl_sched.t[i];
		struct sched_thread *timed = sched_earliest();
		if (n == 0) {
			if (!timed)
				sched_stuck();
			sched_fire(timed);
			continue;
		}
		/* Before the search starts the test runs alone: nobody else to choose. */
		if (!rl_sched.active)
			return sched_enabled(me) ? me : en[0];
		if (!timed)
			sched_spinning(en, n);
		if (timed && (rl_sched.quiet > SCHED_QUIET_STEPS || rl_sched.quiet_yields > SCHED_QUIET_YIELDS)) {
			rl_sched.quiet = rl_sched.quiet_yields = 0;
			sched_fire(timed);
			continue;
		}
		if (timed && timed->deadline - rl_sched.now <= SCHED_LATE_NS && search_coin(SCHED_TIME_ONE_IN)) {
			sched_fire(timed);
			continue;
		}
		if (rl_sched.spurious_left > 0 && search_coin(SCHED_SPURIOUS_ONE_IN) && sched_spurious())
			continue;
		return search_pick(en, n, me);
	}
}

/* One more step of the schedule; a schedule that runs too long is given up (a thread spins forever). */
static void sched_count_step(struct sched_thread *me)
{
	trace_read_value(me);
	if (!rl_sched.active)
		return;
	if (++rl_sched.steps > rl_sched.step_limit)
		explore_too_long();
	/* A thread that runs on alone (a spin on a flag) yields to PCT's lower priorities now and then. */
	if (++me->run_len > 1000) {
		me->run_len = 0;
		search_yielded(me);
	}
}

/* Give the baton to whoever the strategy picks; come back when this thread is picked again. */
static void sched_switch(struct sched_thread *me)
{
	struct sched_thread *next = sched_choose(me);
	if (next == me)
		return;
	me->run_len = 0;
	sched_run(next);
	sched_thread_wait_turn(me);
}

void sched_point(void)
{
	struct sched_thread *me = sched_self();
	sched_count_step(me);
	sched_switch(me);
}

int sched_block(enum sched_wait w, void *obj)
{
	struct sched_thread *me = sched_self();
	sched_count_step(me);
	me->state = TS_BLOCKED;
	me->blocks++;
	me->wait = w;
	me->obj = obj;
	sched_switch(me);
	/* Picked, so enabled: what it waited for is there now (or its time ran out). */
	me->state = TS_RUNNABLE;
	me->wait = W_NONE;
	int timed_out = me->timed_out;
	me->timed = me->timed_out = me->reacquire = 0;
	return timed_out ? ETIMEDOUT : 0;
}

void sched_thread_done(struct sched_thread *t, void *ret)
{
	trace_read_value(t);
	trace_add(EV_EXIT, t->id, NULL, NULL, 0, 0);
	t->ret = ret;
	t->state = TS_DONE;
	/* Nobody may wait for this thread's turn again: hand the baton on and let the real thread end. */
	sched_run(sched_choose(t));
}
