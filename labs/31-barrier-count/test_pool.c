/* test_pool.c: Check suite for 31-barrier-count; the tests give the pool its work and count its threads. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>

#include "pool.h"
#include "racelab_test.h"

enum { MAXSHARDS = 8, MAXPHASES = 24 };

/*
 * The job, three steps over and over: load each shard, sum every shard's load,
 * copy the next shard's sum. A phase that starts before the one before it has
 * finished everywhere reads a load or a sum that is not there yet.
 * Each value is a long of its own: no two shards share bytes.
 */
static long loaded[MAXSHARDS];
static long summed[MAXSHARDS];
static long copied[MAXSHARDS];
static int runs[MAXPHASES][MAXSHARDS];          /* written by the one thread running that shard */
static pthread_t ran_by[MAXPHASES][MAXSHARDS];
/*
 * The reader inside the job: set when a shard has finished a phase, and read
 * by every shard as it starts the next one, which fails the test at once if
 * some shard has not finished. This checks "no phase starts before the one
 * before it has finished everywhere" while the job runs, at every phase of
 * every shape, not only through the data of the phase that sums. Plain ints,
 * each written by the one thread running that shard: the test adds no
 * synchronization of its own that could hide a missing one from
 * ThreadSanitizer or Helgrind.
 */
static int finished[MAXPHASES][MAXSHARDS];

static struct pool pool;

/* The slow-shard test: slow_shard's first load waits until some shard has started summing. */
static int slow_shard = -1;
static int summing_started;
static pthread_mutex_t slow_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slow_cond = PTHREAD_COND_INITIALIZER;

/*
 * A correct pool sums nothing before every shard is loaded, so there the wait
 * ends after 300 ms and only costs time. A pool that lets threads go on
 * without the slow one starts summing first: the slow shard is then certainly
 * missing from that sum.
 */
static void be_slow(void)
{
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_nsec += 300 * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&slow_lock);
	while (!summing_started)
		if (pthread_cond_timedwait(&slow_cond, &slow_lock, &deadline) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&slow_lock);
}

static void summing_has_started(void)
{
	pthread_mutex_lock(&slow_lock);
	summing_started = 1;
	pthread_cond_broadcast(&slow_cond);
	pthread_mutex_unlock(&slow_lock);
}

static void run(struct job *job, int phase, int shard)
{
	for (int s = 0; phase > 0 && s < job->nshards; s++)
		ck_assert_msg(finished[phase - 1][s],
			      "shard %d started phase %d before shard %d had finished phase %d "
			      "(%d shards): a phase started before the one before it had finished everywhere",
			      shard, phase, s, phase - 1, job->nshards);
	runs[phase][shard]++;
	ran_by[phase][shard] = pthread_self();
	if (phase % 3 == 0) {
		if (phase == 0 && shard == slow_shard)
			be_slow();
		loaded[shard] = 100 + shard;
	} else if (phase % 3 == 1) {
		long sum = 0;
		for (int s = 0; s < job->nshards; s++)
			sum += loaded[s];
		summed[shard] = sum;
		if (phase == 1 && slow_shard >= 0)
			summing_has_started();   /* after the reads: the sum shows what was there */
	} else {
		copied[shard] = summed[(shard + 1) % job->nshards];
	}
	finished[phase][shard] = 1;
}

static int distinct_threads(int phase, int nshards)
{
	int n = 0;
	for (int s = 0; s < nshards; s++) {
		int seen = 0;
		for (int t = 0; t < s; t++)
			seen |= pthread_equal(ran_by[phase][t], ran_by[phase][s]);
		n += !seen;
	}
	return n;
}

/*
 * Valgrind (Helgrind, DRD) runs one thread at a time, many times slower, and
 * the controlled scheduler (the schedules gate) models at most 64 threads: under
 * them a sweep of shapes runs only its first few, which keep the shapes where a
 * race shows. The plain run and the stress runs sweep them all: a wrong shape
 * fails or hangs there, and no tool is needed to see it.
 */
