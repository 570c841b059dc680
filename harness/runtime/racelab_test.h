/* racelab_test.h: what every lab's Check suite may use from the harness. */
#ifndef RACELAB_TEST_H
#define RACELAB_TEST_H

#include <check.h>
#include <pthread.h>
#include <stddef.h>

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

#endif
