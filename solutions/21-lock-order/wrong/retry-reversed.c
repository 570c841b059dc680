/* wrong: lock from, trylock to, and if it is busy let go and take both the other way round; the retry blocks on from while holding to, so two opposite transfers that both fail their trylock swap orders and deadlock */
#include "bank.h"

void transfer(struct account *from, struct account *to, long amount)
{
	account_lock(from);
	if (account_trylock(to) != 0) {
		/* Someone is going the other way: take the locks in their order instead. */
		account_unlock(from);
		account_lock(to);
		account_lock(from);
	}
	from->balance -= amount;
	to->balance += amount;
	account_unlock(to);
	account_unlock(from);
}
