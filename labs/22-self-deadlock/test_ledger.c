/* test_ledger.c: Check suite for 22-self-deadlock; the tests own the threads. */
#include <string.h>

#include "ledger.h"
#include "racelab_test.h"

enum { START = 1000, THREADS = 4, DEPOSITS = 1000 };

/* A global, so that a report on a hang can name it: wallet.lock. */
static struct wallet wallet;

static void *deposit_ones(void *arg)
{
	(void)arg;
	for (int i = 0; i < DEPOSITS; i++)
		deposit(&wallet, 1);
	return NULL;
}

START_TEST(deposits_add_up)
{
	wallet_init(&wallet, START);
	deposit(&wallet, 30);
	deposit(&wallet, -50);
	ck_assert_msg(wallet.balance == START - 20,
		      "deposit(+30) then deposit(-50) on %d left %ld; expected %d",
		      START, wallet.balance, START - 20);
	wallet_destroy(&wallet);
}
END_TEST

START_TEST(concurrent_deposits_add_up)
{
	wallet_init(&wallet, START);
	rl_parallel(THREADS, deposit_ones, NULL, 0);
	long want = START + (long)THREADS * DEPOSITS;
	ck_assert_msg(wallet.balance == want,
		      "%d threads each deposited 1 %d times: the balance is %ld, expected %ld; "
		      "deposits were lost", THREADS, DEPOSITS, wallet.balance, want);
	wallet_destroy(&wallet);
}
END_TEST

/* With a deposit that re-locks the lock apply_fee holds, this one hangs. */
START_TEST(fee_charged_once_a_month)
{
	wallet_init(&wallet, START);
	int first = apply_fee(&wallet, 1);
	int again = apply_fee(&wallet, 1);
	int next = apply_fee(&wallet, 2);
	ck_assert_msg(first == 1 && again == 0 && next == 1,
		      "apply_fee for months 1, 1, 2 returned %d, %d, %d; expected 1, 0, 1",
		      first, again, next);
	ck_assert_msg(wallet.balance == START - 2 * MONTHLY_FEE,
		      "after the fees for months 1 and 2 the balance is %ld; expected %d",
		      wallet.balance, START - 2 * MONTHLY_FEE);
	wallet_destroy(&wallet);
}
END_TEST

/*
 * The overlap test's handshake: the billing thread pauses right after it
 * first lets go of the wallet's lock, and the test runs a second apply_fee
 * for the same month in that moment. Code that holds the lock from the check
 * to the charge lets go only at the very end, so the second call finds the
 * month charged; code that lets go in between lets the second call charge too.
 */
static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int paused, done, go;
} s;
static _Thread_local int probed;

static void pause_after_first_unlock(struct wallet *w)
{
	(void)w;
	if (!probed)
		return;
	probed = 0;
	pthread_mutex_lock(&s.mu);
	s.paused = 1;
	pthread_cond_broadcast(&s.cv);
	while (!s.go)
		pthread_cond_wait(&s.cv, &s.mu);
	pthread_mutex_unlock(&s.mu);
}

static void *billing_run(void *arg)
{
	int *charged = arg;
	probed = 1;
	*charged = apply_fee(&wallet, 3);
	pthread_mutex_lock(&s.mu);
	s.done = 1;
	pthread_cond_broadcast(&s.cv);
	pthread_mutex_unlock(&s.mu);
	return NULL;
}

START_TEST(overlapping_billing_charges_once)
{
	int by_thread = 0, by_test;
	pthread_t t;

	wallet_init(&wallet, START);
	memset(&s, 0, sizeof s);
	pthread_mutex_init(&s.mu, NULL);
	pthread_cond_init(&s.cv, NULL);
	lock_probe_set(pause_after_first_unlock);
	rl_spawn(&t, billing_run, &by_thread);

	pthread_mutex_lock(&s.mu);
	while (!s.paused && !s.done)
		pthread_cond_wait(&s.cv, &s.mu);
	pthread_mutex_unlock(&s.mu);
	by_test = apply_fee(&wallet, 3);  /* the retry, while the first call has let go */

	pthread_mutex_lock(&s.mu);
	s.go = 1;
	pthread_cond_broadcast(&s.cv);
	pthread_mutex_unlock(&s.mu);
	rl_join(t);
	lock_probe_set(NULL);

	long taken = START - wallet.balance;
	ck_assert_msg(taken == MONTHLY_FEE,
		      "two overlapping apply_fee(w, 3) calls took %ld from the wallet, the fee %ld "
		      "times; expected once. The first call let go of the lock between checking the "
		      "month and charging it, and the second one charged in that gap",
		      taken, taken / MONTHLY_FEE);
	ck_assert_msg(by_thread + by_test == 1,
		      "two overlapping apply_fee(w, 3) calls returned %d and %d; exactly one "
		      "of them charged, so exactly one must return 1", by_thread, by_test);
	wallet_destroy(&wallet);
}
END_TEST

Suite *lab_suite(void)
{
	Suite *su = suite_create("22-self-deadlock");
	TCase *tc = tcase_create("ledger");
	tcase_add_test(tc, deposits_add_up);
	tcase_add_test(tc, concurrent_deposits_add_up);
	tcase_add_test(tc, fee_charged_once_a_month);
	tcase_add_test(tc, overlapping_billing_charges_once);
	suite_add_tcase(su, tc);
	return su;
}
