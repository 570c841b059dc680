/* test_event.c: the Check suite of 43-lost-wakeup (do not edit). */
#include <check.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <unistd.h>

#include "event.h"
#include "racelab_test.h"

enum {
	WAITERS = 3,
	WINDOW_MS = 200,   /* how long sleeping waiters are watched for wakeups */
	MAX_WAKEUPS = 3,   /* wakeups allowed in that window: a waiter that polls makes more */
	LATE_WAITS = 100,  /* event_wait calls after the set: past any count a fix keeps */
	RACE_ROUNDS = 100, /* events set while their waiters are still on their way in */
};

/* A thread of the test that waits for the event. */
struct waiter {
	struct event *e;
	pid_t tid;
	sem_t started;     /* posted once tid is set */
	sem_t woke;        /* posted when event_wait returned */
};

static void *wait_for_event(void *arg)
{
	struct waiter *w = arg;
	w->tid = gettid();
	sem_post(&w->started);
	event_wait(w->e);
	sem_post(&w->woke);
	return NULL;
}

static void start_waiters(struct waiter *w, pthread_t *t, int n, struct event *e)
{
	for (int i = 0; i < n; i++) {
		w[i].e = e;
		sem_init(&w[i].started, 0, 0);
		sem_init(&w[i].woke, 0, 0);
		rl_spawn(&t[i], wait_for_event, &w[i]);
	}
	for (int i = 0; i < n; i++)
		sem_wait(&w[i].started);
}

static bool woke(struct waiter *w)
{
	if (sem_trywait(&w->woke) != 0)
		return false;
	sem_post(&w->woke);
	return true;
}

/*
 * Wait until all n waiters sleep inside event_wait (true), or one of them has
 * returned from it (false). All asleep must be seen twice in a row: a waiter
 * can sleep for a moment on the event's mutex before it reaches the wait.
 */
static bool all_asleep(struct waiter *w, int n)
{
	for (int seen = 0; seen < 2; rl_sleep_ms(1)) {
		bool asleep = true;
		for (int i = 0; i < n; i++) {
			if (woke(&w[i]))
				return false;
			asleep = asleep && rl_thread_asleep(w[i].tid);
		}
		seen = asleep ? seen + 1 : 0;
	}
	return true;
}

static bool any_woke(struct waiter *w, int n)
{
	for (int i = 0; i < n; i++)
		if (woke(&w[i]))
			return true;
	return false;
}

static void join_all(pthread_t *t, int n)
{
	for (int i = 0; i < n; i++)
		rl_join(t[i]);
}

/* The usual order: the waiters are asleep before the event is set. */
START_TEST(test_waiters_wake_when_set)
{
	static struct waiter w[WAITERS];
	pthread_t t[WAITERS];
	struct event *e = event_new();
	start_waiters(w, t, WAITERS, e);
	bool asleep = all_asleep(w, WAITERS);
	if (!asleep)
		join_all(t, WAITERS);   /* join before failing, so TSan sees no leaked thread */
	ck_assert_msg(asleep, "event_wait returned before anyone called event_set: "
		      "a wakeup is not the event");

	/* They sleep, not poll: the kernel counts how often each went to sleep. */
	long before[WAITERS], woke_most = 0;
	for (int i = 0; i < WAITERS; i++)
		before[i] = rl_thread_sleeps(w[i].tid);
	rl_sleep_ms(WINDOW_MS);
	for (int i = 0; i < WAITERS; i++) {
		long n = rl_thread_sleeps(w[i].tid) - before[i];
		woke_most = n > woke_most ? n : woke_most;
	}
	event_set(e);
	join_all(t, WAITERS);
	ck_assert_msg(woke_most <= MAX_WAKEUPS, "a waiter woke up %ld times in %d ms before the "
		      "event was set: it polls; sleep until event_set", woke_most, WINDOW_MS);
	event_free(e);
}
END_TEST

/* A signal handler that does nothing: a signal is only an interruption. */
static atomic_int signals_seen;
static void count_signal(int sig)
{
	(void)sig;
	atomic_fetch_add(&signals_seen, 1);
}

