/* shim_threads.c: C11 <threads.h> calls that ThreadSanitizer cannot see, as the pthread calls glibc makes of them (tsan build, --wrap). */
#define _POSIX_C_SOURCE 200809L /* pthread_mutex_timedlock */
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <threads.h>

#include "rl_thrd.h"

/*
 * glibc implements every C11 thread call by calling its own __pthread_* function inside libc, out
 * of reach of clang 14's ThreadSanitizer interceptors. So TSan never learns that an initialiser's
 * writes happen before every later return of call_once, that mtx_lock orders two critical
 * sections, that cnd_wait lets go of the mutex while it sleeps, or that thrd_create started a
 * thread: it reports data races on correct code (docs/tools.md). The pthread calls it does
 * intercept. The C11 types are the pthread ones under another name (checked below), so each
 * wrapper makes the call glibc makes, in view; only thrd_create needs a trampoline, because a C11
 * thread returns an int.
 */
_Static_assert(sizeof(once_flag) == sizeof(pthread_once_t) && _Alignof(once_flag) == _Alignof(pthread_once_t),
	       "glibc's once_flag has pthread_once_t's layout");
_Static_assert(offsetof(once_flag, __data) == 0, "once_flag is its one member");
_Static_assert(_Generic(((once_flag *)0)->__data, pthread_once_t: 1, default: 0),
	       "once_flag's member is a pthread_once_t");
_Static_assert(sizeof(cnd_t) == sizeof(pthread_cond_t) && _Alignof(cnd_t) == _Alignof(pthread_cond_t),
	       "glibc's cnd_t has pthread_cond_t's layout");
_Static_assert(sizeof(mtx_t) == sizeof(pthread_mutex_t) && _Alignof(mtx_t) == _Alignof(pthread_mutex_t),
	       "glibc's mtx_t has pthread_mutex_t's layout");

void __wrap_call_once(once_flag *flag, void (*func)(void));
int __wrap_mtx_lock(mtx_t *mtx);
int __wrap_mtx_trylock(mtx_t *mtx);
int __wrap_mtx_timedlock(mtx_t *restrict mtx, const struct timespec *restrict ts);
int __wrap_mtx_unlock(mtx_t *mtx);
int __wrap_cnd_wait(cnd_t *cond, mtx_t *mtx);
int __wrap_cnd_timedwait(cnd_t *restrict cond, mtx_t *restrict mtx, const struct timespec *restrict ts);
int __wrap_cnd_signal(cnd_t *cond);
int __wrap_cnd_broadcast(cnd_t *cond);
int __wrap_thrd_create(thrd_t *thr, thrd_start_t func, void *arg);
int __wrap_thrd_join(thrd_t thr, int *res);

void __wrap_call_once(once_flag *flag, void (*func)(void))
{
	pthread_once(&flag->__data, func);
}

int __wrap_cnd_wait(cnd_t *cond, mtx_t *mtx)
{
	return rl_thrd_from_errno(pthread_cond_wait((pthread_cond_t *)cond, (pthread_mutex_t *)mtx));
}

int __wrap_cnd_timedwait(cnd_t *restrict cond, mtx_t *restrict mtx, const struct timespec *restrict ts)
{
	return rl_thrd_from_errno(pthread_cond_timedwait((pthread_cond_t *)cond, (pthread_mutex_t *)mtx, ts));
}

int __wrap_mtx_lock(mtx_t *mtx) { return rl_thrd_from_errno(pthread_mutex_lock((pthread_mutex_t *)mtx)); }
int __wrap_mtx_trylock(mtx_t *mtx) { return rl_thrd_from_errno(pthread_mutex_trylock((pthread_mutex_t *)mtx)); }
int __wrap_mtx_unlock(mtx_t *mtx) { return rl_thrd_from_errno(pthread_mutex_unlock((pthread_mutex_t *)mtx)); }

int __wrap_mtx_timedlock(mtx_t *restrict mtx, const struct timespec *restrict ts)
{
	return rl_thrd_from_errno(pthread_mutex_timedlock((pthread_mutex_t *)mtx, ts));
}

int __wrap_cnd_signal(cnd_t *cond) { return rl_thrd_from_errno(pthread_cond_signal((pthread_cond_t *)cond)); }
int __wrap_cnd_broadcast(cnd_t *cond) { return rl_thrd_from_errno(pthread_cond_broadcast((pthread_cond_t *)cond)); }

/* A C11 thread's function and argument, handed to the pthread that runs it. */
struct shim_start {
	thrd_start_t func;
	void *arg;
};

static void *shim_trampoline(void *p)
{
	struct shim_start s = *(struct shim_start *)p;
	free(p);
	return (void *)(intptr_t)s.func(s.arg);
}

int __wrap_thrd_create(thrd_t *thr, thrd_start_t func, void *arg)
{
	_Static_assert(sizeof(thrd_t) == sizeof(pthread_t), "glibc's thrd_t is a pthread_t");
	struct shim_start *s = malloc(sizeof *s);
	if (!s)
		return thrd_nomem;
	*s = (struct shim_start){ func, arg };
	int err = pthread_create((pthread_t *)thr, NULL, shim_trampoline, s);
	if (err)
		free(s);
	return err == EAGAIN ? thrd_nomem : rl_thrd_from_errno(err);
}

int __wrap_thrd_join(thrd_t thr, int *res)
{
	void *value;
	int err = pthread_join((pthread_t)thr, &value);
	if (!err && res)
		*res = (int)(intptr_t)value;
	return rl_thrd_from_errno(err);
}
