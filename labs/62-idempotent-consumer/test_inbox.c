/* test_inbox.c: messages delivered twice, from several threads at once, while the first copy is still in flight, past the limit, out of memory. */
#include <errno.h>
#include <limits.h>
#include <semaphore.h>
#include <time.h>

#include "inbox.h"
#include "racelab_test.h"

enum {
	KEYS = 64, SLOW_KEY = 42,
	PAST = INBOX_MAX + 32,	/* more keys than an inbox holds */
	OTHER_KEYS = 32,	/* keys outside 0..PAST-1 a test may use */
	MAX_CONSUMERS = 4,
};

/*
 * The effect every test delivers: it counts how often each key took effect.
 * For slow_key, the first effect also holds the message "in flight": it says
 * so, then waits until the duplicate delivery has come and gone.
 */
struct ledger {
	pthread_mutex_t lock;
	int applied[PAST];	/* keys 0 .. PAST-1 */
	long other[OTHER_KEYS];	/* any other key, and how often it took effect */
	int other_applied[OTHER_KEYS];
	int others;
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

/* Where the ledger counts key: the caller holds l->lock. */
static int *count_of(struct ledger *l, long key)
{
	if (key >= 0 && key < PAST)
		return &l->applied[key];
	for (int i = 0; i < l->others; i++)
		if (l->other[i] == key)
			return &l->other_applied[i];
	ck_assert_msg(l->others < OTHER_KEYS, "the test used more than %d keys outside 0..%d", OTHER_KEYS, PAST - 1);
	l->other[l->others] = key;
	return &l->other_applied[l->others++];
}

static int applied(struct ledger *l, long key)
{
	pthread_mutex_lock(&l->lock);
	int times = *count_of(l, key);
	pthread_mutex_unlock(&l->lock);
	return times;
}

static void apply(long key, void *ctx)
{
	struct ledger *l = ctx;
	pthread_mutex_lock(&l->lock);
	int times = ++*count_of(l, key);
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

/*
 * A key is any long: 0, negative, the extremes, and keys that share a home
 * in a table of INBOX_MAX slots (k, k + INBOX_MAX, k - INBOX_MAX). No key
 * value may stand for "empty", and a negative key must not index outside the
 * table. Each is delivered twice, after all of them were delivered once.
 */
START_TEST(test_keys_of_any_value)
{
	static const long keys[] = { 0, -1, 1, LONG_MIN, LONG_MAX, -INBOX_MAX, INBOX_MAX,
				     2 * INBOX_MAX, 5, 5 + INBOX_MAX, 5 - INBOX_MAX, LONG_MIN + INBOX_MAX };
	enum { N = sizeof keys / sizeof keys[0] };
	struct inbox *in = inbox_new();
	struct ledger l;
	ck_assert_ptr_nonnull(in);
	ledger_init(&l, -1);
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < N; i++) {
			int got = inbox_deliver(in, keys[i], apply, &l), want = round == 0 ? 1 : 0;
			ck_assert_msg(got == want && applied(&l, keys[i]) == 1,
				      "%s delivery of key %ld returned %d and the key has taken effect %d "
				      "times; expected %d and once (every long is a key)",
				      round == 0 ? "the first" : "a second", keys[i], got,
				      applied(&l, keys[i]), want);
		}
	ledger_destroy(&l);
	inbox_free(in);
}
END_TEST

/*
 * Several consumers get the same new key at the same moment: a barrier lets
 * them go together, key after key, so their checks and claims overlap. Of
 * the copies of one key exactly one is taken (1), every other is dropped (0).
 * A plain run makes the overlap likely; the schedules gate tries the
 * interleavings one step at a time, so a claim made of two steps (look, then
 * reserve) is split there. Run with 2, 3 and 4 consumers.
 */
static const long crowd_keys[] = { 3, 3 + INBOX_MAX, -3, 0, 100, 100 - INBOX_MAX };
enum { CROWD_KEYS = sizeof crowd_keys / sizeof crowd_keys[0] };

struct crowd_consumer {
	struct inbox *in;
	struct ledger *l;
	pthread_barrier_t *together;
	int got[CROWD_KEYS];
};

static void *deliver_together(void *arg)
{
	struct crowd_consumer *c = arg;
	for (int i = 0; i < CROWD_KEYS; i++) {
		pthread_barrier_wait(c->together);
		c->got[i] = inbox_deliver(c->in, crowd_keys[i], apply, c->l);
	}
	return NULL;
}

START_TEST(test_same_new_key_at_once)
{
	int n = _i;
	rl_heap_count();
	struct inbox *in = inbox_new();
	struct ledger l;
	pthread_barrier_t together;
	struct crowd_consumer c[MAX_CONSUMERS];
	ck_assert_ptr_nonnull(in);
	ledger_init(&l, -1);
	pthread_barrier_init(&together, NULL, n);
	for (int i = 0; i < n; i++)
		c[i] = (struct crowd_consumer){ .in = in, .l = &l, .together = &together };
	rl_parallel(n, deliver_together, c, sizeof c[0]);
	for (int k = 0; k < CROWD_KEYS; k++) {
		int taken = 0, dropped = 0;
		for (int i = 0; i < n; i++) {
			taken += c[i].got[k] == 1;
			dropped += c[i].got[k] == 0;
		}
		ck_assert_msg(taken == 1 && dropped == n - 1 && applied(&l, crowd_keys[k]) == 1,
			      "%d consumers delivered key %ld at the same moment: %d deliveries took it, "
			      "%d dropped it, and it took effect %d times; expected 1 taken, %d dropped, "
			      "once: looking for the key and claiming it must be one step",
			      n, crowd_keys[k], taken, dropped, applied(&l, crowd_keys[k]), n - 1);
	}
	pthread_barrier_destroy(&together);
	ledger_destroy(&l);
	inbox_free(in);
	/* Counted under the schedules gate only, which takes the paths where deliveries lose a race. */
	long held = rl_heap_held();
	ck_assert_msg(held <= 0,
		      "%d consumers delivered the same new keys at once; after inbox_free, %ld blocks that the "
		      "inbox allocated were never freed: a delivery that lost the race for a key forgot what it "
		      "had allocated", n, held);
}
END_TEST

/*
 * The last free places, taken at once. The inbox is filled (on this thread)
 * until `room` places are left, 1 or 2; then three consumers each deliver a
 * key of their own at the same moment. Exactly `room` of them may be taken,
 * the rest refused (-1), and every key taken must still be known afterwards:
 * a claim that checks for room in one step and inserts in another takes a key
 * it then cannot remember.
 */
enum { LAST_CONSUMERS = 3, LAST_KEY0 = INBOX_MAX + 1 };

struct last_consumer {
	struct inbox *in;
	struct ledger *l;
	long key;
	int got;
};

static void *deliver_own_key(void *arg)
{
	struct last_consumer *c = arg;
	c->got = inbox_deliver(c->in, c->key, apply, c->l);
	return NULL;
}

START_TEST(test_last_places_taken_at_once)
{
	int room = _i, taken = 0;
	struct inbox *in = inbox_new();
	struct ledger l;
	struct last_consumer c[LAST_CONSUMERS];
	ck_assert_ptr_nonnull(in);
	ledger_init(&l, -1);
	for (long k = 0; k < INBOX_MAX - room; k++)
		ck_assert_int_eq(inbox_deliver(in, k, apply, &l), 1);
	for (int i = 0; i < LAST_CONSUMERS; i++)
		c[i] = (struct last_consumer){ .in = in, .l = &l, .key = LAST_KEY0 + i };
	rl_parallel(LAST_CONSUMERS, deliver_own_key, c, sizeof c[0]);
	for (int i = 0; i < LAST_CONSUMERS; i++) {
		ck_assert_msg((c[i].got == 1 && applied(&l, c[i].key) == 1) ||
			      (c[i].got == -1 && applied(&l, c[i].key) == 0),
			      "key %ld returned %d and took effect %d times; expected 1 and once, or -1 "
			      "and never", c[i].key, c[i].got, applied(&l, c[i].key));
		taken += c[i].got == 1;
	}
	ck_assert_msg(taken == room,
		      "%d consumers each delivered a new key at once to an inbox with room for %d "
		      "more: %d were taken; expected %d (the rest refused with -1)",
		      LAST_CONSUMERS, room, taken, room);
	for (int i = 0; i < LAST_CONSUMERS; i++) {
		int again = inbox_deliver(in, c[i].key, apply, &l), want = c[i].got == 1 ? 0 : -1;
		ck_assert_msg(again == want,
			      "key %ld, %s while the last places were taken, returned %d when delivered "
			      "again; expected %d%s", c[i].key, c[i].got == 1 ? "taken" : "refused",
			      again, want, want == 0 ? ": the inbox forgot a key it had taken" : "");
	}
	ledger_destroy(&l);
	inbox_free(in);
}
END_TEST

/*
 * Out of memory. Every malloc (then every calloc) the inbox makes fails in
 * turn, once. A delivery that cannot remember its key returns -1 and runs no
 * effect, and it must not leave the key half taken: delivered again, with
 * memory back, it is taken (1) and takes effect once. A delivery that returned
 * 1 took effect once, and its key is known.
 */
static void deliver_short_of_memory(void *arg)
{
	(void)arg;
	enum { N = 3 };
	struct ledger l;
	int first[N];
	struct inbox *in = inbox_new();
	if (in == NULL)
		return;		/* inbox_new itself could not get its memory: it said so */
	ledger_init(&l, -1);
	for (int k = 0; k < N; k++) {
		first[k] = inbox_deliver(in, k, apply, &l);
		ck_assert_msg((first[k] == 1 && l.applied[k] == 1) || (first[k] == -1 && l.applied[k] == 0),
			      "delivery of key %d returned %d and took effect %d times; expected 1 and "
			      "once, or -1 (out of memory) and never", k, first[k], l.applied[k]);
	}
	rl_fault_disarm();
	for (int k = 0; k < N; k++) {
		int again = inbox_deliver(in, k, apply, &l), want = first[k] == 1 ? 0 : 1;
		ck_assert_msg(again == want && l.applied[k] == 1,
			      "key %d, %s the first time, returned %d when delivered again with memory "
			      "back and has taken effect %d times; expected %d and once", k,
			      first[k] == 1 ? "taken" : "refused (-1)", again, l.applied[k], want);
	}
	ledger_destroy(&l);
	inbox_free(in);
}

START_TEST(test_out_of_memory)
{
	rl_fault_sweep("malloc", ENOMEM, deliver_short_of_memory, NULL);
	rl_fault_sweep("calloc", ENOMEM, deliver_short_of_memory, NULL);
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
	tcase_add_test(tc, test_keys_of_any_value);
	tcase_add_loop_test(tc, test_same_new_key_at_once, 2, MAX_CONSUMERS + 1);
	tcase_add_loop_test(tc, test_last_places_taken_at_once, 1, 3);
	tcase_add_test(tc, test_out_of_memory);
	suite_add_tcase(s, tc);
	return s;
}
