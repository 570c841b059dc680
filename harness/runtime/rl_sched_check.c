/* rl_sched_check.c: Check's assertions and the tests' thread probes, as a schedules build sees them. */
#include <check.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "racelab_test.h"
#include "rl_sched.h"

/*
 * In a schedule's child an assertion must not reach Check: Check's pipe belongs to the
 * test's own process, which reports the failure itself when it runs that schedule in
 * place. There the message gains the schedule's seed, and the trace is written first.
 */
void __real__ck_assert_failed(const char *file, int line, const char *expr, const char *msg, ...)
	__attribute__((noreturn, format(printf, 4, 5)));
void __real__mark_point(const char *file, int line);
uint64_t explore_seed_now(void);

void __wrap__ck_assert_failed(const char *file, int line, const char *expr, const char *msg, ...)
	__attribute__((noreturn, format(printf, 4, 5)));
void __wrap__ck_assert_failed(const char *file, int line, const char *expr, const char *msg, ...)
{
	char text[2048], why[2300];
	if (msg) {
		va_list ap;
		va_start(ap, msg);
		vsnprintf(text, sizeof text, msg, ap);
		va_end(ap);
	} else {
		snprintf(text, sizeof text, "%s", expr);
	}
	snprintf(why, sizeof why, "%s:%d: %s", file, line, text);
	if (!rl_sched.active) {
		rl_sched.off = 1;
		__real__ck_assert_failed(file, line, expr, "%s", text);
	}
	if (explore_in_child())
		explore_fail("assertion", why);
	trace_note("fail assertion %s\n", why);
	trace_flush();
	rl_sched.off = 1;
	__real__ck_assert_failed(file, line, expr, "%s (schedule %" PRIu64 ")", text, explore_seed_now());
}

/*
 * Check (linked statically) guards its pipe with a mutex of its own, so a mark point is a
 * scheduling point; a schedule must take the same steps in a child and in place, so once
 * the schedules begin no assertion that holds leaves a mark (a crash then names no last point).
 */
void __wrap__mark_point(const char *file, int line);
void __wrap__mark_point(const char *file, int line)
{
	if (!rl_sched.active)
		__real__mark_point(file, line);
}

/* A crash in the schedule run in place: write its steps, then die of the signal as before. */
static void check_crashed(int sig)
{
	trace_note("fail crash %s\n", strsignal(sig));
	trace_flush();
	raise(sig);
}

void check_catch_crashes(void);
void check_catch_crashes(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = check_crashed;
	sa.sa_flags = (int)SA_RESETHAND;
	int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGABRT, SIGILL };
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
}

/*
 * The tests' probes of a thread's state read the kernel's view, in which every thread
 * but the running one sleeps on its baton. Here they read the model instead: a thread is
 * asleep when it is blocked in a call the model knows (a lock, a wait, a sleep).
 */
static struct sched_thread *check_thread(pid_t tid)
{
	for (int i = 0; i < rl_sched.nthreads; i++)
		if (rl_sched.t[i].tid == tid)
			return &rl_sched.t[i];
	return NULL;
}

bool __wrap_rl_thread_asleep(pid_t tid);
bool __wrap_rl_thread_asleep(pid_t tid)
{
	sched_point();
	struct sched_thread *t = check_thread(tid);
	return t && t->state == TS_BLOCKED;
}

void __wrap_rl_wait_until_asleep(pid_t tid);
void __wrap_rl_wait_until_asleep(pid_t tid)
{
	for (;;) {
		struct sched_thread *t = check_thread(tid);
		ck_assert_msg(t && t->state != TS_DONE, "thread %d ended before it went to sleep", (int)tid);
		if (t->state == TS_BLOCKED)
			return;
		/* Let the others run, the thread waited for first of all. */
		if (rl_sched.active)
			search_yielded(sched_self());
		sched_point();
	}
}

long __wrap_rl_thread_sleeps(pid_t tid);
long __wrap_rl_thread_sleeps(pid_t tid)
{
	struct sched_thread *t = check_thread(tid);
	return t && t->state != TS_DONE ? t->blocks : -1;
}
