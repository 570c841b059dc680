/* test_sweep.c: Check suite for 32-phase-race; the tests own the threads and compare with one thread's result. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "racelab_test.h"
#include "sweep.h"

enum { CELLS = 64, MAXTHREADS = 4 };

static struct sweep ring;

struct worker_arg {
	int id;
	int rounds;
};

/*
 * The slow-machine test: thread 0 runs ahead, and every other thread, after
 * leaving its k-th barrier, waits until thread 0 has arrived at barrier k+1
 * (or has finished). Barrier k+1 cannot open before they get there, so correct
 * code only waits a little; code that lets a thread into the next phase
 * without a barrier in between lets thread 0 read their slices too early,
 * on every run.
 */
static pthread_mutex_t lead_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t lead_moved = PTHREAD_COND_INITIALIZER;
static int lead_arrivals;                  /* barriers thread 0 has arrived at */
static int lead_finished;                  /* thread 0 has returned from sweep_run */
static _Thread_local int my_id = -1;
static _Thread_local int my_leaves;        /* barriers this thread has left */

static void lead_arrives(void)
{
	if (my_id != 0)
		return;
	pthread_mutex_lock(&lead_lock);
	lead_arrivals++;
	pthread_cond_broadcast(&lead_moved);
	pthread_mutex_unlock(&lead_lock);
}

static void others_fall_behind(void)
{
	if (my_id == 0)
		return;
	int k = ++my_leaves;
	pthread_mutex_lock(&lead_lock);
	while (lead_arrivals < k + 1 && !lead_finished)
		pthread_cond_wait(&lead_moved, &lead_lock);
	pthread_mutex_unlock(&lead_lock);
}

/*
 * The README asks for phase_wait at every barrier: it is how the busy-machine
 * test holds threads back. Counted per thread (each slot written by its own
 * thread only), so a sweep that waits at pthread_barrier_wait directly, or at
 * a barrier of its own, is told so instead of passing untested.
 */
static int arrivals[MAXTHREADS];

static void count_arrival(void)
{
	arrivals[my_id]++;
}

static void on_arrive_busy(void)
{
	count_arrival();
	lead_arrives();
}

static void *worker(void *p)
{
	struct worker_arg *a = p;
	my_id = a->id;
	sweep_run(&ring, a->id, a->rounds);
	if (a->id == 0) {
		pthread_mutex_lock(&lead_lock);
		lead_finished = 1;
		pthread_cond_broadcast(&lead_moved);
		pthread_mutex_unlock(&lead_lock);
	}
	return NULL;
}

/*
 * Valgrind (Helgrind, DRD) runs one thread at a time, many times slower: under
 * it a sweep of shapes runs only its first few, which keep the shapes where a
 * race shows. The plain run and the stress runs sweep them all: a wrong shape
 * fails or hangs there, and no tool is needed to see it.
 */
static unsigned shapes_to_run(unsigned n)
{
	return rl_under_valgrind() && n > 3 ? 3 : n;
}

/* What one thread alone computes: the reference every run must match. */
static void reference(const long *start, long *out, int ncells, int rounds)
{
	long tmp[CELLS];
	for (int i = 0; i < ncells; i++)
		out[i] = start[i];
	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < ncells; i++)
			tmp[i] = sweep_rule(out[(i + ncells - 1) % ncells], out[i], out[(i + 1) % ncells]);
		for (int i = 0; i < ncells; i++)
			out[i] = tmp[i];
	}
}

/* The ring's first values, and what one thread alone ends with after rounds. */
static void start_and_want(long *start, long *want, int ncells, int rounds)
{
	for (int i = 0; i < ncells; i++)
		start[i] = (i * 7919L) % 1000;
	reference(start, want, ncells, rounds);
}

static void run_sweep(int ncells, int nthreads, int rounds, int slow_machine)
{
	long start[CELLS], want[CELLS];
	start_and_want(start, want, ncells, rounds);

	/* A fresh record for each sweep: a test may run several. */
	lead_arrivals = 0;
	lead_finished = 0;
	for (int i = 0; i < MAXTHREADS; i++)
		arrivals[i] = 0;

	ck_assert_msg(sweep_init(&ring, ncells, nthreads, start) == 0, "sweep_init failed");
	ring.phase.on_arrive = slow_machine ? on_arrive_busy : count_arrival;
	if (slow_machine)
		ring.phase.on_leave = others_fall_behind;
	struct worker_arg args[MAXTHREADS];
	for (int i = 0; i < nthreads; i++)
		args[i] = (struct worker_arg){ .id = i, .rounds = rounds };
	rl_parallel(nthreads, worker, args, sizeof args[0]);

	for (int i = 0; i < ncells; i++)
		ck_assert_msg(ring.cur[i] == want[i],
			      "cell %d of %d is %ld after %d rounds on %d threads, expected %ld (what one thread "
			      "computes): a round read cells that the round before had not finished writing",
			      i, ncells, ring.cur[i], rounds, nthreads, want[i]);
	for (int t = 0; t < nthreads && nthreads > 1; t++)
		ck_assert_msg(arrivals[t] >= rounds,
			      "thread %d of %d waited at phase_wait %d times in %d rounds: wait at every barrier "
			      "with phase_wait (the README's rule; the tests hold threads back there)",
			      t, nthreads, arrivals[t], rounds);
	sweep_destroy(&ring);
}

