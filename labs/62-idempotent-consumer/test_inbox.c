/* test_inbox.c: messages delivered twice, from two threads, while the first copy is still in flight. */
#include <errno.h>
#include <semaphore.h>
#include <time.h>

#include "inbox.h"
#include "racelab_test.h"

enum { KEYS = 64, SLOW_KEY = 42, PAST = INBOX_MAX + 32 };	/* PAST: more keys than an inbox holds */

/*
 * The effect every test delivers: it counts how often each key took effect.
 * For slow_key, the first effect also holds the message "in flight": it says
 * so, then waits until the duplicate delivery has come and gone.
 */
struct ledger {
	pthread_mutex_t lock;
	int applied[PAST];
	long slow_key;		/* -1: no key is slow */
	sem_t in_flight;	/* posted when slow_key's first effect has started */
	sem_t dup_done;		/* posted when the duplicate delivery has returned */
	int dup_waited;		/* the duplicate never returned while we held on */
};

static void ledger_init(struct ledger *l, long slow_key)
{
	*l = (struct ledger){ .slow_key = slow_key };
	pthread_mutex_init(&l->lock, NULL);
	sem_init(&l->in_flight, 0, 0);
	sem_init(&l->dup_done, 0, 0);
}

static void ledger_destroy(struct ledger *l)
{
	sem_destroy(&l->dup_done);
	sem_destroy(&l->in_flight);
	pthread_mutex_destroy(&l->lock);
}

/* sem_wait that gives up after 2 seconds; returns 0 if it got the semaphore. */
static int wait_2s(sem_t *s)
{
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 2;
	int rc;
	while ((rc = sem_timedwait(s, &deadline)) != 0 && errno == EINTR)
		;
	return rc;
}

static void apply(long key, void *ctx)
{
	struct ledger *l = ctx;
	pthread_mutex_lock(&l->lock);
	int times = ++l->applied[key];
	pthread_mutex_unlock(&l->lock);
	if (key == l->slow_key && times == 1) {
		sem_post(&l->in_flight);
		if (wait_2s(&l->dup_done) != 0)
			l->dup_waited = 1;
	}
}

static void assert_each_key_once(struct ledger *l, int keys)
{
	for (int k = 0; k < keys; k++)
		ck_assert_msg(l->applied[k] == 1,
			      "key %d took effect %d times; every key must take effect exactly once, "
			      "however many times it is delivered", k, l->applied[k]);
}

START_TEST(test_redelivery_dropped)
{
	struct inbox *in = inbox_new();
	struct ledger l;
	ck_assert_ptr_nonnull(in);
	ledger_init(&l, -1);
	ck_assert_msg(inbox_deliver(in, 7, apply, &l) == 1, "first delivery of key 7 returned 0");
	ck_assert_msg(inbox_deliver(in, 7, apply, &l) == 0, "second delivery of key 7 returned 1");
	ck_assert_msg(inbox_deliver(in, 8, apply, &l) == 1, "first delivery of key 8 returned 0");
	ck_assert_msg(l.applied[7] == 1 && l.applied[8] == 1,
		      "key 7 took effect %d times and key 8 %d times, expected once each",
		      l.applied[7], l.applied[8]);
	ledger_destroy(&l);
	inbox_free(in);
}
END_TEST

struct consumer {
	struct inbox *in;
	struct ledger *l;
	int taken;		/* deliveries that returned 1 */
};

static void *consume_all(void *arg)
{
	struct consumer *c = arg;
	for (long k = 0; k < KEYS; k++)
		c->taken += inbox_deliver(c->in, k, apply, c->l);
	return NULL;
}

/* Two consumers get every message: the broker redelivers them all. */
START_TEST(test_two_consumers_same_stream)
{
	struct inbox *in = inbox_new();
	struct ledger l;
	struct consumer c[2];
	ck_assert_ptr_nonnull(in);
	ledger_init(&l, -1);
	for (int i = 0; i < 2; i++)
		c[i] = (struct consumer){ .in = in, .l = &l };
	rl_parallel(2, consume_all, c, sizeof c[0]);
	assert_each_key_once(&l, KEYS);
	ck_assert_msg(c[0].taken + c[1].taken == KEYS,
		      "inbox_deliver returned 1 for %d deliveries of %d distinct keys",
		      c[0].taken + c[1].taken, KEYS);
	ledger_destroy(&l);
	inbox_free(in);
}
END_TEST

static void *deliver_slow_key(void *arg)
{
	struct consumer *c = arg;
	c->taken = inbox_deliver(c->in, SLOW_KEY, apply, c->l);
	return NULL;
}

static void *redeliver_while_in_flight(void *arg)
{
	struct consumer *c = arg;
	if (wait_2s(&c->l->in_flight) != 0)
		return NULL;	/* the first delivery never started its effect */
	c->taken = inbox_deliver(c->in, SLOW_KEY, apply, c->l);
	sem_post(&c->l->dup_done);
	return NULL;
}

/*
 * The broker redelivers key 42 because the first copy is slow: the duplicate
 * arrives while the first copy's effect is still running.
 */
