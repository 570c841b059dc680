/* lost_update.c: the scheduler's test program: two threads bump a counter once each, unlocked (RL_FIXED: locked). */
#include <pthread.h>

#ifdef RL_LEARNER
/* The part compiled as a learner's file is (instrumented): its loads and stores are scheduling points. */
long counter;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void *bump(void *arg)
{
	(void)arg;
#ifdef RL_FIXED
	pthread_mutex_lock(&lock);
	counter++;
	pthread_mutex_unlock(&lock);
#else
	(void)lock;
	counter++;
#endif
	return NULL;
}
#else
#include "racelab_test.h"

extern long counter;
void *bump(void *arg);

START_TEST(two_bumps_make_two)
{
	pthread_t a, b;
	counter = 0;
	rl_spawn(&a, bump, NULL);
	rl_spawn(&b, bump, NULL);
	rl_join(a);
	rl_join(b);
	ck_assert_msg(counter == 2, "two increments gave %ld", counter);
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("lost_update");
	TCase *tc = tcase_create("sched");
	tcase_add_test(tc, two_bumps_make_two);
	suite_add_tcase(s, tc);
	return s;
}
#endif
