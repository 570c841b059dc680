/* test_fanout.c: Check suite for 52-thread-leak; the tests hand fanout_run their tasks and read the results. */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <unistd.h>

#include "fanout.h"
#include "racelab_test.h"

enum { TASKS = 4, HOLD_MS = 200, GONE_MS = 2000 };

/*
 * The tests talk to the tasks only through relaxed atomics, which order nothing.
 * So when the caller reads a result, the only thing that can have made the task's
 * write happen before that read is fanout_run itself (pthread_join does).
 */
static atomic_int tids[TASKS];          /* each task's thread id */
/* Static, not local: for a local array, ThreadSanitizer's compiler pass can leave
 * the reads below unchecked when it does not see that array escape to threads. */
static struct task tasks[TASKS];
static atomic_bool fanout_returned;

static long expected(int id)
{
	return 1000L + id;
}

static void note_thread(struct task *t)
{
	atomic_store_explicit(&tids[t->id], gettid(), memory_order_relaxed);
}

static void quick_task(struct task *t)
{
	note_thread(t);
	t->result = expected(t->id);
}

/* Runs until fanout_run has returned; a fanout_run that waits for its tasks
 * cannot return first, so there it stops after HOLD_MS instead. */
static void slow_task(struct task *t)
{
	note_thread(t);
	for (int ms = 0; ms < HOLD_MS; ms++) {
		if (atomic_load_explicit(&fanout_returned, memory_order_relaxed))
			break;
		rl_sleep_ms(1);
	}
	t->result = expected(t->id);
}

static void make_tasks(void (*fn)(struct task *))
{
	for (int i = 0; i < TASKS; i++)
		tasks[i] = (struct task){ .fn = fn, .id = i, .result = 0 };
}

static int count_ready(void)
{
	int ready = 0;
	for (int i = 0; i < TASKS; i++)
		ready += tasks[i].result == expected(i);
	return ready;
}

/*
 * Wait until every task's thread has ended, joined or not, so that the tools see
 * what fanout_run left behind when the test ends: a thread nobody joined is
 * reported by ThreadSanitizer only once it has finished.
 */
static void wait_for_task_threads(int started)
{
	for (int ms = 0; ms < GONE_MS; ms += 5) {
		int alive = 0;
		for (int i = 0; i < started; i++) {
			int tid = atomic_load_explicit(&tids[i], memory_order_relaxed);
			alive += tid == 0 || tgkill(getpid(), tid, 0) == 0;
		}
		if (alive == 0)
			return;
		rl_sleep_ms(5);
	}
}

START_TEST(every_task_runs_on_its_own_thread)
{
	make_tasks(quick_task);

	int rc = fanout_run(tasks, TASKS);
	int ready = count_ready();
	wait_for_task_threads(TASKS);

	ck_assert_msg(rc == 0, "fanout_run returned %d", rc);
	ck_assert_msg(ready == TASKS,
		      "when fanout_run returned, %d of %d results were ready: it must not "
		      "return before every task has finished", ready, TASKS);
	for (int i = 0; i < TASKS; i++) {
		int tid = atomic_load_explicit(&tids[i], memory_order_relaxed);
		ck_assert_msg(tid != 0 && tid != gettid(),
			      "task %d did not run on a thread of its own", i);
		for (int j = 0; j < i; j++)
			ck_assert_msg(tid != atomic_load_explicit(&tids[j], memory_order_relaxed),
				      "tasks %d and %d ran on the same thread", j, i);
	}
}
END_TEST

START_TEST(results_are_ready_when_fanout_returns)
{
	make_tasks(slow_task);

	int rc = fanout_run(tasks, TASKS);
	int ready = count_ready();
	atomic_store_explicit(&fanout_returned, true, memory_order_relaxed);
	wait_for_task_threads(TASKS);

	ck_assert_msg(rc == 0, "fanout_run returned %d", rc);
	ck_assert_msg(ready == TASKS,
		      "fanout_run returned while %d of %d tasks were still running: it must "
		      "wait for (join) every thread it started", TASKS - ready, TASKS);
}
END_TEST

/* One run of fanout_run with the fault the sweep armed (or none, its last round). */
static void run_with_a_failed_start(void *arg)
{
	(void)arg;
	make_tasks(quick_task);
	for (int i = 0; i < TASKS; i++)
		atomic_store_explicit(&tids[i], 0, memory_order_relaxed);

	int rc = fanout_run(tasks, TASKS);
	int ready = count_ready();
	/* The threads fanout_run asked for: the failed call started none. */
	int started = (int)rl_fault_calls() - (rl_fault_fired() ? 1 : 0);
	wait_for_task_threads(started);

	/* A fix may retry a failed start: then all ran. */
	if (rc == 0) {
		ck_assert_msg(ready == TASKS, "fanout_run returned 0 with %d of %d results ready", ready, TASKS);
		return;
	}
	ck_assert_msg(rc == -1 && rl_fault_fired(), "fanout_run returned %d", rc);
	ck_assert_msg(ready == started,
		      "fanout_run returned -1 while %d of the %d tasks it had started were still running: "
		      "it must wait for (join) them before it returns", started - ready, started);
}

/* Each pthread_create in turn fails: fanout_run says so, and what it started has finished. */
START_TEST(a_thread_that_cannot_start_leaves_nothing_running)
{
	int faults = rl_fault_sweep("pthread_create", EAGAIN, run_with_a_failed_start, NULL);
	ck_assert_msg(faults >= 1, "fanout_run never called pthread_create");
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("52-thread-leak");
	TCase *tc = tcase_create("fanout");
	tcase_add_test(tc, every_task_runs_on_its_own_thread);
	tcase_add_test(tc, results_are_ready_when_fanout_returns);
	tcase_add_test(tc, a_thread_that_cannot_start_leaves_nothing_running);
	suite_add_tcase(s, tc);
	return s;
}
