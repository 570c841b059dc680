/* ledger.c (solution): one _locked helper that both public functions call. */
#include "ledger.h"

/* The balance change itself. The caller holds w->lock. */
static void deposit_locked(struct wallet *w, long amount)
{
	w->balance += amount;
}

void deposit(struct wallet *w, long amount)
{
	wallet_lock(w);
	deposit_locked(w, amount);
	wallet_unlock(w);
}

int apply_fee(struct wallet *w, int month)
{
	int charged = 0;

	/* One lock from the check to the charge; the helper does not lock again. */
	wallet_lock(w);
	if (w->fee_month != month) {
		deposit_locked(w, -MONTHLY_FEE);
		w->fee_month = month;
		charged = 1;
	}
	wallet_unlock(w);
	return charged;
}
