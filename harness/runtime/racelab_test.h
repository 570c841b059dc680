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
