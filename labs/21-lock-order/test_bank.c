/* test_bank.c: Check suite for 21-lock-order; the tests own the threads. */
#include <string.h>

#include "bank.h"
#include "racelab_test.h"

enum { START = 5000, THREADS = 4, PAYMENTS = 500, MAX_ACCOUNTS = 7 };

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
	int starts[2];            /* times the slot took a lock while holding none */
	int had_both[2];          /* the slot has held two locks since it held none */
	int gave_up[2];           /* times it let its only lock go without having had both */
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
 * Overlap probe: line the two threads up at the two moments where a transfer
 * can be caught holding one lock while the other thread holds the other.
 * - A thread that has just taken a lock while holding none (the first two
 *   times) waits until the other one cannot slip in between its two locks:
 *   the other holds a lock too, or is blocked on the one this thread holds,
 *   or is done.
 * - A thread that lets its only lock go without having had both (a trylock
 *   failed; the first time) waits until the other one has done the same, or
 *   is blocked on this thread's lock, or has both, or is done.
 * Lock in one global order and the second thread blocks on the first one's
 * lock, which lets it finish. Lock in argument order, spin on a trylock while
 * holding a lock, or back off and then take both locks the other way round
 * while holding one, and each thread ends up holding the lock the other one
 * wants, every run. A back-off that holds nothing while it waits only loses
 * a round: the probe lines threads up twice, never forever.
 */
static int blocked_on(int who, int holder)
{
	return s.wants[who] && s.owner[s.wants[who]->id] == holder;
}

static int peer_settled(int me)
{
	int peer = 1 - me;
	return s.held[peer] > 0 || s.done[peer] || blocked_on(peer, me);
}

static int peer_gave_up_too(int me)
{
	int peer = 1 - me;
	return s.gave_up[peer] > 0 || s.held[peer] == 2 || s.done[peer] || blocked_on(peer, me);
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
	s.first_taken[slot] = 1;
	if (++s.held[slot] == 2)
		s.had_both[slot] = 1;
	pthread_cond_broadcast(&s.cv);
	if (s.held[slot] == 1 && ++s.starts[slot] <= 2)
		while (!peer_settled(slot))
			pthread_cond_wait(&s.cv, &s.mu);
	pthread_mutex_unlock(&s.mu);
}

