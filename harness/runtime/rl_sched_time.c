/* rl_sched_time.c: virtual time for a schedules build: sleeps and clocks that move only when the scheduler says. */
#include <errno.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

#include "rl_sched.h"

/*
 * A sleep blocks its thread until virtual time reaches its end; time moves to the
 * earliest deadline when nobody else can run, or earlier when the strategy chooses
 * to (rl_sched.c). So a test that sleeps takes no real time, and code that uses a
 * sleep to order two threads is caught: the scheduler may let the other one be late.
 */
#define PC __builtin_return_address(0)

int __real_clock_gettime(clockid_t clk, struct timespec *ts);

static int time_sleep_ns(int64_t ns, const void *pc)
{
	struct sched_thread *me = sched_self();
	trace_add(EV_SLEEP, me->id, NULL, pc, (long long)(ns / 1000000), 0);
	me->timed = 1;
	me->deadline = rl_sched.now + (ns > 0 ? ns : 0);
	if (rl_sched.active)
		search_yielded(me);
	sched_block(W_SLEEP, NULL);
	return 0;
}

int __wrap_nanosleep(const struct timespec *req, struct timespec *rem);
int __wrap_nanosleep(const struct timespec *req, struct timespec *rem)
{
	if (rem)
		*rem = (struct timespec){ 0, 0 };
	return time_sleep_ns((int64_t)req->tv_sec * 1000000000 + req->tv_nsec, PC);
}

int __wrap_clock_nanosleep(clockid_t clk, int flags, const struct timespec *req, struct timespec *rem);
int __wrap_clock_nanosleep(clockid_t clk, int flags, const struct timespec *req, struct timespec *rem)
{
	(void)clk;
	if (rem)
		*rem = (struct timespec){ 0, 0 };
	int64_t ns = (int64_t)req->tv_sec * 1000000000 + req->tv_nsec;
	if (flags & TIMER_ABSTIME)
		ns = sched_deadline(req) - rl_sched.now;
	return time_sleep_ns(ns, PC);
}

int __wrap_usleep(useconds_t us);
int __wrap_usleep(useconds_t us) { return time_sleep_ns((int64_t)us * 1000, PC); }

unsigned __wrap_sleep(unsigned s);
unsigned __wrap_sleep(unsigned s) { return (unsigned)time_sleep_ns((int64_t)s * 1000000000, PC); }

int __wrap_sched_yield(void);
int __wrap_sched_yield(void)
{
	struct sched_thread *me = sched_self();
	trace_add(EV_YIELD, me->id, NULL, PC, 0, 0);
	if (rl_sched.active) {
		rl_sched.quiet_yields++;
		if (me->spin_since != rl_sched.changes) {
			me->spin_since = rl_sched.changes;
			me->spins = 0;
		}
		me->spins++;
		search_yielded(me);
	}
	sched_point();
	return 0;
}

/* The real clock when the scheduler first looked, plus virtual time: deadlines the test computes fit the model. */
int __wrap_clock_gettime(clockid_t clk, struct timespec *ts);
int __wrap_clock_gettime(clockid_t clk, struct timespec *ts)
{
	if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC)
		return __real_clock_gettime(clk, ts);
	int64_t t = sched_clock_base() + rl_sched.now;
	ts->tv_sec = (time_t)(t / 1000000000);
	ts->tv_nsec = (long)(t % 1000000000);
	return 0;
}
