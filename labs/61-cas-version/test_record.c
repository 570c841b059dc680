/* test_record.c: updaters forced to collide round after round, readers that check every pair while updates run. */
#include <errno.h>
#include <limits.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <time.h>

#include "record.h"
#include "racelab_test.h"

enum {
	THREADS = 4, UPDATES = 500,
	MAX_CROWD = 5,		/* the largest crowd of colliding updaters */
	MAX_ROUNDS = 8,		/* rounds a crowd meets in (a weak CAS may add spurious ones) */
	WAIT_S = 2,		/* a meeting gives up after this: someone is blocked */
	WATCH_UPDATES = 20000,	/* per updater in the watched run: long enough to overlap the readers */
	WATCH_START = -1000,	/* the watched record starts below 0 and crosses it */
};

static void deadline_in(struct timespec *deadline, int seconds)
{
	clock_gettime(CLOCK_REALTIME, deadline);
	deadline->tv_sec += seconds;
}

/*
 * A crowd of updaters that collide in every round. In round n, every updater
 * still inside record_update waits in its n-th change() until all of them are
 * there: each has read the record, none has written. Then all write at once;
 * one compare-and-set wins and leaves, every other one must read again and
 * meet the rest in round n + 1. With k updaters that is k rounds, and a fix
 * that retries only a fixed number of times, or recomputes from a stale value,
 * loses an update on every run. If someone never arrives (blocked until
 * another's change() returns), the meeting gives up after WAIT_S and says so.
 */
struct crowd {
	pthread_mutex_t lock;
	pthread_cond_t moved;
	int active;			/* updaters still inside record_update */
	int arrived[MAX_ROUNDS + 1];	/* per round, the updaters in change() */
	int gave_up;
};

struct updater {
	struct record *r;
	struct crowd *crowd;	/* NULL: no meeting */
	int calls;		/* how many times change() ran */
};

static void crowd_init(struct crowd *c, int k)
{
	*c = (struct crowd){ .active = k };
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->moved, NULL);
}

static void crowd_destroy(struct crowd *c)
{
	pthread_cond_destroy(&c->moved);
	pthread_mutex_destroy(&c->lock);
}

static void crowd_meet(struct crowd *c, int round)
{
	struct timespec deadline;
	deadline_in(&deadline, WAIT_S);
	pthread_mutex_lock(&c->lock);
	c->arrived[round]++;
	pthread_cond_broadcast(&c->moved);
	while (c->arrived[round] < c->active && !c->gave_up)
		if (pthread_cond_timedwait(&c->moved, &c->lock, &deadline) == ETIMEDOUT)
			c->gave_up = 1;
	pthread_cond_broadcast(&c->moved);
	pthread_mutex_unlock(&c->lock);
}

static void crowd_leave(struct crowd *c)
{
	pthread_mutex_lock(&c->lock);
	c->active--;
	pthread_cond_broadcast(&c->moved);
	pthread_mutex_unlock(&c->lock);
}

static int add_one(int value, void *ctx)
{
	struct updater *u = ctx;
	if (++u->calls <= MAX_ROUNDS && u->crowd != NULL)
		crowd_meet(u->crowd, u->calls);
	return value + 1;
}

static void *update_once(void *arg)
{
	struct updater *u = arg;
	record_update(u->r, add_one, u);
	if (u->crowd != NULL)
		crowd_leave(u->crowd);
	return NULL;
}

static void *update_many(void *arg)
{
	struct updater *u = arg;
	for (int i = 0; i < UPDATES; i++)
		record_update(u->r, add_one, u);
	return NULL;
}