START_TEST(one_thread)
{
	run_sweep(CELLS, 1, 10, 0);
}
END_TEST

/* Four threads at full speed: the race the tools look for. */
START_TEST(four_threads)
{
	run_sweep(CELLS, 4, 20, 0);
}
END_TEST

/*
 * Shapes: one round and a few, odd and even (double buffering must end with
 * the result in cur, whatever the count); odd and even thread counts, uneven
 * slices, slices of one cell, and more threads than cells (empty slices; a
 * ring of one cell is its own neighbour). A list, not every combination:
 * DRD runs each sweep one thread at a time.
 */
START_TEST(every_shape)
{
	static const int shapes[][3] = {   /* cells, threads, rounds */
		{ 1, 2, 1 }, { 3, 4, 3 }, { 5, 2, 1 }, { 5, 3, 2 },
		{ 13, 3, 1 }, { 13, 4, 3 }, { CELLS, 2, 3 }, { CELLS, 4, 1 },
	};
	for (unsigned i = 0; i < shapes_to_run(sizeof shapes / sizeof shapes[0]); i++)
		run_sweep(shapes[i][0], shapes[i][1], shapes[i][2], 0);
}
END_TEST

/* Four threads, three of them always behind: shows the wrong result every run. */
START_TEST(four_threads_on_a_busy_machine)
{
	run_sweep(CELLS, 4, 20, 1);
}
END_TEST

/* The same with three threads (uneven slices) and an odd number of rounds. */
START_TEST(three_threads_on_a_busy_machine)
{
	run_sweep(13, 3, 7, 1);
}
END_TEST

enum { SETUP_FAILED = 42, CELLS_WRONG = 43 };

/* In a child process: four threads sweep the ring, the first call of arg's allocator in sweep_run failing. */
static int sweep_out_of_memory(void *arg)
{
	const char *allocator = arg;
	long start[CELLS], want[CELLS];
	start_and_want(start, want, CELLS, 5);
	if (sweep_init(&ring, CELLS, 4, start) != 0)
		return SETUP_FAILED;
	ring.phase.on_arrive = count_arrival;
	struct worker_arg args[4];
	pthread_t t[4];
	rl_fault_arm(allocator, 1, ENOMEM);
	for (int i = 0; i < 4; i++) {
		args[i] = (struct worker_arg){ .id = i, .rounds = 5 };
		rl_spawn(&t[i], worker, &args[i]);
	}
	for (int i = 0; i < 4; i++)
		rl_join(t[i]);
	rl_fault_disarm();
	for (int i = 0; i < CELLS; i++)
		if (ring.cur[i] != want[i])
			return CELLS_WRONG;
	return 0;
}

/*
 * sweep_run has no way to report a failure (sweep.h): a sweep_run that needs
 * memory and gets none must end the program, not return and leave the other
 * threads waiting at the next barrier for it (a hang), nor skip its slice. A
 * fix that allocates nothing in sweep_run passes as it is. In a child process,
 * so that ending the program is an allowed outcome; for malloc, calloc and
 * realloc in turn. Not under the schedules gate, which cannot follow the fork,
 * nor under DRD (below).
 */
START_TEST(sweep_run_out_of_memory)
{
	static const char *const allocators[] = { "malloc", "calloc", "realloc" };
	/* DRD takes a process that ends with threads inside pthread calls for one that destroys
	 * their mutexes and barriers in use (measured: MutexErr, BarrierErr on the test's own). */
	if (rl_under_scheduler() || rl_under_tool("drd"))
		return;
	for (unsigned i = 0; i < sizeof allocators / sizeof allocators[0]; i++) {
		int status = rl_run_apart(sweep_out_of_memory, (void *)allocators[i]);
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT)
			continue;	/* it ended the program, as allowed */
		ck_assert_msg(!WIFSIGNALED(status), "with sweep_run's first %s failing, the sweep crashed (signal %d)",
			      allocators[i], WTERMSIG(status));
		ck_assert_msg(WEXITSTATUS(status) != SETUP_FAILED, "sweep_init failed");
		ck_assert_msg(WEXITSTATUS(status) != CELLS_WRONG,
			      "with sweep_run's first %s failing, the sweep returned with cells that are not what "
			      "one thread computes: a thread that cannot go on must end the program", allocators[i]);
		ck_assert_int_eq(WEXITSTATUS(status), 0);
	}
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("32-phase-race");
	TCase *tc = tcase_create("sweep");
	tcase_add_test(tc, one_thread);
	tcase_add_test(tc, four_threads);
	tcase_add_test(tc, every_shape);
	tcase_add_test(tc, four_threads_on_a_busy_machine);
	tcase_add_test(tc, three_threads_on_a_busy_machine);
	tcase_add_test(tc, sweep_run_out_of_memory);
	suite_add_tcase(s, tc);
	return s;
}
