/* rl_sched_sync.c: the pthread calls of a schedules build (-Wl,--wrap): each a scheduling point, blocking modelled. */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

#include "rl_sched.h"

/*
 * Only one thread runs at a time and the model decides who may take what, so the real
 * primitives are never waited on: a lock is "taken" by writing its owner in the model.
 * The real init and destroy still run, so the objects stay valid for any code that is
 * not wrapped. Misuse the model sees (unlocking a lock one does not hold, waiting on a
 * condition variable without its mutex) fails the schedule: each is a real bug.
 */
#define PC __builtin_return_address(0)

int __real_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg);
int __real_pthread_join(pthread_t t, void **ret);
void __real_pthread_exit(void *ret) __attribute__((noreturn));
int __real_pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a);
int __real_pthread_mutex_destroy(pthread_mutex_t *m);
int __real_pthread_mutex_lock(pthread_mutex_t *m);
int __real_pthread_mutex_unlock(pthread_mutex_t *m);
int __real_pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *a);
int __real_pthread_cond_destroy(pthread_cond_t *c);
int __real_pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *a, unsigned n);
int __real_pthread_barrier_destroy(pthread_barrier_t *b);
int __real_sem_init(sem_t *s, int shared, unsigned v);
int __real_sem_destroy(sem_t *s);
int __real_pthread_rwlock_init(pthread_rwlock_t *l, const pthread_rwlockattr_t *a);
int __real_pthread_rwlock_destroy(pthread_rwlock_t *l);

static void sync_misuse(const char *fmt, const void *a, const void *b)
{
	char na[48], nb[48], why[256];
	trace_obj_name(a, na, sizeof na);
	trace_obj_name(b, nb, sizeof nb);
	snprintf(why, sizeof why, fmt, sched_self()->id, na, nb);
	explore_fail("misuse", why);
}

/* ---- threads ---- */

static void *sync_trampoline(void *p)
{
	struct sched_thread *t = p;
	sched_thread_register(t);
	trace_add(EV_START, t->id, NULL, NULL, 0, 0);
	void *ret = t->fn(t->arg);
	sched_thread_done(t, ret);
	return ret;
}

int __wrap_pthread_create(pthread_t *th, const pthread_attr_t *a, void *(*fn)(void *), void *arg);
int __wrap_pthread_create(pthread_t *th, const pthread_attr_t *a, void *(*fn)(void *), void *arg)
{
	struct sched_thread *me = sched_self();
	/* The test starts its first thread: from here on there are schedules to choose from. */
	if (!rl_sched.active)
		explore_begin();
	struct sched_thread *t = sched_new_thread();
	t->fn = fn;
	t->arg = arg;
	int rc = __real_pthread_create(th, a, sync_trampoline, t);
	if (rc != 0) {
		t->state = TS_DONE;
		return rc;
	}
	t->self = *th;
	sched_wait_started(t);
	trace_add(EV_CREATE, me->id, NULL, PC, t->id, 0);
	sched_point();
	return 0;
}

static struct sched_thread *sync_thread_of(pthread_t th)
{
	/* The newest first: a joined thread's pthread_t is often reused for the next one. */
	for (int i = rl_sched.nthreads - 1; i > 0; i--)
		if (rl_sched.t[i].state != TS_FREE && !rl_sched.t[i].joined && pthread_equal(rl_sched.t[i].self, th))
			return &rl_sched.t[i];
	return NULL;
}

int __wrap_pthread_join(pthread_t th, void **ret);
int __wrap_pthread_join(pthread_t th, void **ret)
{
	struct sched_thread *me = sched_self(), *t = sync_thread_of(th);
	if (!t)
		return __real_pthread_join(th, ret);
	sched_point();
	while (t->state != TS_DONE)
		sched_block(W_JOIN, t);
	trace_add(EV_JOIN, me->id, NULL, PC, t->id, 0);
	t->joined = 1;
	/* The thread has handed the baton on; its real end follows at once. */
	int rc = __real_pthread_join(th, NULL);
	if (ret)
		*ret = t->ret;
	return rc;
}

