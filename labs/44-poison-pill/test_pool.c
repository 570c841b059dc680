/* test_pool.c: Check suite for 44-poison-pill; the tests feed the pool and stop it. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "pool.h"
#include "racelab_test.h"

enum { WORKERS = 4, ITEMS = 16 };
/* The sweep's items: enough to fill the queue (QUEUE_CAP) and then some, for any crew. */
enum { MANY = QUEUE_CAP + POOL_MAX_WORKERS + 1 };
enum { MEET_MS = 5000, HOLD_MS = 200, GONE_MS = 1000 };

/* What the first WORKERS items do in the worker that takes them. */
enum hold {
	HOLD_NONE,              /* nothing special */
	HOLD_MEET,              /* wait until every worker holds one of them */
	HOLD_TILL_RETURN,       /* ...then stay in flight until pool_shutdown returns */
};

static struct pool pool;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static enum hold hold;
static int times_handled[MANY];
static int handled;                 /* items handled so far */
static int met;                     /* workers holding one of the first items */
static pid_t tids[WORKERS];         /* the workers' thread ids, seen by those items */
static bool shutdown_returned;

static struct timespec ms_from_now(long ms)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

/* The pool calls this on its worker threads. */
static void handle(long item)
{
	pthread_mutex_lock(&mu);
	if (item < WORKERS && hold != HOLD_NONE) {
		/* Each of the first items holds its worker, so the WORKERS items
		 * are held by WORKERS different threads at once. */
		tids[item] = gettid();
		met++;
		pthread_cond_broadcast(&changed);
		struct timespec end = ms_from_now(MEET_MS);
		while (met < WORKERS && pthread_cond_timedwait(&changed, &mu, &end) == 0)
			;
		if (hold == HOLD_TILL_RETURN) {
			/* Stay in flight until pool_shutdown returns. A shutdown that
			 * waits for its work cannot return first, so there this wait
			 * ends by its time limit instead. */
			end = ms_from_now(HOLD_MS);
			while (!shutdown_returned &&
			       pthread_cond_timedwait(&changed, &mu, &end) == 0)
				;
		}
	}
	times_handled[item]++;
	handled++;
	pthread_mutex_unlock(&mu);
}

/* Start the pool and queue ITEMS items; the first WORKERS behave as `how` says. */
static void start(int nworkers, enum hold how)
{
	hold = how;
	pool_start(&pool, nworkers, handle);
	for (long i = 0; i < ITEMS; i++)
		pool_submit(&pool, i);
}

/* Wait until every worker holds one of the first items. */
static void wait_for_all_workers(void)
{
	pthread_mutex_lock(&mu);
	struct timespec end = ms_from_now(MEET_MS);
	while (met < WORKERS && pthread_cond_timedwait(&changed, &mu, &end) == 0)
		;
	int n = met;
	pthread_mutex_unlock(&mu);
	ck_assert_msg(n == WORKERS,
		      "only %d of %d workers picked up work at the same time: "
		      "pool_start must run %d threads", n, WORKERS, WORKERS);
}

static void check_items_once(int items)
{
	pthread_mutex_lock(&mu);
	for (int i = 0; i < items; i++) {
		int n = times_handled[i];
		if (n != 1) {
			pthread_mutex_unlock(&mu);
			ck_abort_msg("item %d was handled %d times after pool_shutdown "
				     "returned; every submitted item must be handled once", i, n);
		}
	}
	pthread_mutex_unlock(&mu);
}

static void check_every_item_once(void)
{
	check_items_once(ITEMS);
}

static int workers_alive(void)
{
	pthread_mutex_lock(&mu);
	int alive = 0;
	for (int i = 0; i < WORKERS; i++)
		if (tgkill(getpid(), tids[i], 0) == 0)
			alive++;
	pthread_mutex_unlock(&mu);
	return alive;
}

/* After pool_shutdown returns, every worker thread must be gone. */
static void check_workers_gone(void)
{
	int alive = workers_alive();
	/* A joined thread can take a moment to vanish from the kernel's list. */
	for (int ms = 0; alive > 0 && ms < GONE_MS; ms += 10) {
		rl_sleep_ms(10);
		alive = workers_alive();
	}
	ck_assert_msg(alive == 0,
		      "pool_shutdown returned, yet %d of %d workers are still alive, "
		      "waiting for work that never comes: every worker needs its own "
		      "signal to stop", alive, WORKERS);
}

START_TEST(one_worker_handles_every_item)
{
	start(1, HOLD_NONE);
	pool_shutdown(&pool);
	check_every_item_once();
}
END_TEST

/* On the shipped code this test hangs: the watchdog shows who waits where. */
START_TEST(shutdown_stops_every_worker)
{
	start(WORKERS, HOLD_MEET);
	wait_for_all_workers();
	pool_shutdown(&pool);
	check_every_item_once();
	check_workers_gone();
}
END_TEST

