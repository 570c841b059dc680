/* wrong: lock the richer account first; the balances are read without their locks (a data race) and change with every transfer, so threads disagree on the order, and with equal balances each takes its own from first, as the broken code does */
#include "bank.h"

void transfer(struct account *from, struct account *to, long amount)
{
	struct account *first = from, *second = to;

	if (to->balance > from->balance) {
		first = to;
		second = from;
	}
	account_lock(first);
	account_lock(second);
	from->balance -= amount;
	to->balance += amount;
	account_unlock(second);
	account_unlock(first);
}
