/* wrong: deposit trylocks and, when the lock is busy, assumes its caller holds it and writes without it; a busy lock is usually another thread's, so deposits race and get lost */
#include "ledger.h"

void deposit(struct wallet *w, long amount)
{
	if (pthread_mutex_trylock(&w->lock) != 0) {
		/* Busy: we are being called from apply_fee, which holds it. */
		w->balance += amount;
		return;
	}
	w->balance += amount;
	wallet_unlock(w);
}

int apply_fee(struct wallet *w, int month)
{
	int charged = 0;

	wallet_lock(w);
	if (w->fee_month != month) {
		deposit(w, -MONTHLY_FEE);
		w->fee_month = month;
		charged = 1;
	}
	wallet_unlock(w);
	return charged;
}