/*
 * A signal delivered to a sleeping waiter (any thread of a process may take
 * one) interrupts its blocking call; the event is still not set, so the waiter
 * must sleep again. A sem_wait whose EINTR is taken for "set" returns here.
 */
START_TEST(test_signal_is_not_the_event)
{
	static struct waiter w[WAITERS];
	pthread_t t[WAITERS];
	struct sigaction sa = { .sa_handler = count_signal };   /* no SA_RESTART */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	struct event *e = event_new();
	start_waiters(w, t, WAITERS, e);
	bool asleep = all_asleep(w, WAITERS);
	for (int i = 0; asleep && i < WAITERS; i++)
		pthread_kill(t[i], SIGUSR1);
	/* Until every handler ran, or a waiter returned (then the others may have
	 * ended before their signal came, and their handlers never run). */
	while (asleep && atomic_load(&signals_seen) < WAITERS && !any_woke(w, WAITERS))
		rl_sleep_ms(1);
	bool still = asleep && all_asleep(w, WAITERS);
	event_set(e);
	join_all(t, WAITERS);
	ck_assert_msg(asleep, "event_wait returned before anyone called event_set");
	ck_assert_msg(still, "a signal made event_wait return before anyone called event_set: "
		      "an interrupted wait (EINTR) is not the event");
	event_free(e);
}
END_TEST

/*
 * A late waiter that never synchronised with the setter in any other way:
 * it learns that the setter is done through a relaxed atomic, which orders
 * nothing. What the setter wrote before event_set (the config) must be visible
 * once event_wait returns, so event_wait itself must synchronise with
 * event_set: a flag read outside the lock is a data race for TSan here.
 */
static long config;                 /* alone in its 8 bytes */
static atomic_int set_done;

static void *late_waiter(void *arg)
{
	struct event *e = arg;
	while (!atomic_load_explicit(&set_done, memory_order_relaxed))
		sched_yield();
	event_wait(e);
	return (void *)config;
}

START_TEST(test_late_waiter_sees_config)
{
	struct event *e = event_new();
	pthread_t t;
	rl_spawn(&t, late_waiter, e);
	config = 42;
	event_set(e);
	atomic_store_explicit(&set_done, 1, memory_order_relaxed);
	long got = (long)rl_join(t);
	ck_assert_msg(got == 42, "after event_wait the waiter read config %ld, expected 42", got);
	event_free(e);
}
END_TEST

/*
 * The order that happens one start in a thousand: the event is set before a
 * waiter gets to event_wait. The waiter must return at once, and so must every
 * later call (LATE_WAITS of them: an event is not a count of tokens). Last in
 * the suite: on the broken code it waits forever.
 */
START_TEST(test_set_before_wait)
{
	static struct waiter w[1];
	pthread_t t[1];
	struct event *e = event_new();
	event_set(e);
	start_waiters(w, t, 1, e);
	join_all(t, 1);
	for (int i = 0; i < LATE_WAITS; i++)
		event_wait(e);      /* and again and again, from this thread, long after the set */
	event_free(e);
}
END_TEST

/*
 * The set and the waits at once: the setter does not wait for the waiters to sleep, so a
 * waiter may be anywhere in event_wait when the event is set, between its look at the event
 * and its sleep too. Every waiter must still return. A plain run meets that moment now and
 * then; the schedules gate tries the orders one by one. After test_set_before_wait, which the
 * shipped code hangs in first.
 */
START_TEST(test_set_races_the_waits)
{
	int rounds = rl_under_scheduler() ? 1 : RACE_ROUNDS;
	for (int r = 0; r < rounds; r++) {
		static struct waiter w[2];
		pthread_t t[2];
		struct event *e = event_new();
		start_waiters(w, t, 2, e);
		event_set(e);
		join_all(t, 2);
		event_free(e);
	}
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("43-lost-wakeup");
	TCase *tc = tcase_create("event");
	tcase_add_test(tc, test_waiters_wake_when_set);
	tcase_add_test(tc, test_signal_is_not_the_event);
	tcase_add_test(tc, test_late_waiter_sees_config);
	tcase_add_test(tc, test_set_before_wait);
	tcase_add_test(tc, test_set_races_the_waits);
	suite_add_tcase(s, tc);
	return s;
}
