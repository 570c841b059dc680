/* wrong: never hold two locks at once, so there is no order to get wrong */
#include "bank.h"

void transfer(struct account *from, struct account *to, long amount)
{
	account_lock(from);
	from->balance -= amount;
	account_unlock(from);
	/* Here the money is in neither account, and anyone may look. */
	account_lock(to);
	to->balance += amount;
	account_unlock(to);
}
