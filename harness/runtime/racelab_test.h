/* racelab_test.h: what every lab's Check suite may use from the harness. */
#ifndef RACELAB_TEST_H
#define RACELAB_TEST_H

#include <check.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Each lab's test file defines this; the harness's main runs it. */
Suite *lab_suite(void);

/*
 * Run fn on n threads at once and join them all. Thread i gets
 * (char *)args + i * stride, so stride 0 hands every thread the same pointer.
 * All n threads start together (a start barrier), so their work overlaps.
 * The tests, not the learner's code, own these threads: a fix cannot pass by
 * removing the concurrency.
 */
void rl_parallel(int n, void *(*fn)(void *), void *args, size_t stride);

/* pthread_create / pthread_join that fail the test loudly instead of returning. */
void rl_spawn(pthread_t *t, void *(*fn)(void *), void *arg);
void *rl_join(pthread_t t);

/*
 * n in a plain run; n / 50 (at least 100) under ThreadSanitizer or Valgrind,
 * which the harness says in RACELAB_TOOL. The tools see a race in a few
 * iterations; the plain run needs many for threads to really overlap, and the
 * tools would take minutes over them. A lab whose tools need less (or more)
 * says so in lab.ini: [limits] tool_scale = 1000 makes it n / 1000. Under
 * massif (the memory gate), which weighs the heap at its peak, n.
 */
long rl_scale(long n);

/*
 * Whether the suite runs under the schedules gate's controlled scheduler, which
 * explores small shapes: a test that sweeps sizes keeps to the small ones
 * there (it models at most 256 threads and 512 sync objects, and gives up a
 * schedule after 200000 steps), and a test that needs a real process of its own
 * (fork, exit) leaves the gate alone.
 */
bool rl_under_scheduler(void);

/* Whether the suite runs under tool (RACELAB_TOOL: "tsan", "helgrind", "drd", "memcheck", "massif", "schedules"). */
bool rl_under_tool(const char *tool);

/* Under Helgrind, DRD or memcheck: Valgrind runs one thread at a time, many times slower. */
bool rl_under_valgrind(void);

/* Sleep for ms milliseconds (nanosleep, restarted on EINTR). */
void rl_sleep_ms(long ms);

/*
 * Is thread tid of this process (the number gettid() gave it) asleep in a
 * blocking call: a futex wait (mutex, condition variable, semaphore, barrier,
 * join), a read or write on a full pipe, a sleep? A test that lines threads up
 * where a bug bites must know that a thread has reached its blocking call, and
 * no pthreads call tells one thread that about another; the kernel's scheduler
 * does. This reads the "State:" line of /proc/self/task/TID/status: true for
 * 'S' (interruptible sleep); false while the thread runs or could run, and
 * once it has exited. A thread that is asleep may be asleep on a lock on its
 * way to the call the test waits for: a test that must know which call it
 * sleeps in looks twice, or makes sure no lock is contended.
 */
bool rl_thread_asleep(pid_t tid);

/* Poll rl_thread_asleep every millisecond until it is true; fail the test if the thread exits first. */
void rl_wait_until_asleep(pid_t tid);

/*
 * How many times thread tid has gone to sleep so far: the
 * "voluntary_ctxt_switches:" line of the same file, or -1 once it has exited.
 * Over a window in which the thread should sleep once, a thread that polls
 * (sleep, look, sleep again) shows dozens.
 */
long rl_thread_sleeps(pid_t tid);

/*
 * FAULT INJECTION (shim_fault.c). Make a call of the learner's code fail, as
 * the system may make it fail, to run its error paths. Only the calls made by
 * the learner's file count and fail: when the harness links a suite, it points
 * that one object's calls at the shim (objcopy --redefine-sym), so the tests',
 * this runtime's and Check's own calls never fail and are never counted. Every
 * build has it: plain, stress, ThreadSanitizer, and the Valgrind runs.
 *
 * fn names one of: "malloc", "calloc", "realloc", "strdup", "pthread_create",
 * "pthread_mutex_init", "pthread_cond_init", "pthread_barrier_init",
 * "pthread_rwlock_init", "sem_init", "sem_wait", "sem_post", "fork"
 * (anything else fails the test). C11's thrd_create, mtx_init and cnd_init
 * count as pthread_create, pthread_mutex_init and pthread_cond_init (a fix
 * may start its threads either way) and fail as C11 says: thrd_nomem for
 * ENOMEM, thrd_error for the rest.
 *
 * rl_fault_arm: the n-th call of fn (n >= 1), counted from now on every
 * thread, fails with err, once; every other call goes through. A pthread_*
 * call returns err; malloc, calloc, realloc and strdup return NULL with errno
 * err (give ENOMEM); sem_* and fork return -1 with errno err. Arming again
 * replaces the fault and restarts the count.
 *
 * The fault is named in the verdict: from rl_fault_arm until the test ends (or
 * the next arm), every failing ck_assert* / ck_abort* of the test's files adds
 * "(with the 2nd pthread_create failing, EAGAIN)", or "(with the 2nd
 * pthread_create armed to fail, EAGAIN: made 1 call)" when it never fired.
 * Each test runs in its own process (fork mode), so a fault never outlives it.
 *
 *     rl_fault_arm("pthread_create", 2, EAGAIN);
 *     int rc = fanout_run(tasks, 4);
 *     ck_assert_msg(rl_fault_fired(), "fanout_run made fewer than 2 pthread_create calls");
 *     ck_assert_int_eq(rc, -1);   // fails as "... (with the 2nd pthread_create failing, EAGAIN)"
 */