static int add_ctx(int value, void *ctx)
{
	return value + *(int *)ctx;
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

/*
 * Any int is a stock level: 0, negative (oversold), the extremes. Three
 * updates step each one away from its edge; value and version must come back
 * apart, whatever the value's sign bit (a value packed into a wider word
 * without its sign cut off spills into the version).
 */
START_TEST(test_values_of_any_sign)
{
	static const int starts[] = { 0, 1, -1, -2, 1000, -1000, INT_MAX, INT_MIN };
	for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
		int start = starts[i], step = start >= 0 ? -1 : 1, value;
		unsigned version;
		struct record *r = record_new(start);
		ck_assert_ptr_nonnull(r);
		record_read(r, &value, &version);
		ck_assert_msg(value == start && version == 0,
			      "a new record of %d read back as value %d, version %u; expected %d, 0",
			      start, value, version, start);
		for (unsigned n = 1; n <= 3; n++) {
			record_update(r, add_ctx, &step);
			record_read(r, &value, &version);
			ck_assert_msg(value == start + (int)n * step && version == n,
				      "%u updates of %+d on %d read back as value %d, version %u; "
				      "expected %d, %u", n, step, start, value, version,
				      start + (int)n * step, n);
		}
		record_free(r);
	}
}
END_TEST

/*
 * Crowds of 2 to MAX_CROWD updaters, each adding 1 to 0 once, colliding in
 * every round (see struct crowd). Each round one lands; the rest must read
 * again, compute again from the fresh value, and try again.
 */
START_TEST(test_crowds_collide_every_round)
{
	for (int k = 2; k <= MAX_CROWD; k++) {
		struct crowd c;
		struct record *r = record_new(0);
		struct updater u[MAX_CROWD];
		pthread_t t[MAX_CROWD];
		int value, calls = 0;
		unsigned version;
		ck_assert_ptr_nonnull(r);
		crowd_init(&c, k);
		for (int i = 0; i < k; i++) {
			u[i] = (struct updater){ .r = r, .crowd = &c };
			rl_spawn(&t[i], update_once, &u[i]);
		}
		for (int i = 0; i < k; i++)
			rl_join(t[i]);
		ck_assert_msg(!c.gave_up,
			      "%d updaters: one waited for another's change() to finish: record_update "
			      "must not hold a lock (or anything else) while change() runs", k);
		for (int i = 0; i < k; i++)
			calls += u[i].calls;
		record_read(r, &value, &version);
		ck_assert_msg(value == k && version == (unsigned)k,
			      "%d updaters each added 1 to 0, all reading the record before any wrote, "
			      "round after round: the record ended at value %d, version %u, expected "
			      "%d, %d: an update was lost (does a loser retry until it lands, and "
			      "compute again from what it reads?)", k, value, version, k, k);
		ck_assert_msg(calls >= k * (k + 1) / 2,
			      "%d updaters that collided in every round ran change() %d times; at least "
			      "%d expected (every loser must compute again from the new value)",
			      k, calls, k * (k + 1) / 2);
		crowd_destroy(&c);
		record_free(r);
	}
}
END_TEST

/*
 * Changed and changed back (ABA): while one updater computes from 10, two
 * other updates land, +5 and -5. The value is 10 again, but two updates
 * happened in between, so the first updater's result is stale: record.h says
 * it must read again and call change() again. Only the version tells.
 */
struct slow {
	struct record *r;
	sem_t inside, go;
	int calls, waited_out;
};

static int slow_add_one(int value, void *ctx)
{
	struct slow *s = ctx;
	if (++s->calls == 1) {
		struct timespec deadline;
		deadline_in(&deadline, WAIT_S);
		sem_post(&s->inside);
		while (sem_timedwait(&s->go, &deadline) != 0)
			if (errno != EINTR) {
				s->waited_out = 1;
				break;
			}
	}
	return value + 1;
}

static void *update_slowly(void *arg)
{
	struct slow *s = arg;
	record_update(s->r, slow_add_one, s);
	return NULL;
}