START_TEST(shutdown_waits_for_queued_work)
{
	start(WORKERS, HOLD_TILL_RETURN);
	wait_for_all_workers();
	pool_shutdown(&pool);

	pthread_mutex_lock(&mu);
	int at_return = handled;
	shutdown_returned = true;   /* lets the held items finish now */
	pthread_cond_broadcast(&changed);
	pthread_mutex_unlock(&mu);

	ck_assert_msg(at_return == ITEMS,
		      "pool_shutdown returned when %d of %d submitted items had been "
		      "handled: it must wait until the work queued before it is done",
		      at_return, ITEMS);
	check_workers_gone();
}
END_TEST

/*
 * Every crew size from 1 to POOL_MAX_WORKERS (odd and even, past the other
 * tests' 4), each with more items than the queue holds, on the same struct pool
 * started and stopped again: every item once, every time.
 */
START_TEST(every_crew_size_stops)
{
	for (int n = 1; n <= POOL_MAX_WORKERS; n++) {
		pthread_mutex_lock(&mu);
		for (int i = 0; i < MANY; i++)
			times_handled[i] = 0;
		pthread_mutex_unlock(&mu);
		hold = HOLD_NONE;
		pool_start(&pool, n, handle);
		for (long i = 0; i < MANY; i++)
			pool_submit(&pool, i);
		pool_shutdown(&pool);
		check_items_once(MANY);
	}
}
END_TEST

/* Wait until `items` items are handled and every worker sleeps (looked at twice:
 * a worker may sleep a moment on the pool's lock on its way to the wait). */
static void wait_until_idle(int items)
{
	for (bool done = false; !done; rl_sleep_ms(1)) {
		pthread_mutex_lock(&mu);
		done = handled == items;
		pthread_mutex_unlock(&mu);
	}
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < WORKERS; i++)
			rl_wait_until_asleep(tids[i]);
}

/*
 * The quiet hour: every worker has finished its work and sleeps on an empty
 * queue when pool_shutdown is called. Each of them must be woken to stop:
 * waking one (a signal where a broadcast is needed) leaves the rest asleep and
 * the join hangs. The other tests call shutdown while the workers are busy,
 * which hides that.
 */
START_TEST(shutdown_wakes_idle_workers)
{
	start(WORKERS, HOLD_MEET);
	wait_for_all_workers();
	wait_until_idle(ITEMS);
	/*
	 * One more item: the worker it wakes goes back to the queue and waits
	 * again. Under the stress gate that next wait returns at once with the
	 * queue empty and the pool open: a worker that takes that for "closing"
	 * leaves here, and wait_until_idle sees it gone.
	 */
	pool_submit(&pool, ITEMS);
	wait_until_idle(ITEMS + 1);
	pool_shutdown(&pool);
	check_items_once(ITEMS + 1);
	check_workers_gone();
}
END_TEST

enum { ITEMS_LOST = 42, NEVER_FAILED = 43 };

/* In a child process: a pool of 3 whose 2nd pthread_create fails, fed more items than the queue holds, then stopped. */
static int failed_start_child(void *arg)
{
	(void)arg;
	hold = HOLD_NONE;
	rl_fault_arm("pthread_create", 2, EAGAIN);
	pool_start(&pool, 3, handle);
	rl_fault_disarm();
	if (!rl_fault_fired())
		return NEVER_FAILED;
	for (long i = 0; i < MANY; i++)
		pool_submit(&pool, i);
	pool_shutdown(&pool);
	for (int i = 0; i < MANY; i++)
		if (times_handled[i] != 1)
			return ITEMS_LOST;
	return 0;
}

/*
 * When a worker cannot be started, the pool may end the program or run with
 * the workers it has (pool.h); it may not wait for, stop or join the one that
 * never started: a pill left for it, or a join of a pthread_t never set, hangs
 * or crashes. In a child process, so that ending the program is an allowed
 * outcome. Not under the schedules gate, which cannot follow the fork.
 */
START_TEST(a_worker_that_cannot_start)
{
	if (rl_under_scheduler())
		return;
	int status = rl_run_apart(failed_start_child, NULL);
	ck_assert_msg(!WIFSIGNALED(status) || WTERMSIG(status) == SIGABRT,
		      "with the 2nd pthread_create of a pool of 3 failing, the pool crashed (signal %d): "
		      "it may run with the workers that started, or end the program", WTERMSIG(status));
	if (WIFSIGNALED(status))
		return;	/* it ended the program, as allowed */
	ck_assert_msg(WEXITSTATUS(status) != NEVER_FAILED, "pool_start(3) made fewer than 2 pthread_create calls");
	ck_assert_msg(WEXITSTATUS(status) != ITEMS_LOST,
		      "with the 2nd pthread_create of a pool of 3 failing, pool_shutdown returned before "
		      "every item was handled once");
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("44-poison-pill");
	TCase *tc = tcase_create("pool");
	tcase_add_test(tc, one_worker_handles_every_item);
	/* These hang on the shipped code, so they come last. */
	tcase_add_test(tc, shutdown_stops_every_worker);
	tcase_add_test(tc, shutdown_waits_for_queued_work);
	tcase_add_test(tc, every_crew_size_stops);
	tcase_add_test(tc, shutdown_wakes_idle_workers);
	tcase_add_test(tc, a_worker_that_cannot_start);
	suite_add_tcase(s, tc);
	return s;
}
