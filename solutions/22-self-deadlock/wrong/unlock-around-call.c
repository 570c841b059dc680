/* wrong: let go of the lock around the call to deposit, so deposit can take it */
#include "ledger.h"

void deposit(struct wallet *w, long amount)
{
	wallet_lock(w);
	w->balance += amount;
	wallet_unlock(w);
}

int apply_fee(struct wallet *w, int month)
{
	int charged = 0;

	wallet_lock(w);
	if (w->fee_month != month) {
		wallet_unlock(w);  /* deposit locks it itself */
		deposit(w, -MONTHLY_FEE);
		wallet_lock(w);
		w->fee_month = month;
		charged = 1;
	}
	wallet_unlock(w);
	return charged;
}