void __wrap_pthread_exit(void *ret) __attribute__((noreturn));
void __wrap_pthread_exit(void *ret)
{
	struct sched_thread *me = sched_self();
	if (me->id != 0)
		sched_thread_done(me, ret);
	__real_pthread_exit(ret);
}

/* ---- mutexes and spinlocks ---- */

static struct sched_obj *sync_mutex(void *m, int is_mutex)
{
	struct sched_obj *o = sched_obj(m, W_MUTEX);
	/* A lock first seen here may be a static initializer's: its kind is in glibc's own field. */
	if (is_mutex && o->type == PTHREAD_MUTEX_NORMAL)
		o->type = ((pthread_mutex_t *)m)->__data.__kind & 3;
	return o;
}

static int sync_lock(void *m, int is_mutex, const void *pc, int try)
{
	struct sched_thread *me = sched_self();
	sched_point();
	struct sched_obj *o = sync_mutex(m, is_mutex);
	if (o->owner == me->id && o->type == PTHREAD_MUTEX_RECURSIVE) {
		o->count++;
		trace_add(EV_LOCK, me->id, m, pc, o->count, 0);
		return 0;
	}
	if (o->owner == me->id && o->type == PTHREAD_MUTEX_ERRORCHECK)
		return try ? EBUSY : EDEADLK;
	if (o->owner != -1 && try) {
		trace_add(EV_TRYLOCK_FAIL, me->id, m, pc, o->owner, 0);
		return EBUSY;
	}
	if (o->owner != -1)
		trace_add(EV_BLOCK, me->id, m, pc, o->owner, 0);
	/* A normal mutex locked again by its owner waits for itself: the model sees that cycle. */
	while (o->owner != -1)
		sched_block(W_MUTEX, o);
	o->owner = me->id;
	o->count = 1;
	trace_add(EV_LOCK, me->id, m, pc, 0, 0);
	return 0;
}

static int sync_unlock(void *m, int is_mutex, const void *pc)
{
	struct sched_thread *me = sched_self();
	struct sched_obj *o = sync_mutex(m, is_mutex);
	if (o->owner != me->id) {
		if (o->type == PTHREAD_MUTEX_ERRORCHECK || o->type == PTHREAD_MUTEX_RECURSIVE)
			return EPERM;
		sync_misuse("T%d unlocks %s, which it does not hold%s", m, "");
	}
	if (--o->count == 0)
		o->owner = -1;
	trace_add(EV_UNLOCK, me->id, m, pc, 0, 0);
	sched_point();
	return 0;
}

int __wrap_pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a);
int __wrap_pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a)
{
	sched_obj_forget(m);
	int type = PTHREAD_MUTEX_NORMAL;
	if (a)
		pthread_mutexattr_gettype(a, &type);
	sched_obj(m, W_MUTEX)->type = type;
	return __real_pthread_mutex_init(m, a);
}

int __wrap_pthread_mutex_destroy(pthread_mutex_t *m);
int __wrap_pthread_mutex_destroy(pthread_mutex_t *m)
{
	struct sched_obj *o = sync_mutex(m, 1);
	if (o->owner != -1)
		sync_misuse("T%d destroys %s while it is locked%s", m, "");
	sched_obj_forget(m);
	return __real_pthread_mutex_destroy(m);
}

