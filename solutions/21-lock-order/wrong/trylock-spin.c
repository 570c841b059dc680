/* wrong: keep the first lock and spin on trylock for the second, so no thread ever blocks */
#include <sched.h>

#include "bank.h"

void transfer(struct account *from, struct account *to, long amount)
{
	account_lock(from);
	/* Never blocks, so it cannot deadlock... but it still holds from's lock while it waits. */
	while (account_trylock(to) != 0)
		sched_yield();
	from->balance -= amount;
	to->balance += amount;
	account_unlock(to);
	account_unlock(from);
}
