/* test_counter.c: Check suite for 11-lost-update; the tests own the threads. */
#include <errno.h>
#include <semaphore.h>
#include <time.h>

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

/*
 * Many shapes, not one: 1 or 3 threads, each with a count that is odd, even,
 * tiny, or either side of a round number (999, 1001). A fix that saves up
 * increments and adds them in batches, or that only works for some thread
 * count, adds up for 4 x 1,000,000 and fails here; each shape starts from a
 * fresh counter and checks its own exact total.
 */
static void *bump_n(void *arg)
{
	long n = *(long *)arg;
	for (long i = 0; i < n; i++)
		counter_inc(&shared);
	return NULL;
}

START_TEST(every_shape_adds_up)
{
	/* Few shapes, few threads: under the stress gate every new thread brings its own noise budget. */
	static const int threads[] = { 1, 3 };
	static const long counts[] = { 1, 2, 999, 1001 };
	for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++)
		for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {
			long n = counts[k];
			counter_init(&shared);
			rl_parallel(threads[t], bump_n, &n, 0);
			long got = counter_get(&shared), want = threads[t] * n;
			ck_assert_msg(got == want, "%d threads x %ld increments: expected %ld, counted %ld",
				      threads[t], n, want, got);
			counter_destroy(&shared);
		}
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

/*
 * The reporter of the story reads the count while the threads count. Each
 * counting thread stops halfway until the reporter has seen a count above
 * zero, so the reporter certainly reads while increments are under way, and
 * nothing but the counter's own code orders that read after them: the
 * semaphore runs from the reporter to the counting threads, never back. It
 * looks once a millisecond, not in a tight loop: a reader that spins fills
 * ThreadSanitizer's short history so fast that it can lose the stack a race
 * report needs, and drop the report (measured: 33 runs of 100 caught a racy
 * counter_get with a tight loop, 350 of 350 with the sleep).
 */
static sem_t looked;			/* posted by the reporter, once per counting thread */
static pthread_mutex_t done_lock = PTHREAD_MUTEX_INITIALIZER;
static int workers_done;		/* guarded by done_lock; only the test thread sets it */

struct reading {
	int looked;		/* the reporter saw a count above zero */
	long before, after;	/* a read that went below the one before it, if any */
};

static int still_counting(void)
{
	pthread_mutex_lock(&done_lock);
	int counting = !workers_done;
	pthread_mutex_unlock(&done_lock);
	return counting;
}

static void *report(void *arg)
{
	struct reading *r = arg;
	long last = 0;
	while (still_counting()) {
		long now = counter_get(&shared);
		if (now < last && r->before == 0) {
			r->before = last;
			r->after = now;
		}
		if (now > 0 && !r->looked) {
			r->looked = 1;
			for (int i = 0; i < THREADS; i++)
				sem_post(&looked);
		}
		last = now;
		rl_sleep_ms(1);
	}
	return NULL;
}

/* Wait for the reporter's look, 3 seconds at most: a counter_get that never shows a count fails below. */
static void wait_for_look(void)
{
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 3;
	while (sem_timedwait(&looked, &deadline) == -1 && errno == EINTR)
		;
}

static void *bump_while_watched(void *arg)
{
	(void)arg;
	for (long i = 0; i < incs; i++) {
		if (i == incs / 2)
			wait_for_look();
		counter_inc(&shared);
	}
	return NULL;
}

START_TEST(read_while_counting)
{
	incs = rl_scale(10000);
	counter_init(&shared);
	sem_init(&looked, 0, 0);
	workers_done = 0;
	struct reading r = { 0 };
	pthread_t reporter;
	rl_spawn(&reporter, report, &r);
	rl_parallel(THREADS, bump_while_watched, NULL, 0);
	pthread_mutex_lock(&done_lock);
	workers_done = 1;
	pthread_mutex_unlock(&done_lock);
	rl_join(reporter);
	ck_assert_msg(r.looked, "counter_get never showed a count above zero while %d threads counted",
		      THREADS);
	ck_assert_msg(r.before == 0,
		      "the count went down while threads counted: the reporter read %ld, then %ld",
		      r.before, r.after);
	long got = counter_get(&shared), want = THREADS * incs;
	ck_assert_msg(got == want, "expected %ld increments from %d threads with a reader looking, "
		      "counted %ld", want, THREADS, got);
	sem_destroy(&looked);
	counter_destroy(&shared);
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("11-lost-update");
	TCase *tc = tcase_create("counter");
	tcase_add_test(tc, one_thread_counts);
	tcase_add_test(tc, every_shape_adds_up);
	tcase_add_test(tc, no_update_is_lost);
	tcase_add_test(tc, read_while_counting);
	suite_add_tcase(s, tc);
	return s;
}