int __wrap_pthread_mutex_lock(pthread_mutex_t *m);
int __wrap_pthread_mutex_lock(pthread_mutex_t *m)
{
	/* A failing run in place reports through Check, whose pipe has a lock of its own. */
	return rl_sched.off ? __real_pthread_mutex_lock(m) : sync_lock(m, 1, PC, 0);
}
int __wrap_pthread_mutex_trylock(pthread_mutex_t *m);
int __wrap_pthread_mutex_trylock(pthread_mutex_t *m) { return sync_lock(m, 1, PC, 1); }
int __wrap_pthread_mutex_unlock(pthread_mutex_t *m);
int __wrap_pthread_mutex_unlock(pthread_mutex_t *m)
{
	return rl_sched.off ? __real_pthread_mutex_unlock(m) : sync_unlock(m, 1, PC);
}
int __wrap_pthread_spin_init(pthread_spinlock_t *s, int shared);
int __wrap_pthread_spin_init(pthread_spinlock_t *s, int shared)
{
	(void)shared;
	sched_obj_forget((void *)s);
	sched_obj((void *)s, W_MUTEX)->type = PTHREAD_MUTEX_NORMAL;
	*s = 0;
	return 0;
}
int __wrap_pthread_spin_destroy(pthread_spinlock_t *s);
int __wrap_pthread_spin_destroy(pthread_spinlock_t *s) { sched_obj_forget((void *)s); return 0; }
int __wrap_pthread_spin_lock(pthread_spinlock_t *s);
int __wrap_pthread_spin_lock(pthread_spinlock_t *s) { return sync_lock((void *)s, 0, PC, 0); }
int __wrap_pthread_spin_trylock(pthread_spinlock_t *s);
int __wrap_pthread_spin_trylock(pthread_spinlock_t *s) { return sync_lock((void *)s, 0, PC, 1); }
int __wrap_pthread_spin_unlock(pthread_spinlock_t *s);
int __wrap_pthread_spin_unlock(pthread_spinlock_t *s) { return sync_unlock((void *)s, 0, PC); }

/* ---- condition variables ---- */

/*
 * A point first, before the waiter is counted: pthread_cond_wait counts its caller as a waiter
 * inside the call, after the caller last looked at its condition, and a signal sent in between by
 * a thread that does not hold the mutex finds nobody to wake (the lost wakeup of a flag set
 * without the lock). A setter that takes the mutex waits here instead, so correct code loses nothing.
 */
static int sync_cond_wait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abs, const void *pc)
{
	sched_point();
	struct sched_thread *me = sched_self();
	struct sched_obj *o = sync_mutex(m, 1);
	if (o->owner != me->id)
		sync_misuse("T%d waits on %s without holding %s", c, m);
	int depth = o->count;
	o->owner = -1;
	o->count = 0;
	trace_add(EV_WAIT, me->id, c, pc, 0, 0);
	me->mutex = m;
	me->signalled = me->spurious = me->timed_out = 0;
	me->timed = abs != NULL;
	if (abs)
		me->deadline = sched_deadline(abs);
	me->wait_seq = ++rl_sched.wait_seq;
	int spurious_before = me->spurious;
	int rc = sched_block(W_COND, c);
	o->owner = me->id;
	o->count = depth;
	trace_add(rc ? EV_TIMEOUT : me->spurious && !spurious_before ? EV_SPURIOUS : EV_WOKEN, me->id, c, pc, 0, 0);
	me->spurious = me->signalled = 0;
	me->mutex = NULL;
	return rc;
}

int __wrap_pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m);
int __wrap_pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m) { return sync_cond_wait(c, m, NULL, PC); }
int __wrap_pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abs);
int __wrap_pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abs)
{
	return sync_cond_wait(c, m, abs, PC);
}

/* Wake one waiter of c (the strategy picks which: POSIX does not say), or all of them. */
static int sync_cond_wake(pthread_cond_t *c, int all, const void *pc)
{
	struct sched_thread *me = sched_self(), *w[SCHED_MAX_THREADS];
	int n = 0;
	for (int i = 0; i < rl_sched.nthreads; i++)
		if (rl_sched.t[i].state == TS_BLOCKED && rl_sched.t[i].wait == W_COND && rl_sched.t[i].obj == c)
			w[n++] = &rl_sched.t[i];
	int first = n && !all ? (rl_sched.active ? (int)search_below((unsigned)n) : 0) : 0;
	for (int i = first; i < (all ? n : first + (n > 0)); i++) {
		w[i]->signalled = 1;
		sched_cond_wake(w[i]);
	}
	trace_add(all ? EV_BROADCAST : EV_SIGNAL, me->id, c, pc, all ? n : n ? w[first]->id : -1, 0);
	sched_point();
	return 0;
}

