/* cond_if.c: the scheduler's test program: `if` around a condition wait, which a spurious wakeup gets past (RL_FIXED: while). */
#include <pthread.h>

#ifdef RL_LEARNER
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t nonempty = PTHREAD_COND_INITIALIZER;
int items;

int take(void)
{
	pthread_mutex_lock(&m);
#ifdef RL_FIXED
	while (items == 0)
#else
	if (items == 0)
#endif
		pthread_cond_wait(&nonempty, &m);
	int got = items--;
	pthread_mutex_unlock(&m);
	return got;
}

void put(void)
{
	pthread_mutex_lock(&m);
	items++;
	pthread_cond_signal(&nonempty);
	pthread_mutex_unlock(&m);
}
#else
#include "racelab_test.h"

extern int items;
int take(void);
void put(void);

static void *consumer(void *arg)
{
	*(int *)arg = take();
	return NULL;
}

START_TEST(take_waits_for_put)
{
	pthread_t c;
	int got = -1;
	rl_spawn(&c, consumer, &got);
	put();
	rl_join(c);
	ck_assert_msg(got == 1 && items == 0, "take returned %d with %d items left", got, items);
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("cond_if");
	TCase *tc = tcase_create("sched");
	tcase_add_test(tc, take_waits_for_put);
	suite_add_tcase(s, tc);
	return s;
}
#endif