START_TEST(test_changed_and_changed_back)
{
	struct slow s = { .r = record_new(10) };
	int plus = 5, minus = -5, value;
	unsigned version;
	pthread_t t;
	ck_assert_ptr_nonnull(s.r);
	sem_init(&s.inside, 0, 0);
	sem_init(&s.go, 0, 0);
	rl_spawn(&t, update_slowly, &s);
	while (sem_wait(&s.inside) != 0)
		;
	record_update(s.r, add_ctx, &plus);	/* 10 -> 15 */
	record_update(s.r, add_ctx, &minus);	/* 15 -> 10 */
	sem_post(&s.go);
	rl_join(t);
	ck_assert_msg(!s.waited_out,
		      "two updates waited for another updater's change() to finish: record_update "
		      "must not hold a lock (or anything else) while change() runs");
	record_read(s.r, &value, &version);
	ck_assert_msg(s.calls == 2,
		      "an updater read 10 and, while its change() ran, the record went 10 -> 15 "
		      "-> 10 in two other updates; its change() ran %d time(s), expected 2: the "
		      "value is back, but the record is not the one it read (compare the version "
		      "too)", s.calls);
	ck_assert_msg(value == 11 && version == 3,
		      "10, +5, -5 and +1 (the slow one) ended at value %d, version %u, expected 11, 3",
		      value, version);
	sem_destroy(&s.go);
	sem_destroy(&s.inside);
	record_free(s.r);
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

/*
 * Readers while updates run. Every update adds 1 and bumps the version, so
 * every pair record_read returns must satisfy value == WATCH_START + version,
 * and one reader's versions never go back. A pair read after the fact always
 * looks right; a pair read in the middle of an update done as two separate
 * atomic steps (the value written, the version not yet, or the other way)
 * does not. The readers loop until the last updater is done, so they overlap
 * the whole run; on two cores they see the middle of updates many times over.
 */
struct watch {
	struct record *r;
	atomic_int *updating;	/* updaters not done yet */
	int is_reader;
	long reads, torn;
	int value;		/* the first torn pair */
	unsigned version;
	int went_back;
};

static void *watch_or_update(void *arg)
{
	struct watch *w = arg;
	int one = 1;
	if (!w->is_reader) {
		for (long i = 0, n = rl_scale(WATCH_UPDATES); i < n; i++)
			record_update(w->r, add_ctx, &one);
		atomic_fetch_sub(w->updating, 1);
		return NULL;
	}
	unsigned last = 0;
	do {
		int value;
		unsigned version;
		record_read(w->r, &value, &version);
		w->reads++;
		if (value != WATCH_START + (int)version && !w->torn++) {
			w->value = value;
			w->version = version;
		}
		if (version < last)
			w->went_back = 1;
		last = version;
	} while (atomic_load(w->updating) > 0);
	return NULL;
}

START_TEST(test_readers_see_whole_pairs)
{
	static const struct { int updaters, readers; } shapes[] = { { 1, 1 }, { 2, 2 }, { 3, 1 } };
	for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
		int n = shapes[s].updaters + shapes[s].readers, value;
		unsigned version;
		atomic_int updating = shapes[s].updaters;
		struct watch w[THREADS];
		struct record *r = record_new(WATCH_START);
		ck_assert_ptr_nonnull(r);
		for (int i = 0; i < n; i++)
			w[i] = (struct watch){ .r = r, .updating = &updating,
					       .is_reader = i >= shapes[s].updaters };
		rl_parallel(n, watch_or_update, w, sizeof w[0]);
		for (int i = shapes[s].updaters; i < n; i++) {
			ck_assert_msg(!w[i].torn,
				      "%d updater(s) added 1 at a time to %d while %d reader(s) read: "
				      "%ld of %ld reads returned a value and a version that do not "
				      "belong together (the first: value %d with version %u, expected "
				      "value %d): record_read saw the middle of an update; value and "
				      "version must change together, in one atomic step",
				      shapes[s].updaters, WATCH_START, shapes[s].readers, w[i].torn,
				      w[i].reads, w[i].value, w[i].version,
				      WATCH_START + (int)w[i].version);
			ck_assert_msg(!w[i].went_back, "a reader saw the version go backwards");
		}
		record_read(r, &value, &version);
		long total = shapes[s].updaters * rl_scale(WATCH_UPDATES);
		ck_assert_msg(version == total && value == WATCH_START + total,
			      "%d updater(s) made %ld updates of +1 on %d: ended at value %d, "
			      "version %u", shapes[s].updaters, total, WATCH_START, value, version);
		record_free(r);
	}
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("61-cas-version");
	TCase *tc = tcase_create("record");
	tcase_add_test(tc, test_one_update);
	tcase_add_test(tc, test_values_of_any_sign);
	tcase_add_test(tc, test_crowds_collide_every_round);
	tcase_add_test(tc, test_changed_and_changed_back);
	tcase_add_test(tc, test_many_updaters);
	tcase_add_test(tc, test_readers_see_whole_pairs);
	suite_add_tcase(s, tc);
	return s;
}