int __wrap_pthread_cond_signal(pthread_cond_t *c);
int __wrap_pthread_cond_signal(pthread_cond_t *c) { return sync_cond_wake(c, 0, PC); }
int __wrap_pthread_cond_broadcast(pthread_cond_t *c);
int __wrap_pthread_cond_broadcast(pthread_cond_t *c) { return sync_cond_wake(c, 1, PC); }
int __wrap_pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *a);
int __wrap_pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *a) { return __real_pthread_cond_init(c, a); }
int __wrap_pthread_cond_destroy(pthread_cond_t *c);
int __wrap_pthread_cond_destroy(pthread_cond_t *c) { return __real_pthread_cond_destroy(c); }

/* ---- barriers ---- */

int __wrap_pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *a, unsigned n);
int __wrap_pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *a, unsigned n)
{
	sched_obj_forget(b);
	struct sched_obj *o = sched_obj(b, W_BARRIER);
	o->target = (int)n;
	return __real_pthread_barrier_init(b, a, n);
}

int __wrap_pthread_barrier_destroy(pthread_barrier_t *b);
int __wrap_pthread_barrier_destroy(pthread_barrier_t *b)
{
	sched_obj_forget(b);
	return __real_pthread_barrier_destroy(b);
}

int __wrap_pthread_barrier_wait(pthread_barrier_t *b);
int __wrap_pthread_barrier_wait(pthread_barrier_t *b)
{
	struct sched_thread *me = sched_self();
	sched_point();
	struct sched_obj *o = sched_obj(b, W_BARRIER);
	o->count++;
	trace_add(EV_BARRIER, me->id, b, PC, o->count, o->target);
	if (o->count >= o->target) {
		/* The last to arrive opens the barrier for this round; the others see the generation move. */
		o->count = 0;
		o->gen++;
		return PTHREAD_BARRIER_SERIAL_THREAD;
	}
	me->gen = o->gen;
	sched_block(W_BARRIER, o);
	return 0;
}

/* ---- semaphores ---- */

int __wrap_sem_init(sem_t *s, int shared, unsigned v);
int __wrap_sem_init(sem_t *s, int shared, unsigned v)
{
	sched_obj_forget(s);
	sched_obj(s, W_SEM)->count = (int)v;
	return __real_sem_init(s, shared, v);
}

int __wrap_sem_destroy(sem_t *s);
int __wrap_sem_destroy(sem_t *s)
{
	sched_obj_forget(s);
	return __real_sem_destroy(s);
}

static int sync_sem_wait(sem_t *s, const struct timespec *abs, int try, const void *pc)
{
	struct sched_thread *me = sched_self();
	sched_point();
	struct sched_obj *o = sched_obj(s, W_SEM);
	if (o->count == 0 && try) {
		errno = EAGAIN;
		return -1;
	}
	while (o->count == 0) {
		me->timed = abs != NULL;
		if (abs)
			me->deadline = sched_deadline(abs);
		if (sched_block(W_SEM, o) == ETIMEDOUT) {
			trace_add(EV_TIMEOUT, me->id, s, pc, 0, 0);
			errno = ETIMEDOUT;
			return -1;
		}
	}
	o->count--;
	trace_add(EV_SEM_WAIT, me->id, s, pc, o->count, 0);
	return 0;
}

int __wrap_sem_wait(sem_t *s);
int __wrap_sem_wait(sem_t *s) { return sync_sem_wait(s, NULL, 0, PC); }
int __wrap_sem_trywait(sem_t *s);
int __wrap_sem_trywait(sem_t *s) { return sync_sem_wait(s, NULL, 1, PC); }
int __wrap_sem_timedwait(sem_t *s, const struct timespec *abs);
int __wrap_sem_timedwait(sem_t *s, const struct timespec *abs) { return sync_sem_wait(s, abs, 0, PC); }

