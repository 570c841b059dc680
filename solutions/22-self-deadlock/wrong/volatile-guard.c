/* wrong: a volatile busy flag instead of the wallet lock around the check and charge; volatile is not atomic nor a lock: two billing runs both pass the flag and both charge, and every access to it is a data race */
#include "ledger.h"

static volatile int billing;

void deposit(struct wallet *w, long amount)
{
	wallet_lock(w);
	w->balance += amount;
	wallet_unlock(w);
}

int apply_fee(struct wallet *w, int month)
{
	int charged = 0;

	while (billing)
		;	/* another billing run is charging */
	billing = 1;
	if (w->fee_month != month) {
		deposit(w, -MONTHLY_FEE);
		w->fee_month = month;
		charged = 1;
	}
	billing = 0;
	return charged;
}
