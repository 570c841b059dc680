/* barrier_short.c: the scheduler's test program: a barrier for three, and two threads that reach it (RL_FIXED: for two). */
#include <pthread.h>

#ifdef RL_LEARNER
pthread_barrier_t phase;

void phase_init(void)
{
#ifdef RL_FIXED
	pthread_barrier_init(&phase, NULL, 2);
#else
	pthread_barrier_init(&phase, NULL, 3);
#endif
}

void *worker(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&phase);
	return NULL;
}
#else
#include "racelab_test.h"

void phase_init(void);
void *worker(void *arg);

START_TEST(two_workers_one_phase)
{
	pthread_t a, b;
	phase_init();
	rl_spawn(&a, worker, NULL);
	rl_spawn(&b, worker, NULL);
	rl_join(a);
	rl_join(b);
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("barrier_short");
	TCase *tc = tcase_create("sched");
	tcase_add_test(tc, two_workers_one_phase);
	suite_add_tcase(s, tc);
	return s;
}
#endif