START_TEST(test_redelivery_while_in_flight)
{
	struct inbox *in = inbox_new();
	struct ledger l;
	struct consumer first, dup;
	pthread_t t1, t2;
	ck_assert_ptr_nonnull(in);
	ledger_init(&l, SLOW_KEY);
	first = (struct consumer){ .in = in, .l = &l };
	dup = first;
	rl_spawn(&t1, deliver_slow_key, &first);
	rl_spawn(&t2, redeliver_while_in_flight, &dup);
	rl_join(t1);
	rl_join(t2);
	ck_assert_msg(l.applied[SLOW_KEY] > 0,
		      "the first delivery of key 42 never ran its effect");
	ck_assert_msg(l.applied[SLOW_KEY] == 1,
		      "key 42 took effect %d times: it was delivered again while its first "
		      "delivery was still running, and both copies ran the effect",
		      l.applied[SLOW_KEY]);
	ck_assert_msg(!l.dup_waited,
		      "the duplicate of key 42 waited for the first copy's effect to finish; "
		      "it must be dropped at once (inbox_deliver held a lock across the effect?)");
	ck_assert_msg(first.taken == 1 && dup.taken == 0,
		      "deliveries of key 42 returned %d (first) and %d (duplicate), expected 1 and 0",
		      first.taken, dup.taken);
	ledger_destroy(&l);
	inbox_free(in);
}
END_TEST

/* One consumer, more distinct keys than the inbox holds: it must refuse them, not forget them. */
START_TEST(test_full_inbox_refuses_new_keys)
{
	struct inbox *in = inbox_new();
	struct ledger l;
	ck_assert_ptr_nonnull(in);
	ledger_init(&l, -1);
	for (long k = 0; k < INBOX_MAX; k++) {
		int got = inbox_deliver(in, k, apply, &l);
		ck_assert_msg(got == 1, "delivery of key %ld, new to an inbox holding %ld keys, returned %d "
			      "instead of 1: an inbox remembers INBOX_MAX (%d) keys", k, k, got, INBOX_MAX);
	}
	for (long k = INBOX_MAX; k < PAST; k++) {
		int got = inbox_deliver(in, k, apply, &l);
		ck_assert_msg(got == -1 && l.applied[k] == 0,
			      "key %ld, new to an inbox that already holds INBOX_MAX (%d) keys, returned %d "
			      "and took effect %d times: it must be refused (-1) without its effect, or "
			      "the inbox has taken a key it cannot remember", k, INBOX_MAX, got, l.applied[k]);
	}
	/* Redelivered: the old keys are still known, the refused ones still refused. */
	for (long k = 0; k < PAST; k++) {
		int got = inbox_deliver(in, k, apply, &l), want = k < INBOX_MAX ? 0 : -1;
		ck_assert_msg(got == want, "redelivery of key %ld to a full inbox returned %d, expected %d%s",
			      k, got, want, want == 0 ? ": the inbox forgot a key it had taken" : "");
	}
	assert_each_key_once(&l, INBOX_MAX);
	ledger_destroy(&l);
	inbox_free(in);
}
END_TEST

struct past_consumer {
	struct inbox *in;
	struct ledger *l;
	int got[PAST];		/* what each delivery returned */
};

static void *consume_past_the_limit(void *arg)
{
	struct past_consumer *c = arg;
	for (long k = 0; k < PAST; k++)
		c->got[k] = inbox_deliver(c->in, k, apply, c->l);
	return NULL;
}

/*
 * Two consumers get the same stream of more keys than the inbox holds. Which
 * keys fill it depends on the timing; what may not is that each key is taken
 * once or refused by both, and that exactly INBOX_MAX are taken.
 */
START_TEST(test_two_consumers_past_the_limit)
{
	struct inbox *in = inbox_new();
	struct ledger l;
	static struct past_consumer c[2];
	ck_assert_ptr_nonnull(in);
	ledger_init(&l, -1);
	for (int i = 0; i < 2; i++)
		c[i] = (struct past_consumer){ .in = in, .l = &l };
	rl_parallel(2, consume_past_the_limit, c, sizeof c[0]);
	int taken = 0;
	for (long k = 0; k < PAST; k++) {
		int a = c[0].got[k], b = c[1].got[k], times = l.applied[k];
		int once = times == 1 && ((a == 1 && b == 0) || (a == 0 && b == 1));
		int refused = times == 0 && a == -1 && b == -1;
		ck_assert_msg(once || refused,
			      "key %ld took effect %d times and its two deliveries returned %d and %d: "
			      "expected once (1 and 0) or refused by both (-1 and -1)", k, times, a, b);
		taken += once;
	}
	ck_assert_msg(taken == INBOX_MAX, "%d keys of %d took effect; an inbox holds exactly INBOX_MAX (%d)",
		      taken, PAST, INBOX_MAX);
	ledger_destroy(&l);
	inbox_free(in);
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("62-idempotent-consumer");
	TCase *tc = tcase_create("inbox");
	tcase_add_test(tc, test_redelivery_dropped);
	tcase_add_test(tc, test_two_consumers_same_stream);
	tcase_add_test(tc, test_redelivery_while_in_flight);
	tcase_add_test(tc, test_full_inbox_refuses_new_keys);
	tcase_add_test(tc, test_two_consumers_past_the_limit);
	suite_add_tcase(s, tc);
	return s;
}
