/* test_crew.c: Check suite for 33-early-exit; the tests own the workers and make some of them fail. */
#include <stdlib.h>
#include <string.h>

#include "crew.h"
#include "racelab_test.h"

enum { WORKERS = 4, MAXWORKERS = 5, MAXROUNDS = 8 };

static struct crew crew;
static int fail_at[MAXWORKERS];               /* the round in which worker id's step fails, or -1 */

/*
 * Each slot is written by the worker it belongs to only, and read by the test
 * after the join or, for `finished`, by the other workers in the next round.
 * Plain ints and no lock of the test's own: a lock taken in every step would
 * order the workers' accesses and hide a missing synchronization in crew.c
 * from ThreadSanitizer and Helgrind.
 */
static int ran[MAXWORKERS][MAXROUNDS];
static int finished[MAXROUNDS][MAXWORKERS];
static int returned[MAXWORKERS];

/*
 * The reader inside the job: a step of round r first checks that every
 * worker has finished round r-1, and fails the test at once if not (a round
 * that started early), before a hang could hide it.
 */
static int step(struct crew *c, int id, int round)
{
	for (int w = 0; round > 0 && w < c->nworkers; w++)
		ck_assert_msg(finished[round - 1][w],
			      "worker %d started round %d before worker %d had finished round %d",
			      id, round, w, round - 1);
	ran[id][round]++;
	finished[round][id] = 1;
	return round == fail_at[id] ? -1 : 0;
}

static void *worker(void *arg)
{
	int id = *(int *)arg;
	returned[id] = crew_work(&crew, id);
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

/*
 * Run a job of `rounds` rounds on nworkers threads; fails[id] is the round in
 * which worker id's step fails (-1: never). The job must stop after the first
 * round in which any step failed.
 */
static void run_crew(int nworkers, int rounds, const int *fails)
{
	int ids[MAXWORKERS];
	int stop = -1;                                /* the first round that fails */
	for (int i = 0; i < nworkers; i++) {
		ids[i] = i;
		fail_at[i] = fails ? fails[i] : -1;
		if (fail_at[i] >= 0 && (stop < 0 || fail_at[i] < stop))
			stop = fail_at[i];
	}
	memset(ran, 0, sizeof ran);
	memset(finished, 0, sizeof finished);
	memset(returned, 0, sizeof returned);

	crew_init(&crew, nworkers, rounds, step, NULL);
	rl_parallel(nworkers, worker, ids, sizeof ids[0]);
	crew_destroy(&crew);

	int last = stop >= 0 ? stop : rounds - 1;     /* the last round that should have run */
	for (int id = 0; id < nworkers; id++)
		for (int r = 0; r < rounds; r++) {
			int want = r <= last;
			ck_assert_msg(ran[id][r] == want,
				      "worker %d of %d ran round %d %d times, expected %s", id, nworkers, r, ran[id][r],
				      want ? "once" : "never: the job failed in an earlier round");
		}
	for (int id = 0; id < nworkers; id++)
		ck_assert_msg(returned[id] == (stop >= 0 ? -1 : 0),
			      "worker %d of %d returned %d, expected %d: %s", id, nworkers, returned[id],
			      stop >= 0 ? -1 : 0,
			      stop >= 0 ? "every worker must learn that the job failed" : "no step failed");
}

/* One worker failing: worker fid, in round fround. */
static void run_one_failure(int nworkers, int rounds, int fid, int fround)
{
	int fails[MAXWORKERS];
	for (int i = 0; i < MAXWORKERS; i++)
		fails[i] = i == fid ? fround : -1;
	run_crew(nworkers, rounds, fails);
}

START_TEST(all_rounds_run)
{
	run_crew(WORKERS, MAXROUNDS, NULL);
}
END_TEST

/* No failure, shapes: 1 to 5 workers (odd and even), 1 to 3 rounds, one job after another. */
START_TEST(every_shape_without_failure)
{
	static const int shapes[][2] = { { 1, 1 }, { 2, 3 }, { 3, 2 }, { 5, 1 }, { 5, 3 } };  /* workers, rounds */
	for (unsigned i = 0; i < shapes_to_run(sizeof shapes / sizeof shapes[0]); i++)
		run_crew(shapes[i][0], shapes[i][1], NULL);
}
END_TEST

/* The next tests hang on the shipped code, so they run last; this one's hang is the one explained. */
START_TEST(failure_in_the_last_round)
{
	run_one_failure(WORKERS, MAXROUNDS, 2, MAXROUNDS - 1);
}
END_TEST

START_TEST(failure_midway)
{
	run_one_failure(WORKERS, MAXROUNDS, 2, 3);
}
END_TEST

/*
 * Where the failure is: the first round and the last, the first worker and
 * the last, on crews of 1 to 5, one job after another on fresh crews. A fix
 * tuned to "worker 2 in round 3 of 8" fails here.
 */
START_TEST(every_failing_place)
{
	static const int places[][4] = {   /* workers, rounds, failing worker, its round */
		{ 1, 3, 0, 0 }, { 2, 3, 0, 2 }, { 2, 3, 1, 0 }, { 3, 3, 2, 1 },
		{ 3, 1, 0, 0 }, { 5, 3, 0, 1 }, { 5, 3, 4, 2 }, { 5, 3, 4, 0 },
	};
	for (unsigned i = 0; i < shapes_to_run(sizeof places / sizeof places[0]); i++)
		run_one_failure(places[i][0], places[i][1], places[i][2], places[i][3]);
}
END_TEST

/*
 * Several failures: two workers in the same round (the failure is noted
 * twice), and two in different rounds, where the later one never happens
 * because the job stops after the earlier one. A fix that stops the crew
 * only when one worker fails, or on the last failure noted, is wrong here.
 */
START_TEST(several_failures)
{
	const int same_round[MAXWORKERS] = { -1, 2, -1, 2, -1 };
	const int two_rounds[MAXWORKERS] = { -1, 5, -1, 2, 4 };
	const int first_and_last[MAXWORKERS] = { 0, -1, -1, -1, 0 };
	run_crew(5, MAXROUNDS, same_round);
	run_crew(5, MAXROUNDS, two_rounds);
	run_crew(5, MAXROUNDS, first_and_last);
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("33-early-exit");
	TCase *tc = tcase_create("crew");
	tcase_add_test(tc, all_rounds_run);
	tcase_add_test(tc, every_shape_without_failure);
	tcase_add_test(tc, failure_in_the_last_round);
	tcase_add_test(tc, failure_midway);
	tcase_add_test(tc, every_failing_place);
	tcase_add_test(tc, several_failures);
	suite_add_tcase(s, tc);
	return s;
}
