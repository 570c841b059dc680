/* test_bank.c: Check suite for 21-lock-order; the tests own the threads. */
#include <string.h>

#include "bank.h"
#include "racelab_test.h"

enum { START = 5000, THREADS = 4, PAYMENTS = 500 };

/* Globals, so that a report on a hang can name them: alice.lock, bob.lock. */
static struct account alice, bob;

static void open_accounts(void)
{
	account_init(&alice, 1, START);
	account_init(&bob, 2, START);
}

static void close_accounts(void)
{
	account_destroy(&alice);
	account_destroy(&bob);
}

/*
 * The schedule the probe enforces in the tests below. The two transfer
 * threads of a test get slots 0 and 1; every other thread (the test's own)
 * passes the probe untouched.
 */
static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int owner[3];             /* slot holding the account with this id, or -1 */
	struct account *wants[2]; /* the account a slot is blocking on, or NULL */
	int first_taken[2];       /* the slot has taken its first lock */
	int held[2];              /* locks the slot holds now */
	int done[2];              /* the slot's transfer has returned */
	int in_gap, audited;      /* the audit test's handshake */
} s;
static _Thread_local int slot = -1;

static void sched_reset(void)
{
	memset(&s, 0, sizeof s);
	pthread_mutex_init(&s.mu, NULL);
	pthread_cond_init(&s.cv, NULL);
	for (int i = 0; i < 3; i++)
		s.owner[i] = -1;
}

struct job {
	int slot;
	struct account *from, *to;
	long amount;
};

static void *run_transfer(void *arg)
{
	struct job *j = arg;
	slot = j->slot;
	transfer(j->from, j->to, j->amount);
	pthread_mutex_lock(&s.mu);
	s.done[slot] = 1;
	pthread_cond_broadcast(&s.cv);
	pthread_mutex_unlock(&s.mu);
	return NULL;
}

/*
 * Overlap probe: a thread that has just taken its first lock waits until the
 * other thread can no longer slip in between its two locks: the other has
 * taken its own first lock, or is blocked on the lock this one holds, or is
 * done. Lock in one global order and the second thread blocks on the first
 * one's lock, which lets it finish; lock in argument order and each thread
 * ends up holding the lock the other one wants, every run.
 */
static int peer_settled(int me)
{
	int peer = 1 - me;
	return s.first_taken[peer] || s.done[peer] ||
	       (s.wants[peer] && s.owner[s.wants[peer]->id] == me);
}

static void overlap_before_lock(struct account *a)
{
	if (slot < 0)
		return;
	pthread_mutex_lock(&s.mu);
	s.wants[slot] = a;
	pthread_cond_broadcast(&s.cv);
	pthread_mutex_unlock(&s.mu);
}

static void overlap_after_lock(struct account *a)
{
	if (slot < 0)
		return;
	pthread_mutex_lock(&s.mu);
	s.wants[slot] = NULL;
	s.owner[a->id] = slot;
	if (!s.first_taken[slot]) {
		s.first_taken[slot] = 1;
		pthread_cond_broadcast(&s.cv);
		while (!peer_settled(slot))
			pthread_cond_wait(&s.cv, &s.mu);
	}
	pthread_mutex_unlock(&s.mu);
}

static void overlap_before_unlock(struct account *a)
{
	if (slot < 0)
		return;
	pthread_mutex_lock(&s.mu);
	s.owner[a->id] = -1;
	pthread_mutex_unlock(&s.mu);
}

/*
 * Gap probe: pause the transfer thread if it ever reaches for a lock while
 * holding none, after it has already taken one. That is the moment, in the
 * middle of a transfer, when no lock guards the money; the test audits then.
 */
static void gap_before_lock(struct account *a)
{
	(void)a;
	if (slot < 0)
		return;
	pthread_mutex_lock(&s.mu);
	if (s.held[slot] == 0 && s.first_taken[slot]) {
		s.in_gap = 1;
		pthread_cond_broadcast(&s.cv);
		while (!s.audited)
			pthread_cond_wait(&s.cv, &s.mu);
	}
	pthread_mutex_unlock(&s.mu);
}

static void gap_after_lock(struct account *a)
{
	(void)a;
	if (slot < 0)
		return;
	pthread_mutex_lock(&s.mu);
	s.held[slot]++;
	s.first_taken[slot] = 1;
	pthread_mutex_unlock(&s.mu);
}

static void gap_before_unlock(struct account *a)
{
	(void)a;
	if (slot < 0)
		return;
	pthread_mutex_lock(&s.mu);
	s.held[slot]--;
	pthread_mutex_unlock(&s.mu);
}