void rl_fault_arm(const char *fn, int n, int err);

/*
 * For an error path on which ending the program (abort, exit) is as allowed as
 * carrying on: run body(arg) in a child process and return its wait status
 * (WIFEXITED / WEXITSTATUS: body's return value; WIFSIGNALED / WTERMSIG: how it
 * died). The child's death does not end the test; a child that hangs does, at
 * the lab's timeout, where the watchdog shows where it waits. body reports with
 * its return value, not ck_assert. Not under the schedules gate, which cannot
 * follow a fork: a test checks rl_under_scheduler() first.
 *
 *     static int run_once(void *arg) { rl_fault_arm(...); fanout_run(...); return ok ? 0 : LOST; }
 *     int st = rl_run_apart(run_once, NULL);
 *     ck_assert_msg(WIFSIGNALED(st) ? WTERMSIG(st) == SIGABRT : WEXITSTATUS(st) == 0, ...);
 */
int rl_run_apart(int (*body)(void *arg), void *arg);

/*
 * Under the schedules gate, count the learner's heap blocks from now on: what
 * its malloc, calloc, realloc and strdup return and its free does not take
 * back. rl_heap_held says how many it still holds; -1 where nothing is counted
 * (every other gate: memcheck weighs leaks there) or too many to follow. A
 * block lost on a path that only a race takes (a delivery that loses a
 * compare-and-swap and forgets its node) shows under the scheduler, which
 * takes that path:
 *
 *     rl_heap_count();
 *     ... inbox_new(), the deliveries, inbox_free() ...
 *     ck_assert_msg(rl_heap_held() <= 0, ...);
 */
void rl_heap_count(void);
long rl_heap_held(void);

/* No more faults from now (the count stops); a failing assertion still names the fault armed last. */
void rl_fault_disarm(void);

/* Whether the armed fault has fired (the n-th call came and failed). */
bool rl_fault_fired(void);

/* How many calls of the armed fn the learner's code made since rl_fault_arm, the failed one included. */
long rl_fault_calls(void);

/* The armed fault in words, as the verdict names it: "the 2nd pthread_create failing, EAGAIN"; "" if none. */
const char *rl_fault_what(void);

/*
 * Every error path of one call, without knowing how many calls it makes: for
 * k = 1, 2, ...: arm (fn, k, err), run body(arg), then disarm; stop after the
 * first k whose fault did not fire (body made fewer than k calls: every call
 * has had its turn to fail). body sets up, calls the learner's code, asserts
 * what must hold after that failure and cleans up; its failing assertion names
 * the k it failed at. Returns how many faults fired (0: body never calls fn).
 * At most RL_FAULT_SWEEP_MAX rounds: a body that calls fn more often than that
 * fails the test.
 *
 *     static void run_once(void *arg) { ... fanout_run(...) ...; ck_assert(...); }
 *     ck_assert_int_ge(rl_fault_sweep("pthread_create", EAGAIN, run_once, NULL), TASKS);
 */
#define RL_FAULT_SWEEP_MAX 1000
int rl_fault_sweep(const char *fn, int err, void (*body)(void *arg), void *arg);

/*
 * Every ck_assert* and ck_abort* in a file that includes this header goes
 * through the shim, which adds the armed fault to the message (see above).
 */
void rl_fault_ck_failed(const char *file, int line, const char *expr, const char *msg, ...)
	__attribute__((noreturn, format(printf, 4, 5)));
#define _ck_assert_failed rl_fault_ck_failed

/*
 * SCHEDULE NOISE (shim_noise.c, rl_noise.c; the stress gate only). Every sync
 * call made by the learner's code or the tests (pthread mutex lock, trylock
 * and unlock, condvar wait, signal and broadcast, semaphore wait and post,
 * barrier wait, rwlock lock and unlock, pthread_create and pthread_join) first
 * may yield the CPU or sleep 1-200 microseconds, so that a rare interleaving
 * shows within the gate's runs. The choices come from a PRNG seeded from
 * RACELAB_NOISE_SEED, which the harness picks per stress run and names when a
 * run fails ("stress run 3 of 10, noise seed 1234"). Unset or 0: no noise. A
 * test needs nothing to have it. To rerun a failure with its seed, give it to
 * racelab: `RACELAB_NOISE_SEED=1234 racelab check NN` (every stress run then
 * uses that seed; RACELAB_NOISE_SEED=0 turns the noise off).
 */

/*
 * Run the calling thread on CPU 0 only; with background, also at nice 19. A
 * test that must make several calls in a row before a thread it woke runs
 * (two pops before a waiting producer pushes, a burst of puts before a woken
 * worker takes one) runs itself on CPU 0 and those threads in the background
 * there; a test that needs a woken thread to run at once, before the waker's
 * next line, runs the waker in the background. Measured on this kernel (6.18,
 * EEVDF): the order held 20 of 20 runs for each such test. Not SCHED_IDLE: a
 * SCHED_IDLE thread got no CPU for seconds on a loaded machine, and correct
 * code hung. Under a tool (TSan, Valgrind: RACELAB_TOOL set) it does nothing,
 * so the order is forced in the plain runs of the tests and stress gates only.
 */
void rl_one_cpu(bool background);

#endif
