/* alt: block on one lock, only try the other, and if it is busy let go of both and next time block on the busy one (std::lock's algorithm): no thread ever waits while holding a lock, so there is no hold-and-wait and no deadlock, and both balances change with both locks held */
#include <sched.h>

#include "bank.h"

void transfer(struct account *from, struct account *to, long amount)
{
	struct account *first = from, *second = to;

	for (;;) {
		account_lock(first);
		if (account_trylock(second) == 0)
			break;
		account_unlock(first);
		sched_yield();
		/* Sleep next on the lock that was busy, behind the thread that has it. */
		struct account *busy = second;
		second = first;
		first = busy;
	}
	from->balance -= amount;
	to->balance += amount;
	account_unlock(second);
	account_unlock(first);
}