static void assert_balances(long want_alice, long want_bob, const char *after)
{
	ck_assert_msg(alice.balance == want_alice && bob.balance == want_bob,
		      "after %s, alice has %ld and bob %ld; expected %ld and %ld",
		      after, alice.balance, bob.balance, want_alice, want_bob);
}

START_TEST(transfer_moves_money)
{
	open_accounts();
	transfer(&alice, &bob, 30);
	assert_balances(START - 30, START + 30, "transfer(alice, bob, 30)");
	transfer(&bob, &alice, 50);
	assert_balances(START + 20, START - 20, "then transfer(bob, alice, 50)");
	close_accounts();
}
END_TEST

static void *pay_alice_to_bob(void *arg)
{
	(void)arg;
	for (int i = 0; i < PAYMENTS; i++)
		transfer(&alice, &bob, 1);
	return NULL;
}

START_TEST(many_threads_one_direction)
{
	open_accounts();
	rl_parallel(THREADS, pay_alice_to_bob, NULL, 0);
	long moved = (long)THREADS * PAYMENTS;
	ck_assert_msg(alice.balance == START - moved && bob.balance == START + moved,
		      "%d threads each moved 1 from alice to bob %d times: alice has %ld and bob %ld, "
		      "expected %ld and %ld; transfers were lost",
		      THREADS, PAYMENTS, alice.balance, bob.balance, START - moved, START + moved);
	close_accounts();
}
END_TEST

START_TEST(no_one_sees_money_in_flight)
{
	static const struct lock_probe gap = { gap_before_lock, gap_after_lock, gap_before_unlock };
	struct job ab = { 0, &alice, &bob, 100 };
	pthread_t t;

	open_accounts();
	sched_reset();
	lock_probe_set(&gap);
	rl_spawn(&t, run_transfer, &ab);

	/* Audit in the gap if the transfer leaves one, else once it is done. */
	pthread_mutex_lock(&s.mu);
	while (!s.in_gap && !s.done[0])
		pthread_cond_wait(&s.cv, &s.mu);
	pthread_mutex_unlock(&s.mu);
	account_lock(&alice);
	account_lock(&bob);
	long total = alice.balance + bob.balance;
	account_unlock(&bob);
	account_unlock(&alice);

	pthread_mutex_lock(&s.mu);
	s.audited = 1;
	pthread_cond_broadcast(&s.cv);
	pthread_mutex_unlock(&s.mu);
	rl_join(t);
	lock_probe_set(NULL);

	ck_assert_msg(total == 2 * START,
		      "an audit holding both locks in the middle of transfer(alice, bob, 100) "
		      "counted %ld instead of %ld: the money was in neither account, so the "
		      "transfer was not one step", total, 2L * START);
	assert_balances(START - 100, START + 100, "transfer(alice, bob, 100)");
	close_accounts();
}
END_TEST

/* TSan and Helgrind see the lock order here; the threads never overlap, so nothing hangs. */
START_TEST(both_directions_one_after_the_other)
{
	struct job ab = { 0, &alice, &bob, 100 }, ba = { 1, &bob, &alice, 30 };
	pthread_t t;

	open_accounts();
	sched_reset();
	rl_spawn(&t, run_transfer, &ab);
	rl_join(t);
	rl_spawn(&t, run_transfer, &ba);
	rl_join(t);
	assert_balances(START - 70, START + 70, "transfer(alice, bob, 100) then transfer(bob, alice, 30)");
	close_accounts();
}
END_TEST

/* Last: with locks taken in argument order this one deadlocks, every run. */
START_TEST(both_directions_at_once)
{
	static const struct lock_probe overlap = { overlap_before_lock, overlap_after_lock,
						   overlap_before_unlock };
	struct job ab = { 0, &alice, &bob, 100 }, ba = { 1, &bob, &alice, 30 };
	pthread_t t1, t2;

	open_accounts();
	sched_reset();
	lock_probe_set(&overlap);
	rl_spawn(&t1, run_transfer, &ab);
	rl_spawn(&t2, run_transfer, &ba);
	rl_join(t1);
	rl_join(t2);
	lock_probe_set(NULL);
	assert_balances(START - 70, START + 70, "transfer(alice, bob, 100) and transfer(bob, alice, 30) at once");
	close_accounts();
}
END_TEST

Suite *lab_suite(void)
{
	Suite *su = suite_create("21-lock-order");
	TCase *tc = tcase_create("bank");
	tcase_add_test(tc, transfer_moves_money);
	tcase_add_test(tc, many_threads_one_direction);
	tcase_add_test(tc, no_one_sees_money_in_flight);
	tcase_add_test(tc, both_directions_one_after_the_other);
	tcase_add_test(tc, both_directions_at_once);
	suite_add_tcase(su, tc);
	return su;
}
