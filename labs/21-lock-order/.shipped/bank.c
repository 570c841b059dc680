/* bank.c: money transfers between accounts, from many threads at once. Fix it. */
#include "bank.h"

void transfer(struct account *from, struct account *to, long amount)
{
	/* Both balances change together, so hold both locks while they do. */
	account_lock(from);
	account_lock(to);
	from->balance -= amount;
	to->balance += amount;
	account_unlock(to);
	account_unlock(from);
}
