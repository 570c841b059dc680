/* ledger.c: deposits and the monthly fee on a shared wallet. Fix it. */
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

	/* Check and charge under one lock, so two billing runs cannot both charge. */
	wallet_lock(w);
	if (w->fee_month != month) {
		deposit(w, -MONTHLY_FEE);  /* one place changes the balance: reuse it */
		w->fee_month = month;
		charged = 1;
	}
	wallet_unlock(w);
	return charged;
}
