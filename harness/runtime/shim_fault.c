/* shim_fault.c: fault injection into the learner's calls, armed by the tests (see racelab_test.h). */
#include <errno.h>
#include <semaphore.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <unistd.h>

#include "racelab_test.h"
#include "rl_thrd.h"
#undef _ck_assert_failed /* here the name is Check's own function, which the wrapper calls */

#if defined(__has_include) && __has_include(<valgrind/helgrind.h>)
#include <valgrind/helgrind.h>
#define RL_FAULT_VALGRIND 1
#endif

/*
 * The harness renames the learner object's calls to these (fault_syms.txt), so
 * only that object reaches them. Every one asks fault_hit() whether this call
 * is the armed one, and otherwise makes the real call.
 */
enum fault_fn {
	F_MALLOC, F_CALLOC, F_REALLOC, F_STRDUP, F_PTHREAD_CREATE, F_MUTEX_INIT, F_COND_INIT,
	F_BARRIER_INIT, F_RWLOCK_INIT, F_SEM_INIT, F_SEM_WAIT, F_SEM_POST, F_FORK, F_COUNT
};

static const char *const fault_names[F_COUNT] = {
	"malloc", "calloc", "realloc", "strdup", "pthread_create", "pthread_mutex_init",
	"pthread_cond_init", "pthread_barrier_init", "pthread_rwlock_init", "sem_init",
	"sem_wait", "sem_post", "fork",
};

/*
 * The armed fault. The learner's threads read and count it while the test's
 * thread arms it, so every field is atomic; all relaxed, so that the shim adds
 * no happens-before edge between threads that could hide a race from TSan.
 * named stays after disarm (armed goes to -1), so a later assertion still
 * names the fault.
 */
static struct {
	atomic_int armed;	/* enum fault_fn, or -1: no call fails */
	atomic_int named;	/* the fn armed last, or -1: never armed */
	atomic_long n;		/* which call fails, from 1 */
	atomic_int err;
	atomic_long calls;	/* calls of the armed fn since it was armed */
	atomic_bool fired;
} fault = { -1, -1, 0, 0, 0, false };

/*
 * Helgrind and DRD take C11 atomics for plain accesses and would report the
 * shim's counting as a race of the learner's threads: they are told to leave
 * this state alone. DRD's request is spelled out (drd.h and helgrind.h cannot
 * both be included); its number is part of Valgrind's fixed client ABI.
 */
static void fault_untrack(void)
{
#ifdef RL_FAULT_VALGRIND
	VALGRIND_HG_DISABLE_CHECKING(&fault, sizeof fault);
	VALGRIND_DO_CLIENT_REQUEST_STMT(VG_USERREQ_TOOL_BASE('D', 'R') + 2, &fault, sizeof fault, 0, 0, 0);
#endif
}

static int fault_lookup(const char *fn)
{
	for (int i = 0; i < F_COUNT; i++)
		if (strcmp(fault_names[i], fn) == 0)
			return i;
	return -1;
}

void rl_fault_arm(const char *fn, int n, int err)
{
	int f = fault_lookup(fn);
	ck_assert_msg(f >= 0, "rl_fault_arm: racelab cannot make %s fail (racelab_test.h lists what it can)", fn);
	ck_assert_msg(n >= 1, "rl_fault_arm: the call to fail is counted from 1, not %d", n);
	fault_untrack();
	atomic_store_explicit(&fault.armed, -1, memory_order_relaxed);
	atomic_store_explicit(&fault.n, n, memory_order_relaxed);
	atomic_store_explicit(&fault.err, err, memory_order_relaxed);
	atomic_store_explicit(&fault.calls, 0, memory_order_relaxed);
	atomic_store_explicit(&fault.fired, false, memory_order_relaxed);
	atomic_store_explicit(&fault.named, f, memory_order_relaxed);
	atomic_store_explicit(&fault.armed, f, memory_order_relaxed);
}

void rl_fault_disarm(void)
{
	atomic_store_explicit(&fault.armed, -1, memory_order_relaxed);
}

bool rl_fault_fired(void)
{
	return atomic_load_explicit(&fault.fired, memory_order_relaxed);
}

long rl_fault_calls(void)
{
	return atomic_load_explicit(&fault.calls, memory_order_relaxed);
}

/* 1st, 2nd, 3rd, 4th ... 11th, 12th, 13th ... 21st. */
static const char *fault_suffix(long n)
{
	if (n % 100 >= 11 && n % 100 <= 13)
		return "th";
	return n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
}

