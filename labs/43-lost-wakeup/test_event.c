/* test_event.c: the Check suite of 43-lost-wakeup (do not edit). */
#include <check.h>
#include <semaphore.h>
#include <stdbool.h>
#include <unistd.h>

#include "event.h"
#include "racelab_test.h"

enum { WAITERS = 3 };

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

	event_set(e);
	join_all(t, WAITERS);
	event_free(e);
}
END_TEST

/*
 * The order that happens one start in a thousand: the event is set before a
 * waiter gets to event_wait. The waiter must return at once. Last in the suite:
 * on the broken code it waits forever.
 */
START_TEST(test_set_before_wait)
{
	static struct waiter w[1];
	pthread_t t[1];
	struct event *e = event_new();
	event_set(e);
	start_waiters(w, t, 1, e);
	join_all(t, 1);
	event_wait(e);      /* and again, from this thread, long after the set */
	event_free(e);
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("43-lost-wakeup");
	TCase *tc = tcase_create("event");
	tcase_add_test(tc, test_waiters_wake_when_set);
	tcase_add_test(tc, test_set_before_wait);
	suite_add_tcase(s, tc);
	return s;
}
