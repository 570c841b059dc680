/* wrong: mark the month under the lock, let go, then charge with deposit(); in between, anyone who takes the lock sees the month charged and the fee not taken (the transfer is two steps) */
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
		w->fee_month = month;	/* claim the month first, so nobody else charges it */
		charged = 1;
	}
	wallet_unlock(w);
	if (charged)
		deposit(w, -MONTHLY_FEE);
	return charged;
}
