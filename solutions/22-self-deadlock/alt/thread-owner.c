/* alt: a _Thread_local records the wallet this thread holds, and deposit skips the lock for it: only the holder ever sets it, exactly while it holds the lock, so the mutex is never taken twice and check and charge stay one step */
#include <stddef.h>

#include "ledger.h"

static _Thread_local struct wallet *holding;	/* the wallet this thread has locked, if any */

void deposit(struct wallet *w, long amount)
{
	if (holding == w) {	/* called from inside our own critical section */
		w->balance += amount;
		return;
	}
	wallet_lock(w);
	w->balance += amount;
	wallet_unlock(w);
}

int apply_fee(struct wallet *w, int month)
{
	int charged = 0;

	wallet_lock(w);
	holding = w;
	if (w->fee_month != month) {
		deposit(w, -MONTHLY_FEE);
		w->fee_month = month;
		charged = 1;
	}
	holding = NULL;
	wallet_unlock(w);
	return charged;
}