const char *rl_fault_what(void)
{
	static _Thread_local char what[160];
	int f = atomic_load_explicit(&fault.named, memory_order_relaxed);
	if (f < 0)
		return "";
	long n = atomic_load_explicit(&fault.n, memory_order_relaxed);
	int err = atomic_load_explicit(&fault.err, memory_order_relaxed);
	const char *e = strerrorname_np(err);
	char num[24];
	snprintf(num, sizeof num, "error %d", err);
	if (rl_fault_fired())
		snprintf(what, sizeof what, "the %ld%s %s failing, %s", n, fault_suffix(n), fault_names[f], e ? e : num);
	else
		snprintf(what, sizeof what, "the %ld%s %s armed to fail, %s: made %ld call%s", n, fault_suffix(n),
			 fault_names[f], e ? e : num, rl_fault_calls(), rl_fault_calls() == 1 ? "" : "s");
	return what;
}

int rl_fault_sweep(const char *fn, int err, void (*body)(void *arg), void *arg)
{
	for (int k = 1; k <= RL_FAULT_SWEEP_MAX; k++) {
		rl_fault_arm(fn, k, err);
		body(arg);
		bool fired = rl_fault_fired();
		rl_fault_disarm();
		if (!fired)
			return k - 1;
	}
	ck_abort_msg("rl_fault_sweep: the code made more than %d %s calls", RL_FAULT_SWEEP_MAX, fn);
}

/* Check's failure, with the armed fault added to its message. */
void rl_fault_ck_failed(const char *file, int line, const char *expr, const char *msg, ...)
{
	char text[4096];
	if (msg) {
		va_list ap;
		va_start(ap, msg);
		vsnprintf(text, sizeof text, msg, ap);
		va_end(ap);
	} else {
		snprintf(text, sizeof text, "%s", expr);
	}
	const char *what = rl_fault_what();
	size_t len = strlen(text);
	if (*what)
		snprintf(text + len, sizeof text - len, " (with %s)", what);
	_ck_assert_failed(file, line, expr, "%s", text);
}

/* Whether this call of f is the one that fails: counts it while f is armed. */
static bool fault_hit(int f)
{
	if (atomic_load_explicit(&fault.armed, memory_order_relaxed) != f)
		return false;
	long k = atomic_fetch_add_explicit(&fault.calls, 1, memory_order_relaxed) + 1;
	if (k != atomic_load_explicit(&fault.n, memory_order_relaxed))
		return false;
	atomic_store_explicit(&fault.fired, true, memory_order_relaxed);
	return true;
}

static int fault_err(void)
{
	return atomic_load_explicit(&fault.err, memory_order_relaxed);
}

/* A call that reports failure as -1 with errno. */
static int fault_errno(void)
{
	errno = fault_err();
	return -1;
}

/*
 * Under the schedules gate, the learner's heap blocks counted (rl_heap_count): the set of addresses
 * its malloc, calloc, realloc and strdup returned and its free has not taken back. No lock: the
 * scheduler runs one thread at a time. Elsewhere nothing is counted: a lock here would order the
 * learner's threads and hide a race from ThreadSanitizer, and there memcheck weighs leaks.
 */
enum { HEAP_BITS = 14, HEAP_SLOTS = 1 << HEAP_BITS };
#define HEAP_GONE ((void *)1)	/* a slot whose block was freed: the probe goes on past it */
static struct {
	bool on, lost;		/* counting; the set filled up, so the count is no longer known */
	long held;
	void *slot[HEAP_SLOTS];
} heap;

static size_t heap_home(const void *p)
{
	return (size_t)(((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ull >> (64 - HEAP_BITS));
}

static void heap_took(void *p)
{
	if (!heap.on || p == NULL)
		return;
	size_t at = HEAP_SLOTS;
	for (size_t i = 0, h = heap_home(p); i < HEAP_SLOTS; i++, h = (h + 1) % HEAP_SLOTS) {
		if (heap.slot[h] == p)
			return;	/* counted already: a block the tests freed, handed out again */
		if (heap.slot[h] == HEAP_GONE && at == HEAP_SLOTS)
			at = h;
		if (heap.slot[h] == NULL) {
			if (at == HEAP_SLOTS)
				at = h;
			break;
		}
	}
	if (at == HEAP_SLOTS) {
		heap.lost = true;
		return;
	}
	heap.slot[at] = p;
	heap.held++;
}

static void heap_gave(void *p)
{
	if (!heap.on || p == NULL)
		return;
	for (size_t i = 0, h = heap_home(p); i < HEAP_SLOTS && heap.slot[h] != NULL; i++, h = (h + 1) % HEAP_SLOTS)
		if (heap.slot[h] == p) {
			heap.slot[h] = HEAP_GONE;
			heap.held--;
			return;
		}
}

void rl_heap_count(void)
{
	if (!rl_under_scheduler())
		return;
	memset(&heap, 0, sizeof heap);
	heap.on = true;
}

long rl_heap_held(void)
{
	return heap.on && !heap.lost ? heap.held : -1;
}

void *rl_fault_malloc(size_t size);
void rl_fault_free(void *p);
void *rl_fault_calloc(size_t n, size_t size);
void *rl_fault_realloc(void *p, size_t size);
char *rl_fault_strdup(const char *s);
int rl_fault_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg);
int rl_fault_pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a);
int rl_fault_pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *a);
int rl_fault_pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *a, unsigned count);
int rl_fault_pthread_rwlock_init(pthread_rwlock_t *l, const pthread_rwlockattr_t *a);
int rl_fault_sem_init(sem_t *s, int pshared, unsigned value);
int rl_fault_sem_wait(sem_t *s);
int rl_fault_sem_post(sem_t *s);
pid_t rl_fault_fork(void);
int rl_fault_thrd_create(thrd_t *t, thrd_start_t fn, void *arg);
int rl_fault_mtx_init(mtx_t *m, int type);
int rl_fault_cnd_init(cnd_t *c);

