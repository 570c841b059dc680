/* wrong: the _locked helper fix, but apply_fee takes and lets go of the mutex directly; README and ledger.h rule that out (the tests watch unlocks through wallet_unlock), and a fix around them could hide an unlock in the middle from the overlap test */
#include "ledger.h"

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

	pthread_mutex_lock(&w->lock);
	if (w->fee_month != month) {
		deposit_locked(w, -MONTHLY_FEE);
		w->fee_month = month;
		charged = 1;
	}
	pthread_mutex_unlock(&w->lock);
	return charged;
}
