/* abba.c: the scheduler's test program: two threads take two locks in opposite orders (RL_FIXED: one order). */
#include <pthread.h>

#ifdef RL_LEARNER
pthread_mutex_t left = PTHREAD_MUTEX_INITIALIZER, right = PTHREAD_MUTEX_INITIALIZER;
long moved;

static void both(pthread_mutex_t *first, pthread_mutex_t *second)
{
	pthread_mutex_lock(first);
	pthread_mutex_lock(second);
	moved++;
	pthread_mutex_unlock(second);
	pthread_mutex_unlock(first);
}

void *left_right(void *arg) { (void)arg; both(&left, &right); return NULL; }
#ifdef RL_FIXED
void *right_left(void *arg) { (void)arg; both(&left, &right); return NULL; }
#else
void *right_left(void *arg) { (void)arg; both(&right, &left); return NULL; }
#endif
#else
#include "racelab_test.h"

extern long moved;
void *left_right(void *arg);
void *right_left(void *arg);

START_TEST(opposite_orders)
{
	pthread_t a, b;
	rl_spawn(&a, left_right, NULL);
	rl_spawn(&b, right_left, NULL);
	rl_join(a);
	rl_join(b);
	ck_assert_int_eq(moved, 2);
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("abba");
	TCase *tc = tcase_create("sched");
	tcase_add_test(tc, opposite_orders);
	suite_add_tcase(s, tc);
	return s;
}
#endif
