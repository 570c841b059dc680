/* test_ledger.c: Check suite for 22-self-deadlock; the tests own the threads. */
#include <sched.h>
#include <stdatomic.h>
#include <sys/types.h>
#include <unistd.h>
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
 * The test holds the wallet's lock while another thread deposits: deposit
 * must wait for it. A deposit that goes ahead when the lock is busy (taking
 * "busy" to mean "my caller holds it") changes the balance under the test's
 * lock. The depositor is looked at once it sleeps (blocked on the lock) or
 * has returned; no timing is assumed.
 */
static atomic_int depositor_tid, depositor_done;

static void *deposit_seven(void *arg)
{
	(void)arg;
	atomic_store(&depositor_tid, (int)gettid());
	deposit(&wallet, 7);
	atomic_store(&depositor_done, 1);
	return NULL;
}

START_TEST(deposit_waits_for_a_held_lock)
{
	pthread_t t;

	wallet_init(&wallet, START);
	atomic_store(&depositor_tid, 0);
	atomic_store(&depositor_done, 0);
	wallet_lock(&wallet);
	rl_spawn(&t, deposit_seven, NULL);
	while (!atomic_load(&depositor_done) &&
	       !(atomic_load(&depositor_tid) && rl_thread_asleep(atomic_load(&depositor_tid))))
		rl_sleep_ms(1);
	long seen = wallet.balance;
	wallet_unlock(&wallet);
	rl_join(t);
	ck_assert_msg(seen == START, "deposit(w, 7) changed the balance to %ld while another "
		      "thread held the wallet's lock: a busy lock is someone else's, wait for it", seen);
	ck_assert_msg(wallet.balance == START + 7, "after deposit(w, 7) the balance is %ld; "
		      "expected %d", wallet.balance, START + 7);
	wallet_destroy(&wallet);
}
END_TEST

/*
 * ledger.h asks for every unlock to go through wallet_unlock: the probe the
 * overlap test relies on sees nothing else. Count them per call.
 */
static _Thread_local int unlocks;

static void count_unlock(struct wallet *w)
{
	(void)w;
	unlocks++;
}

START_TEST(unlocks_go_through_wallet_unlock)
{
	wallet_init(&wallet, START);
	lock_probe_set(count_unlock);
	unlocks = 0;
	deposit(&wallet, 1);
	int by_deposit = unlocks;
	unlocks = 0;
	apply_fee(&wallet, 1);
	int by_charge = unlocks;
	unlocks = 0;
	apply_fee(&wallet, 1);
	int by_no_charge = unlocks;
	lock_probe_set(NULL);
	ck_assert_msg(by_deposit > 0 && by_charge > 0 && by_no_charge > 0,
		      "wallet_unlock ran %d times in deposit, %d in an apply_fee that charged and %d "
		      "in one that did not: ledger.h asks for every wallet lock to be let go with "
		      "wallet_unlock, not with the mutex itself", by_deposit, by_charge, by_no_charge);
	wallet_destroy(&wallet);
}
END_TEST

/*
 * Billing for months 1 to MONTHS, an odd number of runs retrying each month at
 * once (a barrier lines them up per month), while a reader takes the lock and
 * checks that the month marked and the fee taken always agree.
 */
enum { MONTHS = 25, BILLERS = 3 };
static pthread_barrier_t month_start;
static atomic_int charges;

static void *bill_every_month(void *arg)
{
	(void)arg;
	for (int m = 1; m <= MONTHS; m++) {
		pthread_barrier_wait(&month_start);
		atomic_fetch_add(&charges, apply_fee(&wallet, m));
	}
	return NULL;
}

static void *audit_months(void *arg)
{
	long *bad = arg;
	/* A fixed number of looks, never a spin on a flag (Valgrind runs one thread at a time). */
	for (int i = 0; i < 4 * MONTHS && *bad == 0; i++) {
		wallet_lock(&wallet);
		if (wallet.balance != START - (long)MONTHLY_FEE * wallet.fee_month)
			*bad = wallet.balance;
		wallet_unlock(&wallet);
		sched_yield();
	}
	return NULL;
}

START_TEST(retried_billing_every_month)
{
	long bad = 0;
	pthread_t auditor;

	wallet_init(&wallet, START);
	atomic_store(&charges, 0);
	pthread_barrier_init(&month_start, NULL, BILLERS);
	rl_spawn(&auditor, audit_months, &bad);
	rl_parallel(BILLERS, bill_every_month, NULL, 0);
	rl_join(auditor);
	pthread_barrier_destroy(&month_start);
	ck_assert_msg(bad == 0, "a reader holding the lock saw a balance of %ld that does not "
		      "match the months charged: the month and the fee must change in one step", bad);
	ck_assert_msg(atomic_load(&charges) == MONTHS,
		      "%d billing runs each called apply_fee for months 1 to %d: %d calls returned 1, "
		      "expected %d", BILLERS, MONTHS, atomic_load(&charges), MONTHS);
	ck_assert_msg(wallet.balance == START - (long)MONTHLY_FEE * MONTHS,
		      "after months 1 to %d the balance is %ld; expected %ld", MONTHS,
		      wallet.balance, START - (long)MONTHLY_FEE * MONTHS);
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
	/*
	 * While the first call has let go, anyone who takes the lock must see the
	 * month and the balance agree: the month marked and the fee taken, or neither.
	 */
	wallet_lock(&wallet);
	int marked = wallet.fee_month == 3;
	long seen = wallet.balance;
	wallet_unlock(&wallet);
	by_test = apply_fee(&wallet, 3);  /* the retry, while the first call has let go */

	pthread_mutex_lock(&s.mu);
	s.go = 1;
	pthread_cond_broadcast(&s.cv);
	pthread_mutex_unlock(&s.mu);
	rl_join(t);
	lock_probe_set(NULL);

	ck_assert_msg(seen == (marked ? START - MONTHLY_FEE : START),
		      "while apply_fee(w, 3) had let go of the lock, the wallet showed month 3 %s "
		      "and a balance of %ld; expected %d: the month and the fee must change in one step",
		      marked ? "charged" : "not charged", seen, marked ? START - MONTHLY_FEE : START);
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
	tcase_add_test(tc, deposit_waits_for_a_held_lock);
	tcase_add_test(tc, fee_charged_once_a_month);
	tcase_add_test(tc, unlocks_go_through_wallet_unlock);
	tcase_add_test(tc, retried_billing_every_month);
	tcase_add_test(tc, overlapping_billing_charges_once);
	suite_add_tcase(su, tc);
	return su;
}