static unsigned shapes_to_run(unsigned n)
{
	return (rl_under_valgrind() || rl_under_scheduler()) && n > 3 ? 3 : n;
}

/* A fresh record for each job: a test may run several on one pool. */
static void clear_record(void)
{
	memset(loaded, 0, sizeof loaded);
	memset(summed, 0, sizeof summed);
	memset(copied, 0, sizeof copied);
	memset(runs, 0, sizeof runs);
	memset(ran_by, 0, sizeof ran_by);
	memset(finished, 0, sizeof finished);
}

/* What every shard ends with when every phase ran on it once, in order. */
static long shard_total(int nshards)
{
	long total = 0;
	for (int s = 0; s < nshards; s++)
		total += 100 + s;
	return total;
}

/* Run the job on p, a pool of nworkers, then check every shard's work and the threads it ran on. */
static void check_job(struct pool *p, int nworkers, int nshards, int nphases)
{
	struct job job = { .nshards = nshards, .nphases = nphases, .run = run };
	long total = shard_total(nshards);
	clear_record();
	pool_run(p, &job);

	for (int ph = 0; ph < nphases; ph++)
		for (int s = 0; s < nshards; s++) {
			ck_assert_msg(runs[ph][s] == 1, "shard %d ran phase %d %d times, expected once (%d workers, %d shards)",
				      s, ph, runs[ph][s], nworkers, nshards);
		}
	for (int s = 0; s < nshards; s++)
		ck_assert_msg(copied[s] == total,
			      "shard %d ended with %ld, expected %ld: a phase started before the one before it "
			      "had finished on every shard", s, copied[s], total);
	int want = nshards < nworkers ? nshards : nworkers;
	for (int ph = 0; ph < nphases; ph++) {
		int got = distinct_threads(ph, nshards);
		ck_assert_msg(got == want, "phase %d of %d shards ran on %d threads of a %d-worker pool, expected %d",
			      ph, nshards, got, nworkers, want);
	}
}

/* One job on a pool of its own. */
static void run_job(int nworkers, int nshards, int nphases)
{
	pool_init(&pool, nworkers);
	check_job(&pool, nworkers, nshards, nphases);
	pool_destroy(&pool);
}

START_TEST(as_many_shards_as_workers)
{
	run_job(4, 4, 3);
}
END_TEST

START_TEST(more_shards_than_workers)
{
	run_job(3, 7, 3);
}
END_TEST

/*
 * A thread that is late must be waited for, however late it is. First in the
 * suite: under the stress gate each thread's first wait returns at once, and
 * here the three others reach the barrier while the slow shard is certainly
 * still loading, so a hand-made barrier that does not wait again in a loop
 * lets one of them start phase 1 early, and the reader in run() fails it.
 */
START_TEST(slow_shard_is_waited_for)
{
	slow_shard = 3;
	run_job(4, 4, 3);
}
END_TEST

/*
 * Hangs on the shipped code, so it runs last. Twenty-four phases: a pool that
 * sits out a timeout at every barrier instead of counting its threads right
 * sits out twenty-four of them here, and the watchdog stops it unless the
 * timeout is short (a short one is what the slow-shard test catches).
 */
START_TEST(fewer_shards_than_workers)
{
	run_job(4, 3, 24);
}
END_TEST

/*
 * The tests below hang on the shipped code too, so they come after the one
 * whose hang the watchdog explains; each runs only if everything before it
 * finished.
 */

/* Six workers with nothing to do: a barrier counted by the pool, or woken for one waiter only, hangs. */
START_TEST(many_idle_workers)
{
	run_job(8, 2, 3);
	run_job(8, 5, 4);
}
END_TEST

/*
 * One pool, several jobs of different shapes one after the other: a count
 * fixed by the first job, a barrier set up once in pool_init, or one not set
 * up again after the last job's destroy shows on the second.
 */
