/* lost_wakeup.c: the scheduler's test program: a signal sent before anyone waits, and no predicate (RL_FIXED: a flag). */
#include <pthread.h>

#ifdef RL_LEARNER
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t ready_cv = PTHREAD_COND_INITIALIZER;
static int ready;

void *waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
#ifdef RL_FIXED
	while (!ready)
		pthread_cond_wait(&ready_cv, &m);
#else
	(void)ready;
	pthread_cond_wait(&ready_cv, &m);
#endif
	pthread_mutex_unlock(&m);
	return NULL;
}

void *waker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	ready = 1;
	pthread_cond_signal(&ready_cv);
	pthread_mutex_unlock(&m);
	return NULL;
}
#else
#include "racelab_test.h"

void *waiter(void *arg);
void *waker(void *arg);

START_TEST(wake_the_waiter)
{
	pthread_t a, b;
	rl_spawn(&a, waiter, NULL);
	rl_spawn(&b, waker, NULL);
	rl_join(a);
	rl_join(b);
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("lost_wakeup");
	TCase *tc = tcase_create("sched");
	tcase_add_test(tc, wake_the_waiter);
	suite_add_tcase(s, tc);
	return s;
}
#endif
