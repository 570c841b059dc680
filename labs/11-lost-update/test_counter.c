/* test_counter.c: Check suite for 11-lost-update; the tests own the threads. */
#include "counter.h"
#include "racelab_test.h"

enum { THREADS = 4 };

/* A million each in a plain run, so the threads really overlap; fewer under the tools. */
static long incs;

static struct counter shared;

static void *bump(void *arg)
{
	(void)arg;
	for (long i = 0; i < incs; i++)
		counter_inc(&shared);
	return NULL;
}

START_TEST(one_thread_counts)
{
	counter_init(&shared);
	for (int i = 0; i < 10; i++)
		counter_inc(&shared);
	ck_assert_msg(counter_get(&shared) == 10,
		      "ten increments on one thread gave %ld", counter_get(&shared));
	counter_destroy(&shared);
}
END_TEST

START_TEST(no_update_is_lost)
{
	incs = rl_scale(1000000);
	counter_init(&shared);
	rl_parallel(THREADS, bump, NULL, 0);
	long got = counter_get(&shared), want = THREADS * incs;
	ck_assert_msg(got == want, "expected %ld increments from %d threads, counted %ld: %ld updates were lost",
		      want, THREADS, got, want - got);
	counter_destroy(&shared);
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("11-lost-update");
	TCase *tc = tcase_create("counter");
	tcase_add_test(tc, one_thread_counts);
	tcase_add_test(tc, no_update_is_lost);
	suite_add_tcase(s, tc);
	return s;
}
