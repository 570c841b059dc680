/* livelock.c: the scheduler's test program: a spinning barrier for two whose arrival is a load and a separate store, so two arrivals can count as one and both threads spin forever (RL_FIXED: one atomic decrement). */
#include <sched.h>
#include <stdatomic.h>

#ifdef RL_LEARNER
static atomic_int left = 2;   /* arrivals still missing */

void *worker(void *arg)
{
	(void)arg;
#ifdef RL_FIXED
	atomic_fetch_sub(&left, 1);
#else
	int n = atomic_load(&left);
	atomic_store(&left, n - 1);
#endif
	while (atomic_load(&left) != 0)
		sched_yield();
	return NULL;
}
#else
#include "racelab_test.h"

void *worker(void *arg);

START_TEST(two_spinners_meet)
{
	pthread_t a, b;
	rl_spawn(&a, worker, NULL);
	rl_spawn(&b, worker, NULL);
	rl_join(a);
	rl_join(b);
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("livelock");
	TCase *tc = tcase_create("sched");
	tcase_add_test(tc, two_spinners_meet);
	suite_add_tcase(s, tc);
	return s;
}
#endif
