/* test_calls.c: a Check suite on the fault shim (racelab_test.h), built and run by harness/tests/test_runtime.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "calls.h"
#include "racelab_test.h"

enum { SPAWNS = 5, ALLOCS = 7 };

static void *count_to(void *arg)
{
	for (volatile int i = 0; i < 1000; i++)
		;
	return arg;
}

/* The 3rd pthread_create fails with the armed error, once; the calls before and after go through. */
START_TEST(pthread_create_fails_once_at_the_nth_call)
{
	int rc[SPAWNS];
	rl_fault_arm("pthread_create", 3, EAGAIN);
	calls_spawn(SPAWNS, rc);
	for (int i = 0; i < SPAWNS; i++)
		ck_assert_msg(rc[i] == (i == 2 ? EAGAIN : 0), "call %d gave %d", i + 1, rc[i]);
	ck_assert(rl_fault_fired());
	ck_assert_int_eq(rl_fault_calls(), SPAWNS);
	ck_assert_str_eq(rl_fault_what(), "the 3rd pthread_create failing, EAGAIN");
	/* The test's own threads are not the learner's: none of them counts or fails. */
	rl_fault_arm("pthread_create", 1, EAGAIN);
	pthread_t t;
	rl_spawn(&t, count_to, NULL);
	rl_join(t);
	ck_assert(!rl_fault_fired());
	ck_assert_int_eq(rl_fault_calls(), 0);
}
END_TEST

/* With every malloc of the learner armed to fail, the test, the runtime and Check allocate as usual. */
START_TEST(armed_malloc_leaves_check_alone)
{
	rl_fault_arm("malloc", 1, ENOMEM);
	char *mine = malloc(64), *copy = strdup("the test's own");
	ck_assert_ptr_nonnull(mine);
	ck_assert_ptr_nonnull(copy);
	rl_parallel(4, count_to, NULL, 0); /* calloc and pthread_create of the runtime */
	ck_assert_int_eq(rl_fault_calls(), 0);
	ck_assert_int_eq(calls_alloc(ALLOCS), 1);
	ck_assert_int_eq(rl_fault_calls(), ALLOCS);
	free(mine);
	free(copy);
	rl_fault_disarm();
	ck_assert_int_eq(calls_alloc(ALLOCS), 0);
	ck_assert_int_eq(rl_fault_calls(), ALLOCS); /* disarmed: no longer counted */
}
END_TEST

static int visited[ALLOCS + 2];

static void alloc_once(void *arg)
{
	(void)arg;
	int first = calls_alloc(ALLOCS);
	visited[first]++;
}

/* The sweep fails each call in turn, every one once, and stops after the round in which none failed. */
START_TEST(sweep_visits_every_call)
{
	ck_assert_int_eq(rl_fault_sweep("malloc", ENOMEM, alloc_once, NULL), ALLOCS);
	for (int k = 0; k <= ALLOCS; k++)
		ck_assert_msg(visited[k] == 1, "malloc %d failed in %d rounds", k, visited[k]);
}
END_TEST

/* Fails on purpose: its message must name the fault (test_runtime.c reads it). */
START_TEST(failure_names_the_fault)
{
	int rc[SPAWNS];
	rl_fault_arm("pthread_create", 2, EAGAIN);
	calls_spawn(SPAWNS, rc);
	rl_fault_disarm();
	ck_assert_msg(rc[1] == 0, "calls_spawn's 2nd thread did not start");
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("fault");
	TCase *shim = tcase_create("shim"), *named = tcase_create("named");
	tcase_add_test(shim, pthread_create_fails_once_at_the_nth_call);
	tcase_add_test(shim, armed_malloc_leaves_check_alone);
	tcase_add_test(shim, sweep_visits_every_call);
	tcase_add_test(named, failure_names_the_fault);
	suite_add_tcase(s, shim);
	suite_add_tcase(s, named);
	return s;
}