void *rl_fault_malloc(size_t size)
{
	if (fault_hit(F_MALLOC))
		return errno = fault_err(), NULL;
	void *p = malloc(size);
	heap_took(p);
	return p;
}

void *rl_fault_calloc(size_t n, size_t size)
{
	if (fault_hit(F_CALLOC))
		return errno = fault_err(), NULL;
	void *p = calloc(n, size);
	heap_took(p);
	return p;
}

void *rl_fault_realloc(void *p, size_t size)
{
	if (fault_hit(F_REALLOC))
		return errno = fault_err(), NULL;
	void *q = realloc(p, size);
	if (q != NULL || size == 0) {	/* moved, or (size 0) freed; a failed realloc keeps p */
		heap_gave(p);
		heap_took(q);
	}
	return q;
}

char *rl_fault_strdup(const char *s)
{
	if (fault_hit(F_STRDUP))
		return errno = fault_err(), NULL;
	char *p = strdup(s);
	heap_took(p);
	return p;
}

void rl_fault_free(void *p)
{
	heap_gave(p);
	free(p);
}

int rl_fault_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg)
{
	return fault_hit(F_PTHREAD_CREATE) ? fault_err() : pthread_create(t, a, fn, arg);
}

int rl_fault_pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a)
{
	return fault_hit(F_MUTEX_INIT) ? fault_err() : pthread_mutex_init(m, a);
}

int rl_fault_pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *a)
{
	return fault_hit(F_COND_INIT) ? fault_err() : pthread_cond_init(c, a);
}

int rl_fault_pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *a, unsigned count)
{
	return fault_hit(F_BARRIER_INIT) ? fault_err() : pthread_barrier_init(b, a, count);
}

int rl_fault_pthread_rwlock_init(pthread_rwlock_t *l, const pthread_rwlockattr_t *a)
{
	return fault_hit(F_RWLOCK_INIT) ? fault_err() : pthread_rwlock_init(l, a);
}

int rl_fault_sem_init(sem_t *s, int pshared, unsigned value)
{
	return fault_hit(F_SEM_INIT) ? fault_errno() : sem_init(s, pshared, value);
}

int rl_fault_sem_wait(sem_t *s)
{
	return fault_hit(F_SEM_WAIT) ? fault_errno() : sem_wait(s);
}

int rl_fault_sem_post(sem_t *s)
{
	return fault_hit(F_SEM_POST) ? fault_errno() : sem_post(s);
}

pid_t rl_fault_fork(void)
{
	return fault_hit(F_FORK) ? fault_errno() : fork();
}

/*
 * C11 <threads.h>: the same faults under their pthread names (a test arms "pthread_create" and a
 * learner who starts threads with thrd_create meets it too), reported as C11 reports them:
 * glibc's thrd_err_map turns ENOMEM into thrd_nomem, EBUSY into thrd_busy, the rest into thrd_error.
 */
static int fault_thrd(void)
{
	return rl_thrd_from_errno(fault_err());
}

int rl_fault_thrd_create(thrd_t *t, thrd_start_t fn, void *arg)
{
	return fault_hit(F_PTHREAD_CREATE) ? fault_thrd() : thrd_create(t, fn, arg);
}

int rl_fault_mtx_init(mtx_t *m, int type)
{
	return fault_hit(F_MUTEX_INIT) ? fault_thrd() : mtx_init(m, type);
}

int rl_fault_cnd_init(cnd_t *c)
{
	return fault_hit(F_COND_INIT) ? fault_thrd() : cnd_init(c);
}
