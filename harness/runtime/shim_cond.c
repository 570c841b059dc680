/* shim_cond.c: the stress gate's spurious wakeups (and its schedule noise at waits), linked with --wrap=pthread_cond_*. */
#include <pthread.h>
#include <sched.h>
#include <time.h>

#include "rl_noise.h"

/*
 * POSIX lets pthread_cond_wait return with nobody having signalled (a spurious
 * wakeup), so correct code re-checks its predicate in a loop. Real spurious
 * wakeups are rare, which lets an `if` survive most runs. This shim makes them
 * certain: every other wait of each thread, starting with its first, gives the
 * mutex up, yields, takes it back and returns 0 without waiting. A predicate
 * loop simply waits again; an `if` goes on with its predicate false, every run.
 */
int __real_pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m);
int __real_pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
				  const struct timespec *abstime);
int __wrap_pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m);
int __wrap_pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
				  const struct timespec *abstime);

static _Thread_local unsigned shim_calls;

static int shim_spurious(pthread_mutex_t *m)
{
	if (shim_calls++ % 2 != 0)
		return 0;
	pthread_mutex_unlock(m);
	sched_yield();
	pthread_mutex_lock(m);
	return 1;
}

int __wrap_pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	rl_noise_point();
	if (shim_spurious(m))
		return 0;
	return __real_pthread_cond_wait(c, m);
}

int __wrap_pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
				  const struct timespec *abstime)
{
	rl_noise_point();
	if (shim_spurious(m))
		return 0;
	return __real_pthread_cond_timedwait(c, m, abstime);
}
