/* alt: apply_fee changes the balance itself inside its one critical section and never calls deposit: the lock is taken once per call, and the check of the month, the charge and the new month are one step */
#include "ledger.h"

void deposit(struct wallet *w, long amount)
{
	wallet_lock(w);
	w->balance += amount;
	wallet_unlock(w);
}

int apply_fee(struct wallet *w, int month)
{
	wallet_lock(w);
	int charged = w->fee_month != month;
	if (charged) {
		w->balance -= MONTHLY_FEE;
		w->fee_month = month;
	}
	wallet_unlock(w);
	return charged;
}
