/* ledger.h: wallets, deposits and the monthly fee (the interface the tests call). */
#ifndef LEDGER_H
#define LEDGER_H

#include <pthread.h>

enum { MONTHLY_FEE = 5 };

struct wallet {
	pthread_mutex_t lock;  /* a default mutex: not recursive (wallet.c) */
	long balance;          /* guarded by lock */
	int fee_month;         /* the last month whose fee was charged; guarded by lock */
};

void wallet_init(struct wallet *w, long balance);
void wallet_destroy(struct wallet *w);

/*
 * Lock and unlock wallets with these, not with the mutex itself. They are the
 * pthread calls, plus a probe after each unlock that lets the tests pause a
 * thread exactly when it lets go of the lock (wallet.c).
 */
#define wallet_lock(w) pthread_mutex_lock(&(w)->lock)
#define wallet_unlock(w) (pthread_mutex_unlock(&(w)->lock), lock_probe_unlocked(w))

/* Add amount (negative: take it out). Called by many threads at once. */
void deposit(struct wallet *w, long amount);

/*
 * Charge MONTHLY_FEE for month, once: return 1 if this call charged it, 0 if
 * it was already charged. Billing retries, so two calls for the same month
 * may overlap; together they must still charge it exactly once.
 */
int apply_fee(struct wallet *w, int month);

/* The probe, for the tests only: called after every wallet_unlock; NULL turns it off. */
void lock_probe_set(void (*after_unlock)(struct wallet *w));
void lock_probe_unlocked(struct wallet *w);

#endif