int __wrap_sem_post(sem_t *s);
int __wrap_sem_post(sem_t *s)
{
	struct sched_obj *o = sched_obj(s, W_SEM);
	o->count++;
	trace_add(EV_SEM_POST, sched_self()->id, s, PC, o->count, 0);
	sched_point();
	return 0;
}

int __wrap_sem_getvalue(sem_t *s, int *v);
int __wrap_sem_getvalue(sem_t *s, int *v)
{
	sched_point();
	*v = sched_obj(s, W_SEM)->count;
	return 0;
}

/* ---- read-write locks: owner is the writer, count the readers ---- */

int __wrap_pthread_rwlock_init(pthread_rwlock_t *l, const pthread_rwlockattr_t *a);
int __wrap_pthread_rwlock_init(pthread_rwlock_t *l, const pthread_rwlockattr_t *a)
{
	sched_obj_forget(l);
	return __real_pthread_rwlock_init(l, a);
}

int __wrap_pthread_rwlock_destroy(pthread_rwlock_t *l);
int __wrap_pthread_rwlock_destroy(pthread_rwlock_t *l)
{
	sched_obj_forget(l);
	return __real_pthread_rwlock_destroy(l);
}

static int sync_rwlock(pthread_rwlock_t *l, int write, int try, const void *pc)
{
	struct sched_thread *me = sched_self();
	sched_point();
	struct sched_obj *o = sched_obj(l, W_RDLOCK);
	int busy = o->owner != -1 || (write && o->count > 0);
	if (busy && try)
		return EBUSY;
	if (o->owner == me->id)
		return EDEADLK;
	while (o->owner != -1 || (write && o->count > 0))
		sched_block(write ? W_WRLOCK : W_RDLOCK, o);
	if (write)
		o->owner = me->id;
	else
		o->count++;
	trace_add(write ? EV_WRLOCK : EV_RDLOCK, me->id, l, pc, o->count, 0);
	return 0;
}

int __wrap_pthread_rwlock_rdlock(pthread_rwlock_t *l);
int __wrap_pthread_rwlock_rdlock(pthread_rwlock_t *l) { return sync_rwlock(l, 0, 0, PC); }
int __wrap_pthread_rwlock_wrlock(pthread_rwlock_t *l);
int __wrap_pthread_rwlock_wrlock(pthread_rwlock_t *l) { return sync_rwlock(l, 1, 0, PC); }
int __wrap_pthread_rwlock_tryrdlock(pthread_rwlock_t *l);
int __wrap_pthread_rwlock_tryrdlock(pthread_rwlock_t *l) { return sync_rwlock(l, 0, 1, PC); }
int __wrap_pthread_rwlock_trywrlock(pthread_rwlock_t *l);
int __wrap_pthread_rwlock_trywrlock(pthread_rwlock_t *l) { return sync_rwlock(l, 1, 1, PC); }

int __wrap_pthread_rwlock_unlock(pthread_rwlock_t *l);
int __wrap_pthread_rwlock_unlock(pthread_rwlock_t *l)
{
	struct sched_thread *me = sched_self();
	struct sched_obj *o = sched_obj(l, W_RDLOCK);
	if (o->owner == me->id)
		o->owner = -1;
	else if (o->count > 0)
		o->count--;
	else
		sync_misuse("T%d unlocks %s, which nobody holds%s", l, "");
	trace_add(EV_RWUNLOCK, me->id, l, PC, o->count, 0);
	sched_point();
	return 0;
}

/* ---- once ---- */

int __wrap_pthread_once(pthread_once_t *once, void (*fn)(void));
int __wrap_pthread_once(pthread_once_t *once, void (*fn)(void))
{
	struct sched_thread *me = sched_self();
	sched_point();
	struct sched_obj *o = sched_obj(once, W_ONCE);
	if (o->once == 0) {
		o->once = 1;
		trace_add(EV_ONCE, me->id, once, PC, 0, 0);
		fn();
		o->once = 2;
		sched_point();
	}
	while (o->once != 2)
		sched_block(W_ONCE, o);
	return 0;
}