START_TEST(one_pool_many_jobs)
{
	static const int shards[] = { 3, 8, 1, 4, 5, 2 };
	pool_init(&pool, 4);
	for (unsigned i = 0; i < shapes_to_run(sizeof shards / sizeof shards[0]); i++)
		check_job(&pool, 4, shards[i], 3 + (int)i % 2);
	pool_destroy(&pool);
}
END_TEST

/*
 * Shapes from one worker and one shard (a barrier of one) to more shards
 * than the pool has workers and more workers than there are shards, odd and
 * even counts of both, with an odd and an even number of phases. A list, not
 * every pair: each job costs thread starts, and Valgrind runs them one at a time.
 */
START_TEST(every_shape)
{
	static const int shapes[][3] = {   /* workers, shards, phases */
		{ 1, 1, 3 }, { 1, 4, 4 }, { 2, 1, 4 }, { 2, 2, 3 }, { 2, 5, 3 },
		{ 3, 2, 4 }, { 3, 8, 3 }, { 5, 3, 3 }, { 5, 7, 4 }, { 4, 8, 4 },
	};
	for (unsigned i = 0; i < shapes_to_run(sizeof shapes / sizeof shapes[0]); i++)
		run_job(shapes[i][0], shapes[i][1], shapes[i][2]);
}
END_TEST

enum { WORK_UNDONE = 42, NEVER_FAILED = 43 };

/* In a child process: a job of 4 shards on a pool of 4 whose 2nd pthread_create fails. */
static int failed_start_child(void *arg)
{
	(void)arg;
	struct job job = { .nshards = 4, .nphases = 3, .run = run };
	clear_record();
	rl_fault_arm("pthread_create", 2, EAGAIN);	/* before pool_init: a pool may start its threads there */
	pool_init(&pool, 4);
	pool_run(&pool, &job);
	pool_destroy(&pool);
	if (!rl_fault_fired())
		return NEVER_FAILED;
	for (int ph = 0; ph < job.nphases; ph++)
		for (int s = 0; s < job.nshards; s++)
			if (runs[ph][s] != 1)
				return WORK_UNDONE;
	for (int s = 0; s < job.nshards; s++)
		if (copied[s] != shard_total(job.nshards))
			return WORK_UNDONE;
	return 0;
}

/*
 * When a thread cannot be started, pool_run may end the program (abort, as the
 * shipped code does) or run the job on the threads it did start (pool.h). It
 * may not wait for the thread that never started: a barrier still counted for
 * it hangs, and the watchdog shows the threads that did start waiting there.
 * The job runs in a child process, so that ending the program is an allowed
 * outcome. Not under the schedules gate, which cannot follow the fork.
 */
START_TEST(a_thread_that_cannot_start)
{
	if (rl_under_scheduler())
		return;
	int status = rl_run_apart(failed_start_child, NULL);
	ck_assert_msg(!WIFSIGNALED(status) || WTERMSIG(status) == SIGABRT,
		      "with the 2nd pthread_create failing, pool_run crashed (signal %d)", WTERMSIG(status));
	if (WIFSIGNALED(status))
		return;	/* it ended the program, as allowed */
	ck_assert_msg(WEXITSTATUS(status) != NEVER_FAILED,
		      "a pool of 4 workers made fewer than 2 pthread_create calls");
	ck_assert_msg(WEXITSTATUS(status) != WORK_UNDONE,
		      "with the 2nd pthread_create failing, pool_run returned with phases of the job "
		      "not run on every shard: run them on the threads that did start, or end the program");
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("31-barrier-count");
	TCase *tc = tcase_create("pool");
	tcase_add_test(tc, slow_shard_is_waited_for);
	tcase_add_test(tc, as_many_shards_as_workers);
	tcase_add_test(tc, more_shards_than_workers);
	tcase_add_test(tc, fewer_shards_than_workers);
	tcase_add_test(tc, many_idle_workers);
	tcase_add_test(tc, one_pool_many_jobs);
	tcase_add_test(tc, every_shape);
	tcase_add_test(tc, a_thread_that_cannot_start);
	suite_add_tcase(s, tc);
	return s;
}
