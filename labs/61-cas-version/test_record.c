/* test_record.c: updaters on several threads, including two forced to read the same version. */
#include <time.h>

#include "record.h"
#include "racelab_test.h"

enum { THREADS = 4, UPDATES = 500 };

/*
 * Two updaters meet inside their first change(): each waits there until the
 * other has arrived too, so both have read the record before either writes.
 * That is the interleaving that loses an update, made certain. If the other
 * never arrives (it is blocked until this change() returns), the wait gives up
 * after 2 seconds and says so.
 */
struct meeting {
	pthread_mutex_t lock;
	pthread_cond_t both_in;
	int arrived;
	int gave_up;
};

struct updater {
	struct record *r;
	struct meeting *meet;	/* NULL: no waiting */
	int calls;		/* how many times change() ran */
};

static void meet(struct meeting *m)
{
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 2;

	pthread_mutex_lock(&m->lock);
	m->arrived++;
	pthread_cond_broadcast(&m->both_in);
	while (m->arrived < 2 && !m->gave_up)
		if (pthread_cond_timedwait(&m->both_in, &m->lock, &deadline) != 0)
			m->gave_up = 1;
	pthread_mutex_unlock(&m->lock);
}

static int add_one(int value, void *ctx)
{
	struct updater *u = ctx;
	if (++u->calls == 1 && u->meet != NULL)
		meet(u->meet);
	return value + 1;
}

static void *update_once(void *arg)
{
	struct updater *u = arg;
	record_update(u->r, add_one, u);
	return NULL;
}

static void *update_many(void *arg)
{
	struct updater *u = arg;
	for (int i = 0; i < UPDATES; i++)
		record_update(u->r, add_one, u);
	return NULL;
}

START_TEST(test_one_update)
{
	struct record *r = record_new(10);
	struct updater u = { .r = r };
	int value;
	unsigned version;
	ck_assert_ptr_nonnull(r);
	record_update(r, add_one, &u);
	record_read(r, &value, &version);
	ck_assert_msg(value == 11 && version == 1,
		      "one update of +1 on 10 gave value %d, version %u; expected 11, 1",
		      value, version);
	record_free(r);
}
END_TEST

START_TEST(test_same_version_read_twice)
{
	struct meeting m = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0 };
	struct record *r = record_new(0);
	struct updater u[2] = { { .r = r, .meet = &m }, { .r = r, .meet = &m } };
	pthread_t t[2];
	int value;
	unsigned version;
	ck_assert_ptr_nonnull(r);
	for (int i = 0; i < 2; i++)
		rl_spawn(&t[i], update_once, &u[i]);
	for (int i = 0; i < 2; i++)
		rl_join(t[i]);
	ck_assert_msg(!m.gave_up,
		      "one updater waited for the other's change() to finish: record_update "
		      "must not hold a lock (or anything else) while change() runs");
	record_read(r, &value, &version);
	ck_assert_msg(value == 2 && version == 2,
		      "two updaters each added 1 to 0 and the record ended at value %d, "
		      "version %u, expected 2, 2: both read version 0 and both wrote, so one "
		      "update was lost", value, version);
	ck_assert_msg(u[0].calls + u[1].calls == 3,
		      "change() ran %d times for two updates that collided; expected 3 "
		      "(the one that lost the race must compute again from the new value)",
		      u[0].calls + u[1].calls);
	record_free(r);
}
END_TEST

START_TEST(test_many_updaters)
{
	struct record *r = record_new(0);
	struct updater u[THREADS];
	int value;
	unsigned version;
	ck_assert_ptr_nonnull(r);
	for (int i = 0; i < THREADS; i++)
		u[i] = (struct updater){ .r = r };
	rl_parallel(THREADS, update_many, u, sizeof u[0]);
	record_read(r, &value, &version);
	ck_assert_msg(value == THREADS * UPDATES && version == THREADS * UPDATES,
		      "%d threads made %d updates of +1 each: expected value and version %d, "
		      "got value %d, version %u: updates were lost",
		      THREADS, UPDATES, THREADS * UPDATES, value, version);
	record_free(r);
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("61-cas-version");
	TCase *tc = tcase_create("record");
	tcase_add_test(tc, test_one_update);
	tcase_add_test(tc, test_same_version_read_twice);
	tcase_add_test(tc, test_many_updaters);
	suite_add_tcase(s, tc);
	return s;
}
