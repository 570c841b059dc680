/* test_crew.c: Check suite for 33-early-exit; the tests own the workers and make one of them fail. */
#include "crew.h"
#include "racelab_test.h"

enum { WORKERS = 4, MAXROUNDS = 8 };

static struct crew crew;
static int fail_id = -1, fail_round = -1;     /* the step that fails, if any */

/* Written by the worker the slot belongs to; read by the test after the join. */
static int ran[WORKERS][MAXROUNDS];
static int returned[WORKERS];

/* Rounds finished by every worker, to spot a round that starts too early. */
static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;
static int finished[MAXROUNDS];
static int overlaps;

static int step(struct crew *c, int id, int round)
{
	pthread_mutex_lock(&seen_lock);
	if (round > 0 && finished[round - 1] != c->nworkers)
		overlaps++;
	pthread_mutex_unlock(&seen_lock);

	ran[id][round]++;
	int failed = id == fail_id && round == fail_round;

	pthread_mutex_lock(&seen_lock);
	finished[round]++;
	pthread_mutex_unlock(&seen_lock);
	return failed ? -1 : 0;
}

static void *worker(void *arg)
{
	int id = *(int *)arg;
	returned[id] = crew_work(&crew, id);
	return NULL;
}

/* Run a job of `rounds` rounds on WORKERS threads; the step of worker fid in round fround fails. */
static void run_crew(int rounds, int fid, int fround)
{
	int ids[WORKERS];
	for (int i = 0; i < WORKERS; i++)
		ids[i] = i;
	fail_id = fid;
	fail_round = fround;
	crew_init(&crew, WORKERS, rounds, step, NULL);
	rl_parallel(WORKERS, worker, ids, sizeof ids[0]);
	crew_destroy(&crew);

	ck_assert_msg(overlaps == 0, "%d steps started a round before every worker had finished the round before",
		      overlaps);
	int last = fround >= 0 ? fround : rounds - 1;   /* the last round that should have run */
	for (int id = 0; id < WORKERS; id++)
		for (int r = 0; r < rounds; r++) {
			int want = r <= last;
			ck_assert_msg(ran[id][r] == want,
				      "worker %d ran round %d %d times, expected %s", id, r, ran[id][r],
				      want ? "once" : fround >= 0 && r > fround
					     ? "never: the job failed in an earlier round" : "never");
		}
	for (int id = 0; id < WORKERS; id++)
		ck_assert_msg(returned[id] == (fround >= 0 ? -1 : 0),
			      "worker %d returned %d, expected %d: %s", id, returned[id], fround >= 0 ? -1 : 0,
			      fround >= 0 ? "every worker must learn that the job failed"
					  : "no step failed");
}

START_TEST(all_rounds_run)
{
	run_crew(MAXROUNDS, -1, -1);
}
END_TEST

/* The next two hang on the shipped code, so they run last. */
START_TEST(failure_in_the_last_round)
{
	run_crew(MAXROUNDS, 2, MAXROUNDS - 1);
}
END_TEST

START_TEST(failure_midway)
{
	run_crew(MAXROUNDS, 2, 3);
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("33-early-exit");
	TCase *tc = tcase_create("crew");
	tcase_add_test(tc, all_rounds_run);
	tcase_add_test(tc, failure_in_the_last_round);
	tcase_add_test(tc, failure_midway);
	suite_add_tcase(s, tc);
	return s;
}
