/* wallet.c: wallets, and the lock probe the tests use (not the file you edit). */
#include "ledger.h"

/* Set by a test before it starts its threads, cleared after it joins them. */
static void (*after_unlock)(struct wallet *w);

void wallet_init(struct wallet *w, long balance)
{
	/* NULL attributes: a default, non-recursive mutex. Locking it twice from
	   one thread waits forever for itself. */
	pthread_mutex_init(&w->lock, NULL);
	w->balance = balance;
	w->fee_month = 0;
}

void wallet_destroy(struct wallet *w)
{
	pthread_mutex_destroy(&w->lock);
}

void lock_probe_set(void (*hook)(struct wallet *w))
{
	after_unlock = hook;
}

void lock_probe_unlocked(struct wallet *w)
{
	if (after_unlock)
		after_unlock(w);
}
