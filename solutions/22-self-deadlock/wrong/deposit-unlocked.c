/* wrong: deposit no longer locks ("callers hold the lock"), but threads call deposit directly with no lock held: a data race that loses deposits */
#include "ledger.h"

/* The one place that changes a balance. */
void deposit(struct wallet *w, long amount)
{
	w->balance += amount;
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
