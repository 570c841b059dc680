/* shim_noise.c: the stress gate's schedule noise at every sync call, linked with --wrap (build.c). */
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <time.h>

#include "rl_noise.h"

/*
 * A rare interleaving needs a thread to lose the CPU at the wrong moment. Before
 * each sync call of any thread (the learner's, the tests'), this shim may yield
 * or sleep a little, as rl_noise_next() decides: from RACELAB_NOISE_SEED, which
 * the harness picks for each stress run and names when the run fails. Threads
 * are numbered in the order they first reach a sync call; each has its own
 * stream, so a seed makes the same choices at each thread's k-th call (the
 * kernel still schedules: a seed makes a failure likelier to come back, not sure).
 */
static uint64_t noise_seed;	/* set once, before main: read-only after */
static atomic_uint noise_threads;

/*
 * The whole process's noise, in real time. A yield on a busy machine can cost a whole time
 * slice, so budgets counted in yields (rl_noise.h) can still add up to seconds across many
 * threads and push correct code past its timeout; past this much real time the noise stops.
 */
enum { NOISE_PROCESS_BUDGET_US = 100000 };
static atomic_long noise_spent_us;

static long noise_now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000L + t.tv_nsec / 1000;
}

__attribute__((constructor)) static void noise_init(void)
{
	noise_seed = rl_noise_env_seed();
}

void rl_noise_point(void)
{
	static _Thread_local struct rl_noise stream;
	static _Thread_local int started;
	if (noise_seed == 0 || atomic_load_explicit(&noise_spent_us, memory_order_relaxed) > NOISE_PROCESS_BUDGET_US)
		return;
	if (!started) {
		started = 1;
		rl_noise_start(&stream, noise_seed,
			       atomic_fetch_add_explicit(&noise_threads, 1, memory_order_relaxed));
	}
	int c = rl_noise_next(&stream);
	if (c == 0)
		return;
	long start = noise_now_us();
	if (c == RL_NOISE_YIELD) {
		sched_yield();
	} else {
		struct timespec ts = { 0, c * 1000L };
		nanosleep(&ts, NULL); /* interrupted: the noise is shorter, nothing else */
	}
	atomic_fetch_add_explicit(&noise_spent_us, noise_now_us() - start, memory_order_relaxed);
}

/* One wrapper per call: the noise, then the real call. */
#define NOISY(ret, fn, params, args)        \
	ret __real_##fn params;             \
	ret __wrap_##fn params;             \
	ret __wrap_##fn params              \
	{                                   \
		rl_noise_point();           \
		return __real_##fn args;    \
	}

NOISY(int, pthread_mutex_lock, (pthread_mutex_t *m), (m))
NOISY(int, pthread_mutex_trylock, (pthread_mutex_t *m), (m))
NOISY(int, pthread_mutex_unlock, (pthread_mutex_t *m), (m))
NOISY(int, pthread_cond_signal, (pthread_cond_t *c), (c))
NOISY(int, pthread_cond_broadcast, (pthread_cond_t *c), (c))
NOISY(int, sem_wait, (sem_t *s), (s))
NOISY(int, sem_post, (sem_t *s), (s))
NOISY(int, pthread_barrier_wait, (pthread_barrier_t *b), (b))
NOISY(int, pthread_rwlock_rdlock, (pthread_rwlock_t *l), (l))
NOISY(int, pthread_rwlock_wrlock, (pthread_rwlock_t *l), (l))
NOISY(int, pthread_rwlock_unlock, (pthread_rwlock_t *l), (l))
NOISY(int, pthread_create, (pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg), (t, a, fn, arg))
NOISY(int, pthread_join, (pthread_t t, void **ret), (t, ret))
