/* test_sweep.c: Check suite for 32-phase-race; the tests own the threads and compare with one thread's result. */
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

/* What one thread alone computes: the reference every run must match. */
static void reference(const long *start, long *out, int rounds)
{
	long tmp[CELLS];
	for (int i = 0; i < CELLS; i++)
		out[i] = start[i];
	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < CELLS; i++)
			tmp[i] = sweep_rule(out[(i + CELLS - 1) % CELLS], out[i], out[(i + 1) % CELLS]);
		for (int i = 0; i < CELLS; i++)
			out[i] = tmp[i];
	}
}

static void run_sweep(int nthreads, int rounds, int slow_machine)
{
	long start[CELLS], want[CELLS];
	for (int i = 0; i < CELLS; i++)
		start[i] = (i * 7919L) % 1000;
	reference(start, want, rounds);

	ck_assert_msg(sweep_init(&ring, CELLS, nthreads, start) == 0, "sweep_init failed");
	if (slow_machine) {
		ring.phase.on_arrive = lead_arrives;
		ring.phase.on_leave = others_fall_behind;
	}
	struct worker_arg args[MAXTHREADS];
	for (int i = 0; i < nthreads; i++)
		args[i] = (struct worker_arg){ .id = i, .rounds = rounds };
	rl_parallel(nthreads, worker, args, sizeof args[0]);

	for (int i = 0; i < CELLS; i++)
		ck_assert_msg(ring.cur[i] == want[i],
			      "cell %d is %ld after %d rounds on %d threads, expected %ld (what one thread "
			      "computes): a round read cells that the round before had not finished writing",
			      i, ring.cur[i], rounds, nthreads, want[i]);
	sweep_destroy(&ring);
}

START_TEST(one_thread)
{
	run_sweep(1, 10, 0);
}
END_TEST

/* Four threads at full speed: the race the tools look for. */
START_TEST(four_threads)
{
	run_sweep(4, 20, 0);
}
END_TEST

/* Four threads, three of them always behind: shows the wrong result every run. */
START_TEST(four_threads_on_a_busy_machine)
{
	run_sweep(4, 20, 1);
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("32-phase-race");
	TCase *tc = tcase_create("sweep");
	tcase_add_test(tc, one_thread);
	tcase_add_test(tc, four_threads);
	tcase_add_test(tc, four_threads_on_a_busy_machine);
	suite_add_tcase(s, tc);
	return s;
}