static void overlap_before_unlock(struct account *a)
{
	if (slot < 0)
		return;
	pthread_mutex_lock(&s.mu);
	if (s.held[slot] == 1 && !s.had_both[slot] && s.gave_up[slot]++ == 0) {
		pthread_cond_broadcast(&s.cv);
		while (!peer_gave_up_too(slot))
			pthread_cond_wait(&s.cv, &s.mu);
	}
	if (--s.held[slot] == 0)
		s.had_both[slot] = 0;
	s.owner[a->id] = -1;
	pthread_cond_broadcast(&s.cv);
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

/*
 * Watch probe: what the transfer thread (slot 0) holds when. It counts the
 * locks taken and given back through account_lock/account_trylock/
 * account_unlock (bank.h asks for every lock to go through them: the probes
 * above see nothing else), and reads the balances, safely, at the two moments
 * the thread holds both accounts: when it has just taken the second, the money
 * must not have moved yet; when it first lets one go, it must have moved.
 */
static struct {
	int taken[3], released[3], held;
	long at_both[2], at_release[2];  /* alice, bob */
	int saw_both, saw_release;
} w;

static void watch_after_lock(struct account *a)
{
	if (slot != 0)
		return;
	w.taken[a->id]++;
	if (++w.held == 2 && !w.saw_both) {
		w.saw_both = 1;
		w.at_both[0] = alice.balance;
		w.at_both[1] = bob.balance;
	}
}

static void watch_before_unlock(struct account *a)
{
	if (slot != 0)
		return;
	w.released[a->id]++;
	if (w.held-- == 2 && !w.saw_release) {
		w.saw_release = 1;
		w.at_release[0] = alice.balance;
		w.at_release[1] = bob.balance;
	}
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

/* The money moves while both locks are held, and every lock goes through the probe. */
START_TEST(transfer_holds_both_locks_while_money_moves)
{
	static const struct lock_probe watch = { NULL, watch_after_lock, watch_before_unlock };
	struct job ab = { 0, &alice, &bob, 30 };
	pthread_t t;

	open_accounts();
	memset(&w, 0, sizeof w);
	lock_probe_set(&watch);
	rl_spawn(&t, run_transfer, &ab);
	rl_join(t);
	lock_probe_set(NULL);

	ck_assert_msg(w.taken[alice.id] > 0 && w.taken[bob.id] > 0,
		      "transfer(alice, bob, 30) took alice's lock %d times and bob's %d times through "
		      "account_lock/account_trylock: bank.h asks for every account lock to be taken "
		      "with them, not with the mutex itself (nor with a lock of your own instead)",
		      w.taken[alice.id], w.taken[bob.id]);
	ck_assert_msg(w.released[alice.id] == w.taken[alice.id] && w.released[bob.id] == w.taken[bob.id],
		      "transfer(alice, bob, 30) took alice's lock %d times and let it go %d times, "
		      "bob's %d and %d times (through account_lock/account_unlock)",
		      w.taken[alice.id], w.released[alice.id], w.taken[bob.id], w.released[bob.id]);
	ck_assert_msg(w.saw_both, "transfer(alice, bob, 30) never held both accounts' locks at once, "
		      "so the money was in neither account for a moment");
	ck_assert_msg(w.at_both[0] == START && w.at_both[1] == START &&
		      w.at_release[0] == START - 30 && w.at_release[1] == START + 30,
		      "transfer(alice, bob, 30) moved the money outside the time it held both locks: "
		      "alice %ld, bob %ld when it had both; %ld and %ld when it first let one go",
		      w.at_both[0], w.at_both[1], w.at_release[0], w.at_release[1]);
	assert_balances(START - 30, START + 30, "transfer(alice, bob, 30)");
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

/*
 * A reader that takes one account's lock at a time (never two: no order of its
 * own) while the payments run. Under the lock a balance only ever moves one way
 * and stays in range. It reads a fixed number of times and waits for no signal
 * from the payers, so a transfer that changes balances without the accounts'
 * locks leaves these reads unordered with its writes, whatever the timing:
 * ThreadSanitizer and Helgrind report that race.
 */
static const char *reader_saw;  /* what went wrong, or NULL */

static void *read_one_lock_at_a_time(void *arg)
{
	(void)arg;
	long last_alice = START, last_bob = START;
	long moved = (long)THREADS * PAYMENTS;
	for (int i = 0; i < PAYMENTS && !reader_saw; i++) {
		account_lock(&alice);
		long a = alice.balance;
		account_unlock(&alice);
		account_lock(&bob);
		long b = bob.balance;
		account_unlock(&bob);
		if (a > last_alice || a < START - moved)
			reader_saw = "alice's balance went up, or below what was paid";
		else if (b < last_bob || b > START + moved)
			reader_saw = "bob's balance went down, or above what was paid";
		last_alice = a;
		last_bob = b;
	}
	return NULL;
}

START_TEST(many_threads_one_direction)
{
	pthread_t reader;

	open_accounts();
	reader_saw = NULL;
	rl_spawn(&reader, read_one_lock_at_a_time, NULL);
	rl_parallel(THREADS, pay_alice_to_bob, NULL, 0);
	rl_join(reader);
	ck_assert_msg(reader_saw == NULL, "a reader holding one account's lock at a time, while "
		      "%d threads paid alice to bob: %s", THREADS, reader_saw);
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
	/*
	 * One lock at a time, never both: the transfer is parked in the probe
	 * holding none of them (or has returned), so the two reads see one
	 * frozen state. Holding both here would impose an order of the test's
	 * own, and a fix that orders by address would close a cycle with it.
	 */
	account_lock(&alice);
	long total = alice.balance;
	account_unlock(&alice);
	account_lock(&bob);
	total += bob.balance;
	account_unlock(&bob);

	pthread_mutex_lock(&s.mu);
	s.audited = 1;
	pthread_cond_broadcast(&s.cv);
	pthread_mutex_unlock(&s.mu);
	rl_join(t);
	lock_probe_set(NULL);

	ck_assert_msg(total == 2 * START,
		      "an audit taking the locks in the middle of transfer(alice, bob, 100) "
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

/*
 * Rings of 2 to MAX_ACCOUNTS accounts, whose ids run against their addresses
 * and are not 1, 2, 3...: money goes once round each ring and back. Any one
 * global order passes; an order that is not one (it holds for two accounts
 * only, or for some ids) makes a cycle that ThreadSanitizer and Helgrind see.
 */
static struct account ring[MAX_ACCOUNTS];

static void open_ring(int n)
{
	for (int i = 0; i < n; i++)
		account_init(&ring[i], 100 - 7 * i, START);
}

static void close_ring(int n)
{
	for (int i = 0; i < n; i++) {
		ck_assert_msg(ring[i].balance == START, "ring of %d accounts: account %d has %ld, "
			      "expected %d after the money went round and back", n, i, ring[i].balance, START);
		account_destroy(&ring[i]);
	}
}

START_TEST(rings_one_transfer_at_a_time)
{
	for (int n = 2; n <= MAX_ACCOUNTS; n++) {
		open_ring(n);
		for (int i = 0; i < n; i++)
			transfer(&ring[i], &ring[(i + 1) % n], i + 1);
		for (int i = n - 1; i >= 0; i--)
			transfer(&ring[(i + 1) % n], &ring[i], i + 1);
		close_ring(n);
	}
}
END_TEST

static int ring_size;

static void *pay_round_the_ring(void *arg)
{
	int k = *(int *)arg;
	for (int i = 0; i < PAYMENTS / 10; i++) {
		transfer(&ring[k], &ring[(k + 1) % ring_size], 1);
		transfer(&ring[(k + 1) % ring_size], &ring[k], 1);
	}
	return NULL;
}

/* After the last test: broken code hangs there first, with its named cycle. */
START_TEST(rings_all_at_once)
{
	int who[MAX_ACCOUNTS];
	for (int i = 0; i < MAX_ACCOUNTS; i++)
		who[i] = i;
	for (ring_size = 2; ring_size <= MAX_ACCOUNTS; ring_size++) {
		open_ring(ring_size);
		rl_parallel(ring_size, pay_round_the_ring, who, sizeof who[0]);
		close_ring(ring_size);
	}
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
	tcase_add_test(tc, transfer_holds_both_locks_while_money_moves);
	tcase_add_test(tc, many_threads_one_direction);
	tcase_add_test(tc, no_one_sees_money_in_flight);
	tcase_add_test(tc, both_directions_one_after_the_other);
	tcase_add_test(tc, rings_one_transfer_at_a_time);
	tcase_add_test(tc, both_directions_at_once);
	tcase_add_test(tc, rings_all_at_once);
	suite_add_tcase(su, tc);
	return su;
}
