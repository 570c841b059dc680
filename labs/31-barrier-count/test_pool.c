/* test_pool.c: Check suite for 31-barrier-count; the tests give the pool its work and count its threads. */
#include <errno.h>
#include <time.h>

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

/* Run the job on a pool of nworkers, then check every shard's work and the threads it ran on. */
static void run_job(int nworkers, int nshards, int nphases)
{
	struct job job = { .nshards = nshards, .nphases = nphases, .run = run };
	long total = 0;
	for (int s = 0; s < nshards; s++)
		total += 100 + s;

	pool_init(&pool, nworkers);
	pool_run(&pool, &job);
	pool_destroy(&pool);

	for (int p = 0; p < nphases; p++)
		for (int s = 0; s < nshards; s++)
			ck_assert_msg(runs[p][s] == 1, "shard %d ran phase %d %d times, expected once",
				      s, p, runs[p][s]);
	for (int s = 0; s < nshards; s++)
		ck_assert_msg(copied[s] == total,
			      "shard %d ended with %ld, expected %ld: a phase started before the one before it "
			      "had finished on every shard", s, copied[s], total);
	int want = nshards < nworkers ? nshards : nworkers;
	for (int p = 0; p < nphases; p++) {
		int got = distinct_threads(p, nshards);
		ck_assert_msg(got == want, "phase %d of %d shards ran on %d threads of a %d-worker pool, expected %d",
			      p, nshards, got, nworkers, want);
	}
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

/* A thread that is late must be waited for, however late it is. */
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

Suite *lab_suite(void)
{
	Suite *s = suite_create("31-barrier-count");
	TCase *tc = tcase_create("pool");
	tcase_add_test(tc, as_many_shards_as_workers);
	tcase_add_test(tc, more_shards_than_workers);
	tcase_add_test(tc, slow_shard_is_waited_for);
	tcase_add_test(tc, fewer_shards_than_workers);
	suite_add_tcase(s, tc);
	return s;
}
