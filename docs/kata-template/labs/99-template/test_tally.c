/* test_tally.c: Check suite for 99-template; the tests own the threads. */
#include "racelab_test.h"
#include "tally.h"

enum { THREADS = 4, CHUNK = 3 };

/* Adds per thread: many in a plain run, so the threads really overlap; fewer under the tools. */
static long adds;

static struct tally shared;

static void *serve(void *arg)
{
	(void)arg;
	for (long i = 0; i < adds; i++)
		tally_add(&shared, CHUNK);
	return NULL;
}

START_TEST(one_thread_adds_up)
{
	tally_init(&shared);
	tally_add(&shared, 5);
	tally_add(&shared, 7);
	ck_assert_msg(tally_total(&shared) == 12, "5 and 7 bytes added on one thread gave a total of %ld",
		      tally_total(&shared));
	tally_destroy(&shared);
}
END_TEST

START_TEST(no_bytes_are_lost)
{
	adds = rl_scale(500000);
	tally_init(&shared);
	rl_parallel(THREADS, serve, NULL, 0);
	long got = tally_total(&shared), want = THREADS * adds * CHUNK;
	ck_assert_msg(got == want, "expected %ld bytes from %d threads, the tally says %ld: %ld were lost", want,
		      THREADS, got, want - got);
	tally_destroy(&shared);
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("99-template");
	TCase *tc = tcase_create("tally");
	tcase_add_test(tc, one_thread_adds_up);
	tcase_add_test(tc, no_bytes_are_lost);
	suite_add_tcase(s, tc);
	return s;
}
